import Foundation
import Testing
@testable import SecoursCore

func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.filter { !$0.isWhitespace }.utf8)
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
}

func hexString(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}


@Suite("CBOR (RFC 8949)")
struct CBORTests {
    /// RFC 8949 Appendix A, every example within the seal's subset: decoded to the value, and the
    /// value encoded back to the same bytes (each example is in deterministic form already).
    static let appendixA: [(String, CBOR)] = [
        ("00", 0), ("01", 1), ("0a", 10), ("17", 23), ("1818", 24), ("1819", 25), ("1864", 100), ("1903e8", 1000),
        ("1a000f4240", 1_000_000), ("1b000000e8d4a51000", 1_000_000_000_000),
        ("1bffffffffffffffff", .unsigned(UInt64.max)),
        ("c249010000000000000000", .tagged(2, .bytes([1, 0, 0, 0, 0, 0, 0, 0, 0]))),
        ("3bffffffffffffffff", .negative(UInt64.max)),
        ("c349010000000000000000", .tagged(3, .bytes([1, 0, 0, 0, 0, 0, 0, 0, 0]))),
        ("20", -1), ("29", -10), ("3863", -100), ("3903e7", -1000),
        ("f4", false), ("f5", true), ("f6", nil),
        ("c074323031332d30332d32315432303a30343a30305a", .tagged(0, "2013-03-21T20:04:00Z")),
        ("c11a514b67b0", .tagged(1, 1_363_896_240)),
        ("d74401020304", .tagged(23, .bytes([1, 2, 3, 4]))),
        ("d818456449455446", .tagged(24, .bytes(Array("dIETF".utf8)))),
        ("d82076687474703a2f2f7777772e6578616d706c652e636f6d", .tagged(32, "http://www.example.com")),
        ("40", .bytes([])), ("4401020304", .bytes([1, 2, 3, 4])),
        ("60", ""), ("6161", "a"), ("6449455446", "IETF"), ("62225c", "\"\\"), ("62c3bc", "ü"), ("63e6b0b4", "水"),
        ("64f0908591", "\u{10151}"),
        ("80", []), ("83010203", [1, 2, 3]), ("8301820203820405", [1, [2, 3], [4, 5]]),
        ("98190102030405060708090a0b0c0d0e0f101112131415161718181819", .array((1...25).map { CBOR.int($0) })),
        ("a0", [:]), ("a201020304", [1: 2, 3: 4]), ("a26161016162820203", ["a": 1, "b": [2, 3]]),
        ("826161a161626163", ["a", ["b": "c"]]),
        ("a56161614161626142616361436164614461656145", ["a": "A", "b": "B", "c": "C", "d": "D", "e": "E"]),
    ]

    @Test func appendixAExamplesDecode() throws {
        for (bytes, value) in Self.appendixA {
            #expect(try CBOR(decoding: hex(bytes)) == value, "\(bytes)")
            #expect(try CBORDecoder(requireDeterministic: true).decode(hex(bytes)) == value, "\(bytes)")
        }
    }

    @Test func appendixAExamplesEncode() {
        for (bytes, value) in Self.appendixA {
            #expect(hexString(value.encoded) == bytes, "\(value)")
        }
    }

    /// The Appendix A examples outside the subset: floating-point numbers and simple values other
    /// than false, true and null are refused, never read as something else.
    @Test(arguments: ["f90000", "f98000", "f93c00", "fb3ff199999999999a", "f93e00", "f97bff", "fa47c35000", "fa7f7fffff",
                      "fb7e37e43c8800759c", "f90001", "f90400", "f9c400", "fbc010666666666666", "f97c00", "f97e00", "f9fc00",
                      "fa7f800000", "fa7fc00000", "faff800000", "fb7ff0000000000000", "fb7ff8000000000000", "fbfff0000000000000",
                      "f7", "f0", "f8ff"])
    func appendixAOutsideTheSubsetIsRefused(_ bytes: String) {
        #expect(throws: CBORError.unsupported(initialByte: hex(bytes)[0])) { try CBOR(decoding: hex(bytes)) }
    }

