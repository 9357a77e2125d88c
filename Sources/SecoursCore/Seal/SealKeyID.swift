import Foundation

/// The id of a seal key: the first 8 bytes of the SHA-256 of the raw 32-byte Ed25519 public key,
/// as the EU Digital COVID Certificate derives its `kid`. It is carried in the COSE protected
/// header and in the payload, and shown as base64url without padding (11 characters).
///
/// SecoursCore holds no cryptography: SecoursSeal derives the id from a public key.
public struct SealKeyID: Hashable, Sendable, Codable, CustomStringConvertible {
    public static let length = 8
    public let bytes: [UInt8]

    /// Exactly 8 bytes, or nil.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.length else { return nil }
        self.bytes = Array(bytes)
    }

    /// Reads the base64url form (padding tolerated).
    public init?(base64url text: String) {
        guard let bytes = Base64URL.decode(text) else { return nil }
        self.init(bytes: bytes)
    }

    public var base64url: String { Base64URL.encode(bytes) }
    public var description: String { base64url }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = SealKeyID(base64url: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a base64url key id of 8 bytes"))
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(base64url)
    }
}

/// base64url (RFC 4648 §5) without padding, as JOSE and the trust list write keys and signatures.
public enum Base64URL {
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// nil when the text holds a character outside the base64url alphabet, is not a whole number
    /// of bytes, or is not the one encoding of its bytes (stray bits in the last character).
    public static func decode(_ text: String) -> [UInt8]? {
        var t = text
        while t.hasSuffix("=") { t.removeLast() }
        guard t.utf8.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F }),
              t.utf8.count % 4 != 1 else { return nil }
        let standard = t.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let padded = standard + String(repeating: "=", count: (4 - standard.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: padded), encode(data) == t else { return nil }
        return Array(data)
    }
}
