/// A CBOR data item (RFC 8949), for the subset the seal uses: unsigned and negative integers,
/// byte strings, text strings, arrays, maps, tags, `false`, `true` and `null`. Floating-point
/// numbers, other simple values and indefinite lengths are not part of it: the decoder refuses
/// them rather than guess.
///
/// `encoded` writes the deterministic encoding of RFC 8949 §4.2.1 (core requirements): every
/// integer, length and tag in its shortest form, definite lengths only, and the keys of every
/// map sorted by the bytewise lexicographic order of their own encodings. Two equal items
/// therefore always give the same bytes.
public indirect enum CBOR: Hashable, Sendable {
    /// Major type 0: a value from 0 to 2⁶⁴−1.
    case unsigned(UInt64)
    /// Major type 1: the integer −1 − `n`, from −1 down to −2⁶⁴ (`negative(0)` is −1).
    case negative(UInt64)
    /// Major type 2.
    case bytes([UInt8])
    /// Major type 3: valid UTF-8.
    case text(String)
    /// Major type 4.
    case array([CBOR])
    /// Major type 5. A map holds each key once (RFC 8949 §5.6): the decoder refuses duplicates.
    case map([CBOR: CBOR])
    /// Major type 6: a tag number and the item it qualifies.
    case tagged(UInt64, CBOR)
    /// Major type 7, simple values 20 and 21.
    case bool(Bool)
    /// Major type 7, simple value 22.
    case null

    /// The integer `value` as major type 0 or 1.
    public static func int(_ value: Int) -> CBOR {
        value >= 0 ? .unsigned(UInt64(value)) : .negative(UInt64(-(value + 1)))
    }

    /// The integer when it is one and fits an `Int`.
    public var intValue: Int? {
        switch self {
        case let .unsigned(n): return n <= UInt64(Int.max) ? Int(n) : nil
        case let .negative(n): return n <= UInt64(Int.max) ? -Int(n) - 1 : nil
        default: return nil
        }
    }

    public var bytesValue: [UInt8]? { if case let .bytes(b) = self { b } else { nil } }
    public var textValue: String? { if case let .text(t) = self { t } else { nil } }
    public var arrayValue: [CBOR]? { if case let .array(a) = self { a } else { nil } }
    public var mapValue: [CBOR: CBOR]? { if case let .map(m) = self { m } else { nil } }
}

extension CBOR: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: CBOR...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
    /// A later duplicate key replaces an earlier one, as in a dictionary.
    public init(dictionaryLiteral elements: (CBOR, CBOR)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

// MARK: Encoding

extension CBOR {
    /// The deterministic encoding (RFC 8949 §4.2.1).
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        encode(into: &out)
        return out
    }

    func encode(into out: inout [UInt8]) {
        switch self {
        case let .unsigned(n): Self.writeHead(0, n, into: &out)
        case let .negative(n): Self.writeHead(1, n, into: &out)
        case let .bytes(b):
            Self.writeHead(2, UInt64(b.count), into: &out)
            out.append(contentsOf: b)
        case let .text(t):
            let utf8 = Array(t.utf8)
            Self.writeHead(3, UInt64(utf8.count), into: &out)
            out.append(contentsOf: utf8)
        case let .array(items):
            Self.writeHead(4, UInt64(items.count), into: &out)
            for item in items { item.encode(into: &out) }
        case let .map(entries):
            Self.writeHead(5, UInt64(entries.count), into: &out)
            let sorted = entries.map { (key: $0.key.encoded, value: $0.value) }
                .sorted { $0.key.lexicographicallyPrecedes($1.key) }
            for entry in sorted {
                out.append(contentsOf: entry.key)
                entry.value.encode(into: &out)
            }
        case let .tagged(tag, item):
            Self.writeHead(6, tag, into: &out)
            item.encode(into: &out)
        case let .bool(b): out.append(b ? 0xF5 : 0xF4)
        case .null: out.append(0xF6)
        }
    }

    /// The initial byte and the argument in its shortest form (RFC 8949 §3 and §4.2.1).
    static func writeHead(_ major: UInt8, _ argument: UInt64, into out: inout [UInt8]) {
        let high = major << 5
        switch argument {
        case 0..<24:
            out.append(high | UInt8(argument))
        case 24...0xFF:
            out.append(high | 24)
            out.append(UInt8(argument))
        case 0x100...0xFFFF:
            out.append(high | 25)
            appendBigEndian(argument, byteCount: 2, into: &out)
        case 0x1_0000...0xFFFF_FFFF:
            out.append(high | 26)
            appendBigEndian(argument, byteCount: 4, into: &out)
        default:
            out.append(high | 27)
            appendBigEndian(argument, byteCount: 8, into: &out)
        }
    }

    private static func appendBigEndian(_ value: UInt64, byteCount: Int, into out: inout [UInt8]) {
        for i in stride(from: byteCount - 1, through: 0, by: -1) {
            out.append(UInt8(truncatingIfNeeded: value >> (UInt64(i) * 8)))
        }
    }
}

