import Foundation
import SecoursCore
import Testing

@Suite struct NormalisationTests {
    @Test func typedNumberIsTrimmedAndUppercased() {
        #expect(TypedNumber.normalise("  fr012345e1234 ") == "FR012345E1234")
        #expect(TypedNumber.normalise("\tps12345abcde1234567890\n") == "PS12345ABCDE1234567890")
        #expect(TypedNumber.key(" 26fr0123 ") == "26FR0123")
    }

    @Test func badTypedNumbers() {
        // Longer than any stored number: nothing to look up.
        #expect(TypedNumber.normalise(String(repeating: "A", count: 23)) == nil)
        #expect(TypedNumber.normalise("ABCDEF", maxLength: 5) == nil)
        // Empty or blank stays empty; inner spaces are kept (R-NUM-7 allows nothing else).
        #expect(TypedNumber.normalise("   ") == "")
        #expect(TypedNumber.normalise("fr 01") == "FR 01")
    }

    @Test func frenchMomentInParisTime() throws {
        // 2026-01-15 10:05 UTC is 11:05 in Paris (winter), 2026-07-15 10:05 UTC is 12:05 (summer).
        #expect(ParisCalendar.french(Date(timeIntervalSince1970: 1_768_471_500)) == "15/01/2026 à 11:05")
        #expect(ParisCalendar.french(Date(timeIntervalSince1970: 1_784_109_900)) == "15/07/2026 à 12:05")
        // Just before midnight UTC on 31 December is already the next year in Paris.
        #expect(ParisCalendar.french(Date(timeIntervalSince1970: 1_798_761_540)) == "01/01/2027 à 00:59")
        let moment = DispatchMoment(day: try #require(ParisDay(text: "2026-03-29")), time: try #require(ParisTime(text: "03:30")))
        #expect(ParisCalendar.french(moment.date) == moment.french)
    }

    @Test func badMomentTexts() {
        #expect(ParisDay(text: "31/02/2026") == nil)
        #expect(ParisDay(text: "2026-1-5") == nil)
        #expect(ParisTime(text: "24:00") == nil)
        #expect(ParisTime(text: "9h30") == nil)
    }
}
