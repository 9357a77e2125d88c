import Foundation
import Testing
@testable import SecoursCore

@Suite("Check digit (R-NUM-2)")
struct CheckDigitTests {
    @Test("real ARCs from the specification", arguments: ["16GB00000000000192223", "23DKLAWWKM7TCWAKL2B09", "24DK82N22KKJH5U8DBB10"])
    func realVectors(_ arc: String) {
        #expect(CheckDigit.compute(arc.prefix(20)) == arc.last!)
        #expect(CheckDigit.isValid(arc))
    }

    @Test func letterValuesSkipMultiplesOfEleven() {
        let expected: [Character: Int] = ["A": 10, "B": 12, "K": 21, "L": 23, "T": 31, "U": 32, "V": 34, "Z": 38, "0": 0, "9": 9]
        for (c, v) in expected { #expect(CheckDigit.value(of: c) == v, "value of \(c)") }
        #expect(CheckDigit.value(of: "a") == nil)
        #expect(CheckDigit.value(of: "-") == nil)
        #expect(!CheckDigit.letterValues.contains { $0 % 11 == 0 })
    }

    @Test func remainderTenGivesZero() {
        // 24DK82N22KKJH5U8DBB1 sums to a remainder of 10 modulo 11.
        #expect(CheckDigit.compute("24DK82N22KKJH5U8DBB1") == "0")
    }

    @Test func rejectsWrongLengthOrCharacters() {
        #expect(!CheckDigit.isValid("16GB0000000000019222"))
        #expect(!CheckDigit.isValid("16GB0000000000019222-"))
        #expect(!CheckDigit.isValid("16GB00000000000192224"))
    }
}

@Suite("Excise numbers (R-NUM-1)")
struct ExciseNumberTests {
    @Test(arguments: ["FR007328E0001", "FR009990F0005", "DE12345678901", "  fr007328e0001 "])
    func accepts(_ text: String) throws {
        let e = try ExciseNumber(parsing: text)
        #expect(e.value == text.trimmingCharacters(in: .whitespaces).uppercased())
        #expect(e.value.count == 13)
    }

    @Test func refusesWithPosition() {
        #expect(throws: NumberError.empty) { try ExciseNumber(parsing: "  ") }
        #expect(throws: NumberError.wrongLength(expected: 13, actual: 12)) { try ExciseNumber(parsing: "FR007328E000") }
        #expect(throws: NumberError.invalidCharacter(position: 1, found: "1", expected: "une lettre (code pays du numéro d'accise)")) {
            try ExciseNumber(parsing: "1R007328E0001")
        }
        #expect(throws: NumberError.invalidCharacter(position: 9, found: "-", expected: "une lettre ou un chiffre")) {
            try ExciseNumber(parsing: "FR007328-0001")
        }
        // Inner spaces are not normalised away.
        #expect(throws: NumberError.self) { try ExciseNumber(parsing: "FR007328 0001") }
    }

    @Test func lastFive() throws {
        #expect(try ExciseNumber(parsing: "FR007328E0001").lastFive == "E0001")
    }
}

@Suite("Fallback numbers (R-NUM-2/3/5/7)")
struct FallbackNumberTests {
    let excise = try! ExciseNumber(parsing: "FR007328E0001")

    @Test func generatedCarriesCheckDigit() throws {
        let n = try FallbackNumber.generated(year: 2026, exciseNumber: excise, sequence: 8)
        #expect(n.value.hasPrefix("26FR007328E000100008"))
        #expect(n.value.count == 21)
        #expect(n.hasValidCheckDigit)
        #expect(n.lastCharacter == CheckDigit.compute(n.value.prefix(20)))
        let parsed = try FallbackNumber(parsingGenerated: n.value.lowercased())
        #expect(parsed == n)
        #expect(parsed.sequence == 8 && parsed.year == 26 && parsed.exciseNumber == excise)
    }

