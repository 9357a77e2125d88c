import Foundation
import SecoursCore
import Vapor

/// The one gate every text input passes before a handler sees it (R-NF-3, `TextInput` in
/// SecoursCore):
///
/// - JSON and URL-encoded bodies are decoded through `GatedContentDecoder`, which checks every
///   string as it is decoded and refuses the first bad one with a 422 naming its field;
/// - the path and the query string are checked by `InputGateMiddleware` before routing: a bad
///   path segment is an unknown address (404), a bad query parameter a 400 naming it.
///
/// A refused request has changed nothing: the handler never ran.
enum InputGate {
    /// Installs the gated decoders and the stable JSON encoder, once per process (the content
    /// configuration is process-wide).
    static let installed: Void = {
        var config = ContentConfiguration.global
        // Dates as RFC 3339 says (any offset up to ±23:59, fractions of a second, « t » and « z »
        // in either case): a date-time the OpenAPI document allows is never taken for bad JSON.
        let json = JSONDecoder()
        json.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.date(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: Messages.Service.dateTimeExpected))
            }
            return date
        }
        config.use(decoder: GatedContentDecoder(base: json, refusesNull: true), for: .json)
        if let form = try? config.requireDecoder(for: .urlEncodedForm) {
            config.use(decoder: GatedContentDecoder(base: form, refusesNull: false), for: .urlEncodedForm)
        }
        // Every JSON answer with its keys in one order, so that answers can be compared and diffed.
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        config.use(encoder: encoder, for: .json)
        ContentConfiguration.global = config
    }()

    static func fieldName(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    static func check(_ value: String, at path: [any CodingKey]) throws -> String {
        guard TextInput.isAcceptable(value) else { throw SecoursError.controlCharacter(field: fieldName(path)) }
        return value
    }
}

/// Refuses, before routing, a path whose segments or a query whose parameters carry a character
/// `TextInput` refuses (or a broken percent-encoding).
struct InputGateMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        for segment in request.url.path.split(separator: "/", omittingEmptySubsequences: true) {
            guard let decoded = segment.removingPercentEncoding, TextInput.isAcceptable(decoded) else {
                throw SecoursError(kind: .notFound, code: "not_found", message: Messages.Service.addressNotFound)
            }
        }
        if let query = request.url.query, !query.isEmpty {
            for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
                let value = parts.count > 1 ? String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding : ""
                guard let name, let value, TextInput.isAcceptable(name), TextInput.isAcceptable(value) else {
                    let shown = name.flatMap { TextInput.isAcceptable($0) ? $0 : nil } ?? "?"
                    throw SecoursError(kind: .malformed, code: "invalid_query",
                                       message: Messages.Service.queryParameterRefused(shown),
                                       fields: [.init(field: shown, message: Messages.Service.controlCharacterOrEncoding)])
                }
            }
        }
        for name in [HTTPHeaders.Name.authorization, .cookie] {
            for value in request.headers[name] where !TextInput.isAcceptable(value) {
                throw SecoursError(kind: .malformed, code: "bad_request", message: Messages.Service.headerInvalid("\(name)"))
            }
        }
        // A request id given by a proxy becomes the answer's and every log line's: short and plain.
        if let id = request.headers.first(name: "X-Request-Id"), !Self.isPlainRequestID(id) {
            // Neither echoed nor logged: the answer and the log line carry an id of ours.
            request.traceID = UUID().uuidString
            request.logger[metadataKey: "request-id"] = .string(request.traceID)
            throw SecoursError(kind: .malformed, code: "bad_request", message: Messages.Service.requestIDInvalid)
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    private struct TraceIDKey: StorageKey { typealias Value = String }

    /// The id of the request in its answer (`X-Request-Id`) and its log lines: the one a proxy
    /// sent when it is plain, ours otherwise.
    var traceID: String {
        get { storage[TraceIDKey.self] ?? id }
        set { storage[TraceIDKey.self] = newValue }
    }
}

extension InputGateMiddleware {
    static func isPlainRequestID(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2E || c == 0x5F || c == 0x3A || c == 0x2D
        }
    }
}

/// A content decoder whose every decoded string passes `InputGate.check`. For JSON, a field is
/// sent with a value of its type or left out: an explicit `null` is refused like any other wrong
/// type (400 naming the field), as the OpenAPI document types every field without `null`.
struct GatedContentDecoder: ContentDecoder {
    let base: any ContentDecoder
    let refusesNull: Bool

    static let refusesNullKey = CodingUserInfoKey(rawValue: "secours.refusesNull")!

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders) throws -> D {
        try base.decode(Gated<D>.self, from: body, headers: headers, userInfo: [Self.refusesNullKey: refusesNull]).value
    }

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders,
                              userInfo: [CodingUserInfoKey: Sendable]) throws -> D {
        var userInfo = userInfo
        userInfo[Self.refusesNullKey] = refusesNull
        return try base.decode(Gated<D>.self, from: body, headers: headers, userInfo: userInfo).value
    }
}

/// Decodes `T` through a `GatedDecoder` wrapped around the real one.
private struct Gated<T: Decodable>: Decodable {
    let value: T
    init(from decoder: any Decoder) throws {
        let refusesNull = decoder.userInfo[GatedContentDecoder.refusesNullKey] as? Bool ?? false
        value = try T(from: GatedDecoder(base: decoder, refusesNull: refusesNull))
    }
}

/// Types the underlying decoders treat specially (date, data, URL strategies): decoded by them.
private func decodedByBase(_ type: Any.Type) -> Bool {
    type == Date.self || type == Data.self || type == URL.self || type == Decimal.self
}

