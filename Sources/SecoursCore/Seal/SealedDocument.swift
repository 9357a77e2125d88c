import Foundation

/// What the seal of a fallback form says about its document: the payload of the COSE_Sign1
/// printed as a QR code. It is a CBOR map with small integer keys, so that the code stays small:
///
/// | key | field | CBOR | content |
/// | --- | --- | --- | --- |
/// | 1 | number | text | the document number: a CRAPS number (21 characters) or a GAMMA 2 fallback LRN (`PS…`, at most 22) |
/// | 2 | kind | text | `craps` or `lrn`, as the number reads |
/// | 3 | type | text | `DAE` or `DSA` |
/// | 4 | consignor | text | the consignor's excise number (13 characters) |
/// | 5 | dispatch date | text | `YYYY-MM-DD`, Europe/Paris |
/// | 6 | dispatch time | text | `HH:MM`, Europe/Paris |
/// | 7 | transport | text | the registration of the first means of transport, at most 35 code points |
/// | 8 | issuer | map | `{1: "service"}`, or `{1: "device", 2: device id (16-byte bstr, the UUID's bytes), 3: account login, 4: device name}` |
/// | 9 | issued at | uint | seconds since 1970-01-01T00:00:00Z |
/// | 10 | key id | bstr | the signing key's id (8 bytes), the same as the COSE `kid` |
///
/// Every field is required and no other key is allowed: a later format would come with another
/// prefix than `SC1:`. Each field is checked as the service checks it when a document is made
/// (`FallbackNumber`, `FallbackLRN`, `ExciseNumber`, `ParisDay`, `ParisTime`, the transport and
/// device-name rules, `AccountRules.login`), and the number must agree with the consignor: a CRAPS
/// number holds the consignor's excise number, an LRN its last five characters.
public struct SealedDocument: Sendable, Equatable {
    /// Who issued the document: the service itself, or the offline toolkit on a device, used by an
    /// account.
    public enum Issuer: Sendable, Equatable {
        case service
        case device(id: UUID, login: String, name: String)
    }

    /// The payload's fields, whose raw values are their keys in the map.
    public enum Field: Int, Sendable, CaseIterable, Comparable {
        case number = 1, kind, type, exciseNumber, dispatchDate, dispatchTime, transport, issuer, issuedAt, keyID

        public static func < (a: Field, b: Field) -> Bool { a.rawValue < b.rawValue }

        /// The field's name for a person, in the language of the request.
        public var label: String { Messages.Seal.fieldLabel(self) }
    }

    public let number: FallbackDocumentNumber
    public let type: DocumentType
    public let exciseNumber: ExciseNumber
    public let dispatch: DispatchMoment
    public let transport: String
    public let issuer: Issuer
    /// Seconds since the epoch.
    public let issuedAt: Int64
    public let keyID: SealKeyID

    public var kind: DocumentKind { number.kind }
    public var issueDate: Date { Date(timeIntervalSince1970: TimeInterval(issuedAt)) }

    /// The earliest and latest issue times accepted (2020-01-01 and 2100-01-01, UTC, excluded).
    public static let issueTimes: Range<Int64> = 1_577_836_800..<4_102_444_800

    /// A document to seal, checked as `init(decoding:)` checks a read one. `issuedAt` is kept to
    /// the second.
    public init(number: FallbackDocumentNumber, type: DocumentType, exciseNumber: ExciseNumber, dispatch: DispatchMoment,
                transport: String, issuer: Issuer, issuedAt: Date, keyID: SealKeyID) throws(SealPayloadError) {
        let seconds = issuedAt.timeIntervalSince1970.rounded(.down)
        guard seconds >= Double(Self.issueTimes.lowerBound), seconds < Double(Self.issueTimes.upperBound) else {
            throw .invalidField(.issuedAt)
        }
        try self.init(checking: number, type: type, exciseNumber: exciseNumber, dispatch: dispatch, transport: transport,
                      issuer: issuer, issuedAt: Int64(seconds), keyID: keyID)
    }

    private init(checking number: FallbackDocumentNumber, type: DocumentType, exciseNumber: ExciseNumber, dispatch: DispatchMoment,
                 transport: String, issuer: Issuer, issuedAt: Int64, keyID: SealKeyID) throws(SealPayloadError) {
        switch number {
        case let .craps(n):
            guard n.exciseNumber == exciseNumber else { throw .inconsistent(.number) }
            // A number the service made ends with its check digit, a manual one with its type digit.
            guard n.hasValidCheckDigit || n.manualType == type else { throw .inconsistent(.type) }
        case let .lrn(l):
            guard l.operatorSuffix == exciseNumber.lastFive else { throw .inconsistent(.number) }
        }
        var fields = FormFields()
        guard fields.transport(transport) == transport else { throw .invalidField(.transport) }
        if case let .device(id, login, name) = issuer {
            guard (try? AccountRules.login(login)) == login,
                  (try? ToolkitSync.Device(id: id, name: name).validName()) == name else { throw .invalidField(.issuer) }
        }
        guard Self.issueTimes.contains(issuedAt) else { throw .invalidField(.issuedAt) }
        self.number = number
        self.type = type
        self.exciseNumber = exciseNumber
        self.dispatch = dispatch
        self.transport = transport
        self.issuer = issuer
        self.issuedAt = issuedAt
        self.keyID = keyID
    }

    // MARK: CBOR

