import Foundation

/// The text of a seal, as the QR code holds it: `SC1:` then the Base45 encoding of a COSE_Sign1
/// message (tagged 18) whose payload is a `SealedDocument`, signed with EdDSA over Ed25519. The
/// layout follows the EU Digital COVID Certificate (`HC1:`), less its zlib compression: a
/// fallback document's payload is too small to gain from it.
public enum SealCode {
    public static let prefix = "SC1:"
    /// The longest text read: a QR code holds at most 4296 alphanumeric characters.
    public static let maxLength = 4296

    /// The text for a signed message.
    public static func text(for message: COSESign1) -> String {
        prefix + Base45.encode(message.encoded)
    }

    /// Reads a text down to its COSE_Sign1 message, before any signature is checked: the prefix,
    /// the Base45, the COSE structure, the algorithm (EdDSA only) and a key id of 8 bytes. A line
    /// break a scanner adds at the end is ignored; anything else is part of the text.
    public static func message(from text: String) throws(SealFormatError) -> COSESign1 {
        var text = Substring(text)
        while let last = text.last, last == "\n" || last == "\r" || last == "\r\n" { text.removeLast() }
        if text.isEmpty { throw .empty }
        guard text.utf8.count <= maxLength else { throw .tooLong }
        guard text.hasPrefix(prefix) else { throw .wrongPrefix }
        let bytes: [UInt8]
        do { bytes = try Base45.decode(text.dropFirst(prefix.count)) } catch { throw .base45(error) }
        let message: COSESign1
        do { message = try COSESign1(decoding: bytes) } catch { throw .cose(error) }
        guard message.algorithm == COSESign1.algorithmEdDSA else { throw .unsupportedAlgorithm }
        guard let kid = message.keyID, SealKeyID(bytes: kid) != nil else { throw .missingKeyID }
        return message
    }

    /// The document a message carries, once its signature is known good: its payload read and
    /// checked, and its key id the same as the header's.
    public static func document(in message: COSESign1) throws(SealFormatError) -> SealedDocument {
        let document: SealedDocument
        do { document = try SealedDocument(decoding: message.payload) } catch { throw .payload(error) }
        guard document.keyID.bytes == message.keyID else { throw .keyIDMismatch }
        return document
    }
}

/// Why a text is not a Secours seal at all.
public enum SealFormatError: Error, Equatable, Sendable {
    case empty
    case tooLong
    /// Not `SC1:` (an EU DCC `HC1:`, a URL, a seal of a later format…).
    case wrongPrefix
    case base45(Base45.DecodingError)
    case cose(COSESign1.DecodingError)
    /// A protected `alg` other than EdDSA (-8), or none.
    case unsupportedAlgorithm
    /// No `kid` of 8 bytes in the header.
    case missingKeyID
    /// The signed payload is not a valid `SealedDocument`.
    case payload(SealPayloadError)
    /// The payload names another key than the header.
    case keyIDMismatch
}

/// What checking a seal concludes. Only `valid` means the document is the one the service or a
/// trusted device issued, unchanged, within its key's rights.
public enum SealVerdict: Equatable, Sendable {
    case valid
    /// The signature does not match the message: the code was altered, or assembled from pieces.
    case signatureBroken
    /// No key of the trust list has this id.
    case unknownKey(SealKeyID)
    /// The key was revoked: nothing it signed is trusted any more.
    case keyRevoked(SealKeyID)
    /// The document was issued outside its key's validity.
    case keyExpired(SealKeyID)
    /// The key may not seal documents of this consignor.
    case outOfScope(ExciseNumber)
    /// The text is not a Secours seal (wrong prefix, not Base45, not COSE, not our payload).
    case notASecoursCode(SealFormatError)
    /// The seal is good but the printed fields the caller gave differ from it.
    case mismatch([SealedDocument.Field])

    public var isValid: Bool { self == .valid }

    /// A stable code for logs and APIs.
    public var code: String {
        switch self {
        case .valid: "valid"
        case .signatureBroken: "signature_broken"
        case .unknownKey: "unknown_key"
        case .keyRevoked: "key_revoked"
        case .keyExpired: "key_expired"
        case .outOfScope: "out_of_scope"
        case .notASecoursCode: "not_a_secours_code"
        case .mismatch: "mismatch"
        }
    }

    /// What a person reads, in the language of the request.
    public var message: String {
        switch self {
        case .valid: Messages.Seal.valid
        case .signatureBroken: Messages.Seal.signatureBroken
        case let .unknownKey(kid): Messages.Seal.unknownKey(kid.base64url)
        case let .keyRevoked(kid): Messages.Seal.keyRevoked(kid.base64url)
        case let .keyExpired(kid): Messages.Seal.keyExpired(kid.base64url)
        case let .outOfScope(excise): Messages.Seal.outOfScope(excise.value)
        case .notASecoursCode: Messages.Seal.notASecoursCode
        case let .mismatch(fields): Messages.Seal.mismatch(fields.map(\.label))
        }
    }
}

/// The result of checking a seal: the verdict, and the payload as signed whenever the signature
/// held (for a revoked or expired key, another consignor or a mismatch too, so that a person can
/// see what the seal says); nil otherwise.
public struct SealVerification: Sendable, Equatable {
    public let verdict: SealVerdict
    public let document: SealedDocument?

    public init(verdict: SealVerdict, document: SealedDocument?) {
        self.verdict = verdict
        self.document = document
    }
}

/// The fields printed on the paper form, as a person reads them next to the code: each one given
/// is compared with the seal (nil ones are not). Numbers and codes are compared as the service
/// reads them (trimmed, upper-cased), dates in either `YYYY-MM-DD` or `jj/mm/aaaa`, and the
/// transport as the same vehicle (letters and digits, case aside).
public struct SealPrintedFields: Sendable, Equatable {
    public var number: String?
    public var type: String?
    public var exciseNumber: String?
    public var dispatchDate: String?
    public var dispatchTime: String?
    public var transport: String?

    public init(number: String? = nil, type: String? = nil, exciseNumber: String? = nil, dispatchDate: String? = nil,
                dispatchTime: String? = nil, transport: String? = nil) {
        self.number = number
        self.type = type
        self.exciseNumber = exciseNumber
        self.dispatchDate = dispatchDate
        self.dispatchTime = dispatchTime
        self.transport = transport
    }

    /// The fields that differ from the seal's, in payload order.
    public func differences(from document: SealedDocument) -> [SealedDocument.Field] {
        var fields: [SealedDocument.Field] = []
        if let number, normalised(number) != document.number.value { fields.append(.number) }
        if let type, DocumentType(code: type) != document.type { fields.append(.type) }
        if let exciseNumber, (try? ExciseNumber(parsing: exciseNumber)) != document.exciseNumber { fields.append(.exciseNumber) }
        if let dispatchDate, ParisDay(text: dispatchDate) != document.dispatch.day { fields.append(.dispatchDate) }
        if let dispatchTime, ParisTime(text: dispatchTime) != document.dispatch.time { fields.append(.dispatchTime) }
        if let transport, !TransportIdentification.sameVehicle(transport, document.transport) { fields.append(.transport) }
        return fields
    }
}
