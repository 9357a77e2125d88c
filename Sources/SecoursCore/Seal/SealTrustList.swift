import Foundation

/// The keys a verifier trusts to seal documents, as the service publishes them: its own keys,
/// which may seal for every consignor, and each offline device's key, which may seal only for the
/// excise numbers its account acts for. The list travels as JSON, signed by a service key
/// (`SignedSealTrustList`); SecoursSeal signs it and checks it.
///
/// Times are seconds since the epoch. A key's validity is judged at the document's issue time, as
/// the EU DCC judges a signing certificate's: a document sealed while its key was valid stays
/// good after the key expires; a revoked key is trusted for nothing.
public struct SealTrustList: Codable, Sendable, Equatable {
    public static let currentFormat = "secours-seal-trust-list/1"

    public var format: String
    /// Increases with each list the service publishes, so that an older one can be refused.
    public var sequence: Int64
    public var issuedAt: Int64
    public var keys: [SealTrustedKey]

    public init(sequence: Int64, issuedAt: Int64, keys: [SealTrustedKey]) {
        format = Self.currentFormat
        self.sequence = sequence
        self.issuedAt = issuedAt
        self.keys = keys
    }

    public enum Error: Swift.Error, Equatable, Sendable {
        /// Not this format's JSON.
        case malformed
        case unknownFormat(String)
        /// Two keys with one id.
        case duplicateKeyID(SealKeyID)
        /// A key whose public key is not 32 bytes, whose id is not derived from it, whose validity
        /// ends before it starts, or a device key that claims every consignor.
        case invalidKey(SealKeyID)
        /// The signature does not hold.
        case signatureBroken
        /// The list was signed by a key the verifier does not pin.
        case unknownSigner(SealKeyID)
        /// Older than the list the verifier already holds.
        case outdated(sequence: Int64)
    }

    public func key(_ id: SealKeyID) -> SealTrustedKey? { keys.first { $0.keyID == id } }

    /// Checks what needs no cryptography: the format, unique ids, coherent keys.
    public func validate() throws(Error) {
        guard format == Self.currentFormat else { throw .unknownFormat(format) }
        var seen = Set<SealKeyID>()
        for key in keys {
            guard seen.insert(key.keyID).inserted else { throw .duplicateKeyID(key.keyID) }
            guard key.publicKey.count == 32, key.validUntil.map({ $0 > key.validFrom }) ?? true else { throw .invalidKey(key.keyID) }
            if key.role == .device {
                guard case let .exciseNumbers(numbers) = key.scope, !numbers.isEmpty else { throw .invalidKey(key.keyID) }
            }
        }
    }

    /// The list's canonical bytes, the ones its signature covers: compact JSON with keys sorted.
    /// A verifier checks the bytes it received, as received, and never writes them again.
    public func canonicalJSON() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every value is a string, an integer, a boolean or an array of them: encoding cannot fail.
        return Array(try! encoder.encode(self))
    }

    /// Reads and validates list bytes.
    public init(json bytes: [UInt8]) throws(Error) {
        let list: SealTrustList
        do { list = try JSONDecoder().decode(SealTrustList.self, from: Data(bytes)) } catch { throw .malformed }
        try list.validate()
        self = list
    }
}

/// One trusted key.
public struct SealTrustedKey: Codable, Sendable, Equatable {
    public enum Role: String, Codable, Sendable {
        /// A key of the service: its documents and the trust list itself.
        case service
        /// The key of one offline toolkit installation.
        case device
    }

    /// Whose documents the key may seal: JSON `"all"` or an array of excise numbers.
    public enum Scope: Codable, Sendable, Equatable {
        case all
        case exciseNumbers([ExciseNumber])