    @Test func manualCarriesTypeDigit() throws {
        let daa = try FallbackNumber.manual(year: 9, exciseNumber: try ExciseNumber(parsing: "FR009990F0005"), sequence: 14, type: .dae)
        // The 2009 example of the seeds.
        #expect(daa.value == "09FR009990F0005000141")
        #expect(try FallbackNumber(parsingManual: daa.value).manualType == .dae)
        let dsa = try FallbackNumber.manual(year: 26, exciseNumber: excise, sequence: 8, type: .dsa)
        #expect(dsa.value == "26FR007328E0001000082")
        #expect(dsa.manualType == .dsa)
    }

    @Test func wrongCheckDigitSaysWhichWasExpected() throws {
        let n = try FallbackNumber.generated(year: 26, exciseNumber: excise, sequence: 1)
        let good = n.lastCharacter
        let bad: Character = good == "0" ? "1" : "0"
        let text = String(n.value.dropLast()) + String(bad)
        #expect(throws: NumberError.checkDigitMismatch(expected: good, found: bad)) { try FallbackNumber(parsingGenerated: text) }
    }

    @Test func manualTypeDigitMustBeOneOrTwo() {
        #expect(throws: NumberError.invalidTypeDigit(found: "3")) { try FallbackNumber(parsingManual: "26FR007328E0001000083") }
    }

    @Test func preciseErrors() {
        #expect(throws: NumberError.wrongLength(expected: 21, actual: 20)) { try FallbackNumber(parsing: "26FR007328E000100008") }
        #expect(throws: NumberError.invalidCharacter(position: 2, found: "X", expected: "un chiffre (année sur deux chiffres)")) {
            try FallbackNumber(parsing: "2XFR007328E0001000081")
        }
        #expect(throws: NumberError.invalidCharacter(position: 3, found: "1", expected: "une lettre (code pays du numéro d'accise)")) {
            try FallbackNumber(parsing: "261R007328E0001000081")
        }
        #expect(throws: NumberError.invalidCharacter(position: 17, found: "A", expected: "un chiffre (numéro de séquence annuel)")) {
            try FallbackNumber(parsing: "26FR007328E00010A0081")
        }
        #expect(throws: NumberError.invalidCharacter(position: 21, found: "X", expected: "un chiffre (caractère de contrôle ou type de document)")) {
            try FallbackNumber(parsing: "26FR007328E000100008X")
        }
        #expect(throws: NumberError.sequenceZero) { try FallbackNumber(parsing: "26FR007328E0001000001") }
        #expect(throws: NumberError.empty) { try FallbackNumber(parsing: "") }
    }

    @Test func sequenceBounds() {
        #expect(throws: SecoursError.sequenceExhausted) { try FallbackNumber.generated(year: 26, exciseNumber: excise, sequence: 100_000) }
        #expect(throws: SecoursError.sequenceExhausted) { try FallbackNumber.generated(year: 26, exciseNumber: excise, sequence: 0) }
        #expect((try? FallbackNumber.generated(year: 26, exciseNumber: excise, sequence: 99_999))?.value.hasPrefix("26FR007328E000199999") == true)
    }

    /// Any generated number reads back the same, from a deterministic pseudo-random sample.
    @Test func generatedRoundTripProperty() throws {
        var rng = SplitMix(seed: 2026)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        for _ in 0..<2_000 {
            let country = String((0..<2).map { _ in alphabet[Int(rng.next() % 26)] })
            let rest = String((0..<11).map { _ in alphabet[Int(rng.next() % 36)] })
            let e = try ExciseNumber(parsing: country + rest)
            let seq = Int(rng.next() % 99_999) + 1
            let year = Int(rng.next() % 100)
            let n = try FallbackNumber.generated(year: year, exciseNumber: e, sequence: seq)
            let back = try FallbackNumber(parsingGenerated: n.value)
            #expect(back.sequence == seq && back.exciseNumber == e && back.year == year)
            let m = try FallbackNumber.manual(year: year, exciseNumber: e, sequence: seq, type: .dsa)
            #expect(try FallbackNumber(parsingManual: m.value).manualType == .dsa)
        }
    }
}

