import Testing
@testable import SecoursCore

@Suite("Base45 (RFC 9285)")
struct Base45Tests {
    /// RFC 9285 §4.1 and §4.3.
    @Test(arguments: [("AB", "BB8"), ("Hello!!", "%69 VD92EX0"), ("base-45", "UJCLQE7W581"), ("ietf!", "QED8WEX0"), ("", "")])
    func rfcExamples(_ text: String, _ encoded: String) throws {
        #expect(Base45.encode(Array(text.utf8)) == encoded)
        #expect(try Base45.decode(encoded) == Array(text.utf8))
    }

    @Test func bytesAtTheEdges() throws {
        #expect(Base45.encode([0]) == "00")
        #expect(Base45.encode([255]) == "U5")
        #expect(Base45.encode([0, 0]) == "000")
        #expect(Base45.encode([255, 255]) == "FGW")
        #expect(try Base45.decode("FGW") == [255, 255])
        #expect(try Base45.decode("U5") == [255])
    }

    @Test func charactersOutsideTheAlphabetAreRefused() {
        #expect(throws: Base45.DecodingError.invalidCharacter(offset: 0)) { try Base45.decode("bb8") }
        #expect(throws: Base45.DecodingError.invalidCharacter(offset: 2)) { try Base45.decode("BB=") }
        #expect(throws: Base45.DecodingError.invalidCharacter(offset: 3)) { try Base45.decode("BB8\n") }
        #expect(throws: Base45.DecodingError.invalidCharacter(offset: 1)) { try Base45.decode("Bé8") }
    }

    @Test func aDanglingCharacterIsRefused() {
        #expect(throws: Base45.DecodingError.danglingCharacter) { try Base45.decode("A") }
        #expect(throws: Base45.DecodingError.danglingCharacter) { try Base45.decode("BB8A") }
    }

    /// "GGW" is 65536, one more than two bytes hold; "::" is 2024, more than one byte holds.
    @Test func valuesNoBytesEncodeToAreRefused() {
        #expect(throws: Base45.DecodingError.valueOutOfRange(offset: 0)) { try Base45.decode("GGW") }
        #expect(throws: Base45.DecodingError.valueOutOfRange(offset: 3)) { try Base45.decode("BB8:::") }
        #expect(throws: Base45.DecodingError.valueOutOfRange(offset: 3)) { try Base45.decode("BB8::") }
        #expect(throws: Base45.DecodingError.valueOutOfRange(offset: 0)) { try Base45.decode("V5") }
    }

    @Test func randomBytesRoundTrip() throws {
        var rng = SplitMix(seed: 9285)
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let text = Base45.encode(bytes)
            #expect(text.utf8.count == bytes.count / 2 * 3 + bytes.count % 2 * 2)
            #expect(try Base45.decode(text) == bytes)
        }
    }

    /// Random texts, mostly of the alphabet: each decodes or throws, and one that decodes is the
    /// only encoding of its bytes.
    @Test func fuzzedTextNeverCrashes() throws {
        var rng = SplitMix(seed: 45)
        let characters = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:") + Array("az=é\n\u{0}水")
        var decoded = 0
        for _ in 0..<5000 {
            let text = String((0..<Int.random(in: 0...30, using: &rng)).map { _ in
                Int.random(in: 0..<20, using: &rng) == 0 ? characters.randomElement(using: &rng)! : characters[Int.random(in: 0..<45, using: &rng)]
            })
            guard let bytes = try? Base45.decode(text) else { continue }
            decoded += 1
            #expect(Base45.encode(bytes) == text)
        }
        #expect(decoded > 100)
    }
}