        public func contains(_ excise: ExciseNumber) -> Bool {
            switch self {
            case .all: true
            case let .exciseNumbers(numbers): numbers.contains(excise)
            }
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let text = try? c.decode(String.self) {
                guard text == "all" else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "scope is \"all\" or a list of excise numbers") }
                self = .all
            } else {
                self = .exciseNumbers(try c.decode([ExciseNumber].self))
            }
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .all: try c.encode("all")
            case let .exciseNumbers(numbers): try c.encode(numbers)
            }
        }
    }

    public var keyID: SealKeyID
    public var role: Role
    /// The raw 32-byte Ed25519 public key (RFC 8032), base64url in JSON.
    public var publicKey: [UInt8]
    public var scope: Scope
    public var validFrom: Int64
    /// nil: no end.
    public var validUntil: Int64?
    public var revoked: Bool
    /// For people: the service, or the device's name and account.
    public var label: String?

    public init(keyID: SealKeyID, role: Role, publicKey: [UInt8], scope: Scope, validFrom: Int64, validUntil: Int64?,
                revoked: Bool = false, label: String? = nil) {
        self.keyID = keyID
        self.role = role
        self.publicKey = publicKey
        self.scope = scope
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.revoked = revoked
        self.label = label
    }

    /// Whether a document issued at `time` falls within the key's validity (`validUntil` excluded).
    public func isValid(at time: Int64) -> Bool {
        time >= validFrom && validUntil.map { time < $0 } ?? true
    }

    enum CodingKeys: String, CodingKey {
        case keyID = "kid", role, publicKey, scope, validFrom, validUntil, revoked, label
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        keyID = try c.decode(SealKeyID.self, forKey: .keyID)
        role = try c.decode(Role.self, forKey: .role)
        guard let key = Base64URL.decode(try c.decode(String.self, forKey: .publicKey)) else {
            throw DecodingError.dataCorruptedError(forKey: .publicKey, in: c, debugDescription: "not base64url")
        }
        publicKey = key
        scope = try c.decode(Scope.self, forKey: .scope)
        validFrom = try c.decode(Int64.self, forKey: .validFrom)
        validUntil = try c.decodeIfPresent(Int64.self, forKey: .validUntil)
        revoked = try c.decode(Bool.self, forKey: .revoked)
        label = try c.decodeIfPresent(String.self, forKey: .label)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(keyID, forKey: .keyID)
        try c.encode(role, forKey: .role)
        try c.encode(Base64URL.encode(publicKey), forKey: .publicKey)
        try c.encode(scope, forKey: .scope)
        try c.encode(validFrom, forKey: .validFrom)
        try c.encodeIfPresent(validUntil, forKey: .validUntil)
        try c.encode(revoked, forKey: .revoked)
        try c.encodeIfPresent(label, forKey: .label)
    }
}

/// A trust list with its detached signature, as JSON:
///
///     {"format": "secours-seal-signed-trust-list/1",
///      "kid": "<signing service key id, base64url>",
///      "list": "<the list's canonical JSON bytes, base64url>",
///      "signature": "<Ed25519 signature of those bytes, base64url>"}
///
/// The list travels as the exact bytes signed, so that no verifier depends on writing JSON
/// the same way as the signer.
public struct SignedSealTrustList: Codable, Sendable, Equatable {
    public static let currentFormat = "secours-seal-signed-trust-list/1"

    public var format: String
    public var signer: SealKeyID
    public var list: [UInt8]
    public var signature: [UInt8]

    public init(signer: SealKeyID, list: [UInt8], signature: [UInt8]) {
        format = Self.currentFormat
        self.signer = signer
        self.list = list
        self.signature = signature
    }

    enum CodingKeys: String, CodingKey { case format, signer = "kid", list, signature }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        signer = try c.decode(SealKeyID.self, forKey: .signer)
        guard let list = Base64URL.decode(try c.decode(String.self, forKey: .list)),
              let signature = Base64URL.decode(try c.decode(String.self, forKey: .signature)) else {
            throw DecodingError.dataCorruptedError(forKey: .list, in: c, debugDescription: "not base64url")
        }
        self.list = list
        self.signature = signature
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(signer, forKey: .signer)
        try c.encode(Base64URL.encode(list), forKey: .list)
        try c.encode(Base64URL.encode(signature), forKey: .signature)
    }

    /// The JSON file.
    public func json() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try! encoder.encode(self))
    }

    public init(json bytes: [UInt8]) throws(SealTrustList.Error) {
        do { self = try JSONDecoder().decode(SignedSealTrustList.self, from: Data(bytes)) } catch { throw .malformed }
        guard format == Self.currentFormat else { throw .unknownFormat(format) }
    }
}