    /// The payload as a CBOR map.
    public var cbor: CBOR {
        var map: [CBOR: CBOR] = [
            Self.key(.number): .text(number.value),
            Self.key(.kind): .text(kind.rawValue),
            Self.key(.type): .text(type.rawValue),
            Self.key(.exciseNumber): .text(exciseNumber.value),
            Self.key(.dispatchDate): .text(dispatch.day.iso),
            Self.key(.dispatchTime): .text(dispatch.time.text),
            Self.key(.transport): .text(transport),
            Self.key(.issuedAt): .unsigned(UInt64(issuedAt)),
            Self.key(.keyID): .bytes(keyID.bytes),
        ]
        switch issuer {
        case .service:
            map[Self.key(.issuer)] = [1: "service"]
        case let .device(id, login, name):
            map[Self.key(.issuer)] = [1: "device", 2: .bytes(id.bytes), 3: .text(login), 4: .text(name)]
        }
        return .map(map)
    }

    /// The payload's deterministic encoding: the bytes the seal signs.
    public var encoded: [UInt8] { cbor.encoded }

    /// The largest payload read, in bytes (the longest legitimate one is about 260).
    public static let maxEncodedSize = 1024

    /// Reads and checks a payload.
    public init(decoding bytes: [UInt8]) throws(SealPayloadError) {
        let item: CBOR
        do { item = try CBORDecoder(maxDepth: 2, maxInputSize: Self.maxEncodedSize).decode(bytes) } catch { throw .notCBOR(error) }
        try self.init(cbor: item)
    }

    public init(cbor item: CBOR) throws(SealPayloadError) {
        guard case let .map(map) = item else { throw .notAMap }
        for key in map.keys {
            guard let raw = key.intValue, Field(rawValue: raw) != nil else { throw .unknownKey }
        }
        func text(_ field: Field) throws(SealPayloadError) -> String {
            guard let value = map[Self.key(field)] else { throw .missingField(field) }
            guard let text = value.textValue else { throw .invalidField(field) }
            return text
        }

        let numberText = try text(.number)
        let number: FallbackDocumentNumber
        switch try text(.kind) {
        case DocumentKind.craps.rawValue:
            guard let n = try? FallbackNumber(parsing: numberText), n.value == numberText else { throw .invalidField(.number) }
            number = .craps(n)
        case DocumentKind.lrn.rawValue:
            guard let l = try? FallbackLRN(parsing: numberText), l.value == numberText else { throw .invalidField(.number) }
            number = .lrn(l)
        default:
            throw .invalidField(.kind)
        }
        guard let type = DocumentType(rawValue: try text(.type)) else { throw .invalidField(.type) }
        let exciseText = try text(.exciseNumber)
        guard let exciseNumber = try? ExciseNumber(parsing: exciseText), exciseNumber.value == exciseText else {
            throw .invalidField(.exciseNumber)
        }
        let dateText = try text(.dispatchDate)
        guard let day = ParisDay(text: dateText), day.iso == dateText else { throw .invalidField(.dispatchDate) }
        let timeText = try text(.dispatchTime)
        guard let time = ParisTime(text: timeText), time.text == timeText else { throw .invalidField(.dispatchTime) }
        let transport = try text(.transport)

        guard let issuerValue = map[Self.key(.issuer)] else { throw .missingField(.issuer) }
        let issuer = try Self.issuer(issuerValue)

        guard let issuedValue = map[Self.key(.issuedAt)] else { throw .missingField(.issuedAt) }
        guard case let .unsigned(seconds) = issuedValue, seconds < UInt64(Int64.max) else { throw .invalidField(.issuedAt) }

        guard let kidValue = map[Self.key(.keyID)] else { throw .missingField(.keyID) }
        guard let kidBytes = kidValue.bytesValue, let keyID = SealKeyID(bytes: kidBytes) else { throw .invalidField(.keyID) }

        try self.init(checking: number, type: type, exciseNumber: exciseNumber, dispatch: DispatchMoment(day: day, time: time),
                      transport: transport, issuer: issuer, issuedAt: Int64(seconds), keyID: keyID)
    }

    private static func issuer(_ value: CBOR) throws(SealPayloadError) -> Issuer {
        guard case let .map(map) = value, let kind = map[1]?.textValue else { throw .invalidField(.issuer) }
        switch kind {
        case "service":
            guard map.count == 1 else { throw .invalidField(.issuer) }
            return .service
        case "device":
            guard map.count == 4, let idBytes = map[2]?.bytesValue, idBytes.count == 16,
                  let login = map[3]?.textValue, let name = map[4]?.textValue else { throw .invalidField(.issuer) }
            return .device(id: UUID(bytes: idBytes), login: login, name: name)
        default:
            throw .invalidField(.issuer)
        }
    }

    private static func key(_ field: Field) -> CBOR { .unsigned(UInt64(field.rawValue)) }
}

/// Why a seal's payload is not a `SealedDocument`.
public enum SealPayloadError: Error, Equatable, Sendable {
    case notCBOR(CBORError)
    case notAMap
    /// A key that is not one of the payload's fields.
    case unknownKey
    case missingField(SealedDocument.Field)
    /// A field of the wrong CBOR type, or whose content its rule refuses.
    case invalidField(SealedDocument.Field)
    /// The field disagrees with another: a number of another consignor, a manual CRAPS number of
    /// another type.
    case inconsistent(SealedDocument.Field)
}

extension UUID {
    /// The 16 bytes of the UUID, in order (RFC 9562 §4).
    var bytes: [UInt8] {
        let u = uuid
        return [u.0, u.1, u.2, u.3, u.4, u.5, u.6, u.7, u.8, u.9, u.10, u.11, u.12, u.13, u.14, u.15]
    }

    init(bytes b: [UInt8]) {
        self.init(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}