    /// Every indefinite-length example of Appendix A.
    @Test(arguments: ["5f42010243030405ff", "7f657374726561646d696e67ff", "9fff", "9f018202039f0405ffff", "9f01820203820405ff",
                      "83018202039f0405ff", "83019f0203ff820405", "9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff",
                      "bf61610161629f0203ffff", "826161bf61626163ff", "bf6346756ef563416d7421ff", "ff"])
    func indefiniteLengthsAreRefused(_ bytes: String) {
        #expect(throws: CBORError.indefiniteLength) { try CBOR(decoding: hex(bytes)) }
    }

    /// RFC 8949 §4.2.1's own example of key order: bytewise on the encoded keys.
    @Test func mapKeysAreSortedByTheirEncodedBytes() {
        let map: CBOR = .map([
            false: 8, [-1]: 7, [100]: 6, "aa": 5, "z": 4, -1: 3, 100: 2, 10: 1,
        ])
        #expect(hexString(map.encoded) == "a8" + "0a01" + "186402" + "2003" + "617a04" + "62616105" + "81186406" + "812007" + "f408")
    }

    @Test func integersAndLengthsTakeTheirShortestForm() throws {
        for (value, bytes) in [(23, "17"), (24, "1818"), (255, "18ff"), (256, "190100"), (65535, "19ffff"), (65536, "1a00010000"),
                               (4_294_967_295, "1affffffff"), (4_294_967_296, "1b0000000100000000"), (-24, "37"), (-25, "3818"),
                               (-256, "38ff"), (-257, "390100")] {
            #expect(hexString(CBOR.int(value).encoded) == bytes, "\(value)")
            #expect(try CBOR(decoding: hex(bytes)).intValue == value)
        }
        #expect(hexString(CBOR.bytes(Array(repeating: 0, count: 24)).encoded).hasPrefix("5818"))
        #expect(hexString(CBOR.text(String(repeating: "a", count: 256)).encoded).hasPrefix("790100"))
    }

    @Test func aDeterministicDecoderRefusesWhatTheEncoderWouldNotWrite() throws {
        let strict = CBORDecoder(requireDeterministic: true)
        // 23 on two bytes, a length of 1 on two bytes, 255 on three bytes.
        for bytes in ["1817", "590001ff", "1900ff", "1a0000ffff", "1b00000000ffffffff"] {
            #expect(throws: CBORError.notDeterministic) { try strict.decode(hex(bytes)) }
            _ = try CBOR(decoding: hex(bytes))
        }
        // {3: 4, 1: 2}: keys out of order.
        #expect(throws: CBORError.notDeterministic) { try strict.decode(hex("a203040102")) }
        #expect(try CBOR(decoding: hex("a203040102")) == [1: 2, 3: 4])
    }

    @Test func duplicateKeysAreRefused() {
        #expect(throws: CBORError.duplicateKey) { try CBOR(decoding: hex("a201020103")) }
        #expect(throws: CBORError.duplicateKey) { try CBORDecoder(requireDeterministic: true).decode(hex("a201020103")) }
    }

    @Test func malformedInputGivesItsError() {
        let cases: [(String, CBORError)] = [
            ("", .truncated), ("18", .truncated), ("1a0001", .truncated), ("430102", .truncated), ("62c3", .truncated),
            ("8201", .truncated), ("a101", .truncated), ("c1", .truncated),
            ("0000", .trailingBytes(count: 1)), ("820102ff", .trailingBytes(count: 1)),
            ("1c", .reservedAdditionalInfo(28)), ("5d", .reservedAdditionalInfo(29)), ("fe", .reservedAdditionalInfo(30)),
            ("62c328", .invalidUTF8), ("63eda080", .invalidUTF8), ("62c0af", .invalidUTF8),
            ("5bffffffffffffffff00", .tooLarge), ("9b00000000ffffffff", .tooLarge), ("bb0000000100000000", .tooLarge),
            ("5a00010000", .truncated), ("98ff01", .truncated),
        ]
        for (bytes, error) in cases {
            #expect(throws: error, "\(bytes)") { try CBOR(decoding: hex(bytes)) }
        }
    }