private struct GatedDecoder: Decoder {
    let base: any Decoder
    let refusesNull: Bool
    var codingPath: [any CodingKey] { base.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { base.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(GatedKeyed(base: try base.container(keyedBy: type), refusesNull: refusesNull))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { GatedUnkeyed(base: try base.unkeyedContainer(), refusesNull: refusesNull) }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        GatedSingle(base: try base.singleValueContainer(), decoder: self)
    }
}

private struct GatedKeyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let base: KeyedDecodingContainer<Key>
    let refusesNull: Bool
    var codingPath: [any CodingKey] { base.codingPath }
    var allKeys: [Key] { base.allKeys }

    func contains(_ key: Key) -> Bool { base.contains(key) }
    /// Optional fields are read through here: a `null` is refused where `refusesNull` (JSON).
    func decodeNil(forKey key: Key) throws -> Bool {
        guard try base.decodeNil(forKey: key) else { return false }
        if refusesNull {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath + [key], debugDescription: "null"))
        }
        return true
    }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try base.decode(type, forKey: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try InputGate.check(try base.decode(type, forKey: key), at: codingPath + [key])
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try base.decode(type, forKey: key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try base.decode(type, forKey: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try base.decode(type, forKey: key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try base.decode(type, forKey: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try base.decode(type, forKey: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try base.decode(type, forKey: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try base.decode(type, forKey: key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try base.decode(type, forKey: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try base.decode(type, forKey: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try base.decode(type, forKey: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try base.decode(type, forKey: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try base.decode(type, forKey: key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        if type == String.self { return try decode(String.self, forKey: key) as! T }
        // A missing key keeps the decoder's own error (keyNotFound).
        if decodedByBase(type) || !base.contains(key) { return try base.decode(type, forKey: key) }
        return try T(from: GatedDecoder(base: try base.superDecoder(forKey: key), refusesNull: refusesNull))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        KeyedDecodingContainer(GatedKeyed<NestedKey>(base: try base.nestedContainer(keyedBy: type, forKey: key), refusesNull: refusesNull))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        GatedUnkeyed(base: try base.nestedUnkeyedContainer(forKey: key), refusesNull: refusesNull)
    }

    func superDecoder() throws -> any Decoder { GatedDecoder(base: try base.superDecoder(), refusesNull: refusesNull) }
    func superDecoder(forKey key: Key) throws -> any Decoder { GatedDecoder(base: try base.superDecoder(forKey: key), refusesNull: refusesNull) }
}

private struct GatedUnkeyed: UnkeyedDecodingContainer {
    var base: any UnkeyedDecodingContainer
    let refusesNull: Bool
    var codingPath: [any CodingKey] { base.codingPath }
    var count: Int? { base.count }
    var isAtEnd: Bool { base.isAtEnd }
    var currentIndex: Int { base.currentIndex }

    private struct Index: CodingKey {
        let intValue: Int?
        var stringValue: String { String(intValue!) }
        init(_ i: Int) { intValue = i }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.intValue = intValue }
    }

    mutating func decodeNil() throws -> Bool { try base.decodeNil() }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try base.decode(type) }
    mutating func decode(_ type: String.Type) throws -> String {
        let path = codingPath + [Index(currentIndex)]
        return try InputGate.check(try base.decode(type), at: path)
    }
    mutating func decode(_ type: Double.Type) throws -> Double { try base.decode(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try base.decode(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try base.decode(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try base.decode(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try base.decode(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try base.decode(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try base.decode(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try base.decode(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try base.decode(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try base.decode(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try base.decode(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try base.decode(type) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if type == String.self { return try decode(String.self) as! T }
        if decodedByBase(type) { return try base.decode(type) }
        return try T(from: GatedDecoder(base: try base.superDecoder(), refusesNull: refusesNull))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        KeyedDecodingContainer(GatedKeyed<NestedKey>(base: try base.nestedContainer(keyedBy: type), refusesNull: refusesNull))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        GatedUnkeyed(base: try base.nestedUnkeyedContainer(), refusesNull: refusesNull)
    }

    mutating func superDecoder() throws -> any Decoder { GatedDecoder(base: try base.superDecoder(), refusesNull: refusesNull) }
}

private struct GatedSingle: SingleValueDecodingContainer {
    let base: any SingleValueDecodingContainer
    let decoder: GatedDecoder
    var codingPath: [any CodingKey] { base.codingPath }

    func decodeNil() -> Bool { base.decodeNil() }
    func decode(_ type: Bool.Type) throws -> Bool { try base.decode(type) }
    func decode(_ type: String.Type) throws -> String { try InputGate.check(try base.decode(type), at: codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try base.decode(type) }
    func decode(_ type: Float.Type) throws -> Float { try base.decode(type) }
    func decode(_ type: Int.Type) throws -> Int { try base.decode(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try base.decode(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try base.decode(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try base.decode(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try base.decode(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try base.decode(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try base.decode(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try base.decode(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try base.decode(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try base.decode(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if type == String.self { return try decode(String.self) as! T }
        if decodedByBase(type) { return try base.decode(type) }
        // A single value is decoded from the same decoder (as the standard decoders do).
        return try T(from: decoder)
    }
}

extension Request {
    /// A body that may be left out (an optional comment): nil when the request has none, and
    /// otherwise decoded like any other, so that a bad one is refused rather than ignored.
    func optionalContent<T: Decodable>(_ type: T.Type) throws -> T? {
        guard let body = body.data, body.readableBytes > 0 else { return nil }
        return try content.decode(type)
    }
}

/// RFC 3339 date-times, read as the OpenAPI document's `format: date-time` allows them.
enum RFC3339 {
    static func date(_ text: String) -> Date? {
        let upper = text.uppercased()
        let plain = ISO8601DateFormatter()
        if let d = plain.date(from: upper) { return d }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: upper)
    }
}
