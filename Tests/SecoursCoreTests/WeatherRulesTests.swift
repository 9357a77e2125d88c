import Foundation
import Testing
@testable import SecoursCore

@Suite("Weather rules (R-MET)")
struct WeatherRulesTests {
    let now = ISO8601DateFormatter().date(from: "2026-11-22T09:15:00Z")!

    @Test func worstCurrentLevelPerServiceAndMode() {
        let w = Weather(current: [
            .init(level: .red, coverage: AlertCoverage(services: [.gamma, .gps], modes: [.dti])),
            .init(level: .black, coverage: AlertCoverage(services: [.gamma], modes: [.dti, .edi])),
        ])
        #expect(w.state(.gamma, .dti) == .black)
        #expect(w.state(.gps, .dti) == .red)
        #expect(w.state(.gamma, .edi) == .black)
        #expect(w.state(.gamma, .dtiPlus) == .normal && w.state(.deltaG, .dti) == .normal)
        #expect(Weather(current: []).state(.portal, .edi) == .normal)
    }

    @Test func coverageIsStoredInAFixedOrder() {
        let c = AlertCoverage(services: [.gps, .gamma, .gps], modes: [.edi, .dti])
        #expect(c.storedServices == "GAMMA,GPS" && c.storedModes == "DTI,EDI")
        #expect(AlertCoverage(storedServices: "GPS,GAMMA,BOGUS", storedModes: "EDI") == AlertCoverage(services: [.gamma, .gps], modes: [.edi]))
    }

    @Test func referencesQuoteTheParisDay() {
        #expect(DayReference.alert.make(day: ParisDay(year: 2026, month: 1, day: 5)!, ordinal: 3) == "AL260105-03")
        #expect(DayReference.alert.make(day: ParisDay(year: 2026, month: 11, day: 22)!, ordinal: 12) == "AL261122-12")
        #expect(DayReference.assistanceRequest.make(day: ParisDay(year: 2026, month: 11, day: 22)!, ordinal: 7) == "DA261122-007")
    }

    @Test func requestsAreCheckedFieldByField() throws {
        let ok = try AlertRequest(level: " Black ", services: ["gamma", "GAMMA2"], modes: ["dti+"], title: " Panne ", description: "Rien ne passe.")
            .validate(now: now)
        #expect(ok.level == .black && ok.coverage.services == [.gamma, .gamma2] && ok.coverage.modes == [.dtiPlus])
        #expect(ok.title == "Panne" && ok.startedAt == now)
        do {
            _ = try AlertRequest(level: "orange", services: ["GAMMA", "TELEX"], modes: [], title: String(repeating: "t", count: 201), description: " ",
                                 startedAt: now.addingTimeInterval(3600)).validate(now: now)
            Issue.record("accepted")
        } catch {
            #expect(Set(error.fields.map(\.field)) == ["level", "services", "modes", "title", "description", "startedAt"])
        }
        #expect(throws: SecoursError.self) {
            try AlertRequest(level: "red", services: ["GAMMA"], modes: ["DTI"], title: "t", description: "d",
                             startedAt: now.addingTimeInterval(-31 * 86_400)).validate(now: now)
        }
        #expect(try AlertRequest.bulletinText("  Rétabli.  ", required: true) == "Rétabli.")
        #expect(try AlertRequest.bulletinText(" ", required: false) == nil)
        #expect(throws: SecoursError.self) { try AlertRequest.bulletinText("", required: true) }
        #expect(throws: SecoursError.self) { try AlertRequest.bulletinText(String(repeating: "x", count: 4001), required: false) }
    }
}