// MARK: Decoding

/// Why bytes are not a CBOR item of the seal's subset.
public enum CBORError: Error, Equatable, Sendable {
    /// The input ends inside an item.
    case truncated
    /// One whole item was read and `count` bytes are left over.
    case trailingBytes(count: Int)
    /// An indefinite-length string, array or map, or a lone « break » byte (0xFF).
    case indefiniteLength
    /// Additional information 28, 29 or 30, which RFC 8949 reserves.
    case reservedAdditionalInfo(UInt8)
    /// A well-formed item outside the subset (a float, `undefined`, another simple value).
    case unsupported(initialByte: UInt8)
    /// A text string that is not valid UTF-8.
    case invalidUTF8
    /// A map that names one key twice.
    case duplicateKey
    /// Arrays, maps and tags nested deeper than the decoder allows.
    case tooDeep(limit: Int)
    /// More bytes than the decoder accepts, or a length or count larger than the input could hold.
    case tooLarge
    /// Well-formed but not in deterministic form, when the decoder asks for it: an argument not in
    /// its shortest form, or map keys out of order.
    case notDeterministic
}

/// Reads one CBOR item. Every length and count is checked against the bytes that remain before
/// anything is allocated, recursion is bounded by `maxDepth`, and every malformed input ends in a
/// `CBORError`, never a crash.
public struct CBORDecoder: Sendable {
    /// Arrays, maps and tags nested at most this deep (the seal needs 3).
    public var maxDepth: Int
    /// The largest input accepted, in bytes.
    public var maxInputSize: Int
    /// Refuse what the deterministic encoding would not have written: non-shortest arguments and
    /// unsorted map keys.
    public var requireDeterministic: Bool

    public init(maxDepth: Int = 16, maxInputSize: Int = 64 * 1024, requireDeterministic: Bool = false) {
        self.maxDepth = maxDepth
        self.maxInputSize = maxInputSize
        self.requireDeterministic = requireDeterministic
    }

    /// Exactly one item, with nothing after it.
    public func decode(_ bytes: [UInt8]) throws(CBORError) -> CBOR {
        guard bytes.count <= maxInputSize else { throw .tooLarge }
        var reader = Reader(bytes: bytes, options: self)
        let item = try reader.item(depth: 0)
        guard reader.position == bytes.count else { throw .trailingBytes(count: bytes.count - reader.position) }
        return item
    }

    private struct Reader {
        let bytes: [UInt8]
        let options: CBORDecoder
        var position = 0

        init(bytes: [UInt8], options: CBORDecoder) {
            self.bytes = bytes
            self.options = options
        }

        var remaining: Int { bytes.count - position }

        mutating func byte() throws(CBORError) -> UInt8 {
            guard position < bytes.count else { throw .truncated }
            defer { position += 1 }
            return bytes[position]
        }

