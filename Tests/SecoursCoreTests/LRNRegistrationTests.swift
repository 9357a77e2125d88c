import Foundation
import Testing
@testable import SecoursCore

@Suite("GAMMA 2 fallback LRNs registered or communicated (R-NUM-6, R-GPS-2)")
struct LRNRegistrationTests {
    /// 22 November 2026, 10:15 in Paris.
    let now = ISO8601DateFormatter().date(from: "2026-11-22T09:15:00Z")!

    func request(_ number: String, type: String = "DSA", excise: String = "FR007328E0001", date: String = "2026-11-21", time: String = "16:00") -> RegistrationRequest {
        RegistrationRequest(number: number, type: type, exciseNumber: excise, transport: "AB-123-CD", dispatchDate: date, dispatchTime: time)
    }

    func refusal(_ r: RegistrationRequest, _ departure: RegistrationRequest.Departure = .departed) -> [SecoursError.FieldError] {
        do {
            _ = try r.validate(now: now, departure: departure)
            return []
        } catch { return error.fields }
    }

    @Test func anLRNIsReadWithTheDeclaredType() throws {
        let v = try request(" ps261121e00010042 ").validate(now: now)
        #expect(v.kind == .lrn && v.number.value == "PS261121E00010042" && v.type == .dsa)
        #expect(v.number.sequence == 42 && v.year == 2026)
        guard case let .lrn(lrn) = v.number else { Issue.record("not an LRN"); return }
        #expect(lrn.groups == ["PS", "261121", "E0001", "0042"])
        #expect(try request("PS261121E00010042", type: "DAA").validate(now: now).type == .dae)
    }

    @Test func aManualNumberStaysACRAPSNumber() throws {
        let v = try request("26FR007328E0001000052").validate(now: now)
        #expect(v.kind == .craps && v.number.sequence == 5 && v.year == 2026)
        #expect(FallbackDocumentNumber.kind(of: "26FR007328E0001000052") == .craps && FallbackDocumentNumber.kind(of: " ps1") == .lrn)
    }

    @Test func itsOwnRules() {
        let wrongSuffix = refusal(request("PS261121E00020001"))
        #expect(wrongSuffix.map(\.field) == ["number"] && wrongSuffix[0].message.contains("E0001"))
        #expect(refusal(request("PS261123E00010001")).first?.message.contains("dans le futur") == true)
        #expect(refusal(request("PS261121E00010000")).first?.message.hasPrefix("LRN de secours invalide") == true)
        #expect(refusal(request("PS261121E00010000000001")).map(\.field) == ["number"])
        #expect(refusal(request("PS260229E00010001")).map(\.field) == ["number"])
        #expect(refusal(request("PS261120E00010001")).map(\.field) == ["dispatchDate"])
        #expect(refusal(request("PS261121E00010001", excise: "FR007328E0002")).map(\.field) == ["number"])
        #expect(refusal(request("", type: "")).first?.message.contains("LRN") == true)
    }

    @Test func communicatedOnTheDayOfDeparture() throws {
        #expect(try request("PS261122E00010001", date: "2026-11-22", time: "15:00").validate(now: now, departure: .upcoming).kind == .lrn)
        // The LRN is dated the day it is made: it cannot announce tomorrow's departure.
        #expect(refusal(request("PS261122E00010001", date: "2026-11-23", time: "08:00"), .upcoming).map(\.field) == ["dispatchDate"])
        #expect(refusal(request("PS261123E00010001", date: "2026-11-23", time: "08:00"), .upcoming).map(\.field) == ["number"])
    }

    @Test func drmKeepsLRNsApartAndOrdersThemBySerial() {
        let m = Month(year: 2026, month: 11)!
        let rows = DRMRow.fold(month: m, counted: [
            .init(exciseNumber: "FR007328E0001", kind: .lrn, type: .dae, status: .active, count: 1,
                  first: "PS261121E000110000", firstSequence: 10_000, last: "PS261121E000110000", lastSequence: 10_000),
            .init(exciseNumber: "FR007328E0001", kind: .lrn, type: .dsa, status: .active, count: 1,
                  first: "PS261121E00019999", firstSequence: 9_999, last: "PS261121E00019999", lastSequence: 9_999),
            .init(exciseNumber: "FR007328E0001", kind: .craps, type: .dae, status: .active, count: 2,
                  first: "26FR007328E0001000041", firstSequence: 4, last: "26FR007328E0001000052", lastSequence: 5),
        ])
        #expect(rows.map(\.kind) == [.craps, .lrn])
        #expect(rows[0].first == "26FR007328E0001000041" && rows[0].last == "26FR007328E0001000052" && rows[0].total == 2)
        #expect(rows[1].first == "PS261121E00019999" && rows[1].last == "PS261121E000110000" && rows[1].byType == [.dae: 1, .dsa: 1])
    }
}