@Suite("ARC")
struct ARCTests {
    @Test func acceptsRealAndRefusesAltered() throws {
        #expect(try ARC(parsing: " 23dklawwkm7tcwakl2b09 ").value == "23DKLAWWKM7TCWAKL2B09")
        #expect(throws: NumberError.checkDigitMismatch(expected: "9", found: "8")) { try ARC(parsing: "23DKLAWWKM7TCWAKL2B08") }
        #expect(throws: NumberError.invalidCharacter(position: 3, found: "1", expected: "une lettre (code de l'État membre)")) {
            try ARC(parsing: "231KLAWWKM7TCWAKL2B09")
        }
    }
}

@Suite("GAMMA 2 fallback LRN (R-NUM-6)")
struct FallbackLRNTests {
    @Test func buildsAndReads() throws {
        let day = ParisDay(year: 2026, month: 11, day: 22)!
        let lrn = try FallbackLRN(day: day, exciseNumber: try ExciseNumber(parsing: "FR007328E0001"), serial: 12)
        #expect(lrn.value == "PS261122E00010012")
        #expect(lrn.value.count <= 22)
        let back = try FallbackLRN(parsing: lrn.value.lowercased())
        #expect(back.serial == 12 && back.day == day && back.operatorSuffix == "E0001")
    }

    @Test func longestSerialFitsIn22() throws {
        let day = ParisDay(year: 2026, month: 1, day: 2)!
        let e = try ExciseNumber(parsing: "FR007328E0001")
        #expect(try FallbackLRN(day: day, exciseNumber: e, serial: 999_999_999).value.count == 22)
        #expect(throws: SecoursError.self) { try FallbackLRN(day: day, exciseNumber: e, serial: 1_000_000_000) }
        #expect(throws: SecoursError.self) { try FallbackLRN(day: day, exciseNumber: e, serial: 0) }
    }

    @Test func preciseErrors() {
        #expect(throws: NumberError.missingPrefix(expected: "PS")) { try FallbackLRN(parsing: "XS261122E00010012") }
        #expect(throws: NumberError.invalidDate("261322")) { try FallbackLRN(parsing: "PS261322E00010012") }
        #expect(throws: NumberError.tooLong(maximum: 22, actual: 23)) { try FallbackLRN(parsing: "PS261122E00010012000000") }
        #expect(throws: NumberError.invalidCharacter(position: 14, found: "A", expected: "un chiffre (numéro de série)")) {
            try FallbackLRN(parsing: "PS261122E0001A012")
        }
        #expect(throws: NumberError.invalidCharacter(position: 10, found: "-", expected: "une lettre ou un chiffre (fin du numéro d'agrément)")) {
            try FallbackLRN(parsing: "PS261122E-0010012")
        }
    }
}

@Suite("Number report (offline verification)")
struct NumberReportTests {
    @Test func kinds() throws {
        #expect(NumberReport.describe("16GB00000000000192223").valid)
        #expect(NumberReport.describe("09FR009990F0005000141").text.contains("manuel"))
        #expect(NumberReport.describe("FR007328E0001").valid)
        #expect(NumberReport.describe("PS261122E00010012").valid)
        let n = try FallbackNumber.generated(year: 26, exciseNumber: try ExciseNumber(parsing: "FR007328E0001"), sequence: 1)
        let other = "0123456789".first { $0 != n.lastCharacter && $0 != "1" && $0 != "2" }!
        let bad = NumberReport.describe(String(n.value.dropLast()) + String(other))
        #expect(!bad.valid)
        #expect(bad.text.contains("« \(n.lastCharacter) » attendu"))
        #expect(!NumberReport.describe("abc").valid)
    }
}

/// A small deterministic generator so the property tests repeat exactly.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