        mutating func take(_ count: Int) throws(CBORError) -> ArraySlice<UInt8> {
            guard count <= remaining else { throw .truncated }
            defer { position += count }
            return bytes[position..<position + count]
        }

        /// The argument that follows an initial byte of additional information `info` (< 28).
        mutating func argument(_ info: UInt8) throws(CBORError) -> UInt64 {
            let value: UInt64
            let minimum: UInt64
            switch info {
            case 0..<24: return UInt64(info)
            case 24: value = try bigEndian(1); minimum = 24
            case 25: value = try bigEndian(2); minimum = 0x100
            case 26: value = try bigEndian(4); minimum = 0x1_0000
            default: value = try bigEndian(8); minimum = 0x1_0000_0000
            }
            if options.requireDeterministic && value < minimum { throw .notDeterministic }
            return value
        }

        mutating func bigEndian(_ count: Int) throws(CBORError) -> UInt64 {
            var value: UInt64 = 0
            for b in try take(count) { value = value << 8 | UInt64(b) }
            return value
        }

        /// A length or count that must fit in what is left (every element takes at least one byte).
        mutating func count(_ info: UInt8, bytesPerElement: Int) throws(CBORError) -> Int {
            let n = try argument(info)
            guard n <= UInt64(remaining / bytesPerElement) else {
                throw n <= UInt64(options.maxInputSize) ? .truncated : .tooLarge
            }
            return Int(n)
        }

        mutating func item(depth: Int) throws(CBORError) -> CBOR {
            let initial = try byte()
            let major = initial >> 5
            let info = initial & 0x1F
            if info == 31 { throw .indefiniteLength }
            if (28...30).contains(info) { throw .reservedAdditionalInfo(info) }
            switch major {
            case 0:
                return .unsigned(try argument(info))
            case 1:
                return .negative(try argument(info))
            case 2:
                let n = try count(info, bytesPerElement: 1)
                return .bytes(Array(try take(n)))
            case 3:
                let n = try count(info, bytesPerElement: 1)
                let utf8 = try take(n)
                guard let text = String(validating: utf8, as: UTF8.self) else { throw .invalidUTF8 }
                return .text(text)
            case 4:
                guard depth < options.maxDepth else { throw .tooDeep(limit: options.maxDepth) }
                let n = try count(info, bytesPerElement: 1)
                var items: [CBOR] = []
                items.reserveCapacity(n)
                for _ in 0..<n { items.append(try item(depth: depth + 1)) }
                return .array(items)
            case 5:
                guard depth < options.maxDepth else { throw .tooDeep(limit: options.maxDepth) }
                let n = try count(info, bytesPerElement: 2)
                var entries: [CBOR: CBOR] = [:]
                entries.reserveCapacity(n)
                var previousKey: ArraySlice<UInt8>?
                for _ in 0..<n {
                    let keyStart = position
                    let key = try item(depth: depth + 1)
                    let keyBytes = bytes[keyStart..<position]
                    if options.requireDeterministic {
                        if let previousKey, !previousKey.lexicographicallyPrecedes(keyBytes) {
                            throw previousKey.elementsEqual(keyBytes) ? .duplicateKey : .notDeterministic
                        }
                        previousKey = keyBytes
                    }
                    let value = try item(depth: depth + 1)
                    guard entries.updateValue(value, forKey: key) == nil else { throw .duplicateKey }
                }
                return .map(entries)
            case 6:
                guard depth < options.maxDepth else { throw .tooDeep(limit: options.maxDepth) }
                let tag = try argument(info)
                return .tagged(tag, try item(depth: depth + 1))
            default:
                switch info {
                case 20: return .bool(false)
                case 21: return .bool(true)
                case 22: return .null
                default: throw .unsupported(initialByte: initial)
                }
            }
        }
    }
}

extension CBOR {
    /// Reads exactly one item with the default decoder.
    public init(decoding bytes: [UInt8]) throws(CBORError) {
        self = try CBORDecoder().decode(bytes)
    }
}