    @Test func nestingIsBounded() throws {
        let decoder = CBORDecoder(maxDepth: 16)
        _ = try decoder.decode(Array(repeating: 0x81, count: 16) + [0x00])
        #expect(throws: CBORError.tooDeep(limit: 16)) { try decoder.decode(Array(repeating: 0x81, count: 17) + [0x00]) }
        // Deep enough to overflow the stack of a decoder without a bound.
        #expect(throws: CBORError.tooDeep(limit: 16)) {
            try CBORDecoder(maxDepth: 16, maxInputSize: 200_000).decode(Array(repeating: 0xC1, count: 100_000) + [0x00])
        }
        #expect(throws: CBORError.tooLarge) { try CBORDecoder(maxInputSize: 10).decode(Array(repeating: 0, count: 11)) }
    }

    @Test func randomItemsRoundTrip() throws {
        var rng = SplitMix(seed: 8949)
        for _ in 0..<2000 {
            let item = Self.randomItem(depth: 0, using: &rng)
            let bytes = item.encoded
            #expect(try CBORDecoder(requireDeterministic: true).decode(bytes) == item)
        }
    }

    /// A few thousand random and mutated inputs: each either decodes or throws, and what decodes
    /// encodes back to a value that decodes the same.
    @Test func fuzzedInputNeverCrashes() throws {
        var rng = SplitMix(seed: 20_261_120)
        let seeds = Self.appendixA.map { hex($0.0) } + (0..<50).map { _ in Self.randomItem(depth: 0, using: &rng).encoded }
        var decoded = 0
        for round in 0..<6000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0...48, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            } else {
                bytes = seeds.randomElement(using: &rng)!
                for _ in 0...Int.random(in: 0...3, using: &rng) where !bytes.isEmpty {
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0: bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                    case 1: bytes.removeSubrange(Int.random(in: 0..<bytes.count, using: &rng)...)
                    default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...bytes.count, using: &rng))
                    }
                }
            }
            for decoder in [CBORDecoder(maxDepth: 4), CBORDecoder(requireDeterministic: true)] {
                guard let item = try? decoder.decode(bytes) else { continue }
                decoded += 1
                #expect(try CBOR(decoding: item.encoded) == item)
            }
        }
        #expect(decoded > 100)
    }

    static func randomItem(depth: Int, using rng: inout SplitMix) -> CBOR {
        switch Int.random(in: 0..<(depth < 3 ? 10 : 7), using: &rng) {
        case 0: return .unsigned([0, 23, 24, 255, 256, 65535, 65536, UInt64.max, UInt64.random(in: 0...UInt64.max, using: &rng)].randomElement(using: &rng)!)
        case 1: return .negative(UInt64.random(in: 0...UInt64.max, using: &rng) >> UInt64.random(in: 0...63, using: &rng))
        case 2: return .bytes((0..<Int.random(in: 0...30, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
        case 3: return .text(String((0..<Int.random(in: 0...30, using: &rng)).map { _ in "aZ0 é水\u{10151}-".randomElement(using: &rng)! }))
        case 4: return .bool(Bool.random(using: &rng))
        case 5: return .null
        case 6: return .int(Int.random(in: -1000...1000, using: &rng))
        case 7: return .array((0..<Int.random(in: 0...5, using: &rng)).map { _ in randomItem(depth: depth + 1, using: &rng) })
        case 8:
            var map: [CBOR: CBOR] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &rng) { map[randomItem(depth: depth + 1, using: &rng)] = randomItem(depth: depth + 1, using: &rng) }
            return .map(map)
        default: return .tagged(UInt64.random(in: 0...300, using: &rng), randomItem(depth: depth + 1, using: &rng))
        }
    }
}
