import Foundation
import Testing
@testable import SecoursCore

@Suite("Status machine (R-DOC-2)")
struct StatusMachineTests {
    /// The complete table: every (status, move) pair, allowed or refused.
    static let allowed: [Status: [StatusMove: Status]] = [
        .active: [.cancel: .cancelled, .reintegrate: .reintegrated, .inactivate: .inactive],
        .inactive: [.reactivate: .active, .reintegrate: .reintegrated],
        .cancelled: [:],
        .reintegrated: [:],
    ]

    @Test(arguments: Status.allCases)
    func everyMoveFrom(_ status: Status) throws {
        for move in StatusMove.allCases {
            if let target = Self.allowed[status]![move] {
                #expect(try status.applying(move) == target, "\(status) \(move)")
            } else {
                #expect(throws: SecoursError.moveRefused(from: status, move: move)) { try status.applying(move) }
            }
        }
    }

    @Test func refusalsAreClearAndConflicts() {
        let e = SecoursError.moveRefused(from: .cancelled, move: .reactivate)
        #expect(e.kind == .conflict)
        #expect(e.code == "status_move_refused")
        #expect(e.message == "Impossible de réactiver ce document : le statut « Annulé » est définitif.")
        let e2 = SecoursError.moveRefused(from: .inactive, move: .cancel)
        #expect(e2.message.contains("n'est pas permis depuis le statut « Inactif »"))
    }

    @Test func finalStatuses() {
        #expect(Status.allCases.filter(\.isFinal) == [.cancelled, .reintegrated])
        #expect(Status.allCases.map(\.label) == ["Actif", "Inactif", "Annulé", "Réintégré"])
    }
}

@Suite("Reasons (R-DOC-3/4)")
struct ReasonTests {
    @Test func codesAndLabels() {
        #expect(CancellationReason.allCases.map(\.rawValue) == ["commercial-transaction-interrupted", "document-error", "system-restored-before-dispatch", "other"])
        #expect(ReactivationReason.allCases.map(\.rawValue) == ["operator-recurring-technical-problems", "customs-recurring-technical-problems", "operator-oversight", "gamma-regularisation-failed", "other"])
        #expect(ReactivationReason.gammaRegularisationFailed.label == "Échec de la régularisation dans GAMM@")
    }

    @Test func otherNeedsAComment() throws {
        #expect(throws: SecoursError.invalid(field: "comment", message: "Un commentaire est obligatoire avec le motif « Autre ».")) {
            try ReasonedMove<CancellationReason>(code: "other", comment: "   ")
        }
        let m = try ReasonedMove<CancellationReason>(code: "other", comment: " camion en panne ")
        #expect(m.reason == .other && m.comment == "camion en panne")
        let r = try ReasonedMove<ReactivationReason>(code: "operator-oversight", comment: nil)
        #expect(r.reason == .operatorOversight && r.comment == nil)
    }

    @Test func unknownOrMissingReason() {
        #expect(throws: SecoursError.self) { try ReasonedMove<CancellationReason>(code: "bored", comment: nil) }
        #expect(throws: SecoursError.self) { try ReasonedMove<CancellationReason>(code: nil, comment: nil) }
        #expect(throws: SecoursError.self) { try ReasonedMove<CancellationReason>(code: "other", comment: String(repeating: "x", count: 501)) }
    }
}

@Suite("Rights and access (R-ACC-2/3)")
struct AccessTests {
    @Test func sevenRights() {
        #expect(Right.allCases.count == 7)
        #expect(Right.allCases.map(\.rawValue) == ["prepare-daa", "prepare-dsa", "issue-daa", "issue-dsa", "discharge-daa", "search-daa", "search-dsa"])
        #expect(Right.issue(.dae) == .issueDAA && Right.issue(.dsa) == .issueDSA)
        #expect(Right.search(.dae) == .searchDAA && Right.search(.dsa) == .searchDSA)
        #expect(Right.issueDAA.label == "Émettre un DAA / DAA secours")
    }

    @Test func operatorsNeedTheExactRight() {
        let daaOnly = Access.Facts(role: .operator, rights: [.issueDAA], sameOffice: true)
        #expect(Access.allows(.issueDAA, daaOnly))
        #expect(!Access.allows(.issueDSA, daaOnly))
        #expect(!Access.allows(.searchDAA, daaOnly))
        let edi = Access.Facts(role: .edi, rights: [.searchDSA], sameOffice: false)
        #expect(Access.allows(.searchDSA, edi) && !Access.allows(.issueDSA, edi))
        #expect(!Access.seesAnything(.init(role: .operator, rights: [.prepareDAA], sameOffice: true)))
    }

    @Test func officersActForTheirOfficeOnly() {
        #expect(Access.allows(.issueDSA, .init(role: .officer, rights: [], sameOffice: true)))
        #expect(!Access.allows(.searchDAA, .init(role: .officer, rights: Set(Right.allCases), sameOffice: false)))
    }

    @Test func cidSeesAllAndSystemOnlyReads() {
        #expect(Right.allCases.allSatisfy { Access.allows($0, .init(role: .cid, rights: [], sameOffice: false)) })
        let system = Access.Facts(role: .system, rights: [], sameOffice: false)
        #expect(Access.allows(.searchDAA, system) && Access.allows(.searchDSA, system))
        #expect(!Access.allows(.issueDAA, system))
    }

    @Test func actorTypes() {
        #expect(Role.operator.actorType == .operator)
        #expect(Role.officer.actorType == .customsOfficer)
        #expect(Role.edi.actorType == .ediProvider)
        #expect(Role.system.actorType == .system)
        #expect(ActorType.allCases.map(\.label) == ["Opérateur", "Douanier", "Prestataire EDI", "Système"])
    }

    @Test func documentTypes() {
        #expect(DocumentType(code: "daa") == .dae)
        #expect(DocumentType(code: " DAE ") == .dae)
        #expect(DocumentType(code: "dsa") == .dsa)
        #expect(DocumentType(code: "DAD") == nil)
    }
}

@Suite("Europe/Paris calendar")
struct ParisCalendarTests {
    func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func newYearInParisBeforeUTC() {
        // 23:30 UTC on 31 December is already 00:30 on 1 January in Paris: the number says 27.
        let d = utc("2026-12-31T23:30:00Z")
        #expect(ParisDay(d) == ParisDay(year: 2027, month: 1, day: 1))
        #expect(ParisDay(d).shortYear == 27)
        #expect(ParisTime(d).text == "00:30")
    }

    @Test func summerTime() {
        #expect(ParisTime(utc("2026-07-01T10:00:00Z")).text == "12:00")
        #expect(ParisTime(utc("2026-01-15T10:00:00Z")).text == "11:00")
        // The night of the change to summer time (29 March 2026, 02:00 → 03:00).
        #expect(ParisTime(utc("2026-03-29T00:59:00Z")).text == "01:59")
        #expect(ParisTime(utc("2026-03-29T01:00:00Z")).text == "03:00")
    }

    @Test func dayStartAndNextDay() {
        // Midnight in Paris is 23:00 UTC the day before in winter, 22:00 in summer.
        #expect(ParisDay(year: 2026, month: 1, day: 15)!.start == utc("2026-01-14T23:00:00Z"))
        #expect(ParisDay(year: 2026, month: 7, day: 1)!.start == utc("2026-06-30T22:00:00Z"))
        // The day of the change to summer time lasts 23 hours.
        let change = ParisDay(year: 2026, month: 3, day: 29)!
        #expect(change.next.start.timeIntervalSince(change.start) == 23 * 3600)
        #expect(ParisDay(year: 2026, month: 1, day: 31)!.next == ParisDay(year: 2026, month: 2, day: 1))
        #expect(ParisDay(year: 2028, month: 2, day: 28)!.next == ParisDay(year: 2028, month: 2, day: 29))
        #expect(ParisDay(year: 2026, month: 12, day: 31)!.next == ParisDay(year: 2027, month: 1, day: 1))
    }

    @Test func parsesBothDateForms() {
        #expect(ParisDay(text: "2026-11-22") == ParisDay(year: 2026, month: 11, day: 22))
        #expect(ParisDay(text: "22/11/2026") == ParisDay(year: 2026, month: 11, day: 22))
        #expect(ParisDay(text: "2026-02-29") == nil)
        #expect(ParisDay(text: "2028-02-29") != nil)
        #expect(ParisDay(text: "31/04/2026") == nil)
        #expect(ParisDay(text: "2026-1-2") == nil)
        #expect(ParisDay(text: "tomorrow") == nil)
        #expect(ParisTime(text: "08:30")?.text == "08:30")
        #expect(ParisTime(text: "24:00") == nil)
        #expect(ParisTime(text: "8:30") == nil)
        #expect(ParisDay(year: 2026, month: 11, day: 22)!.french == "22/11/2026")
    }
}

@Suite("Generation request (R-GPS-1)")
struct GenerationRequestTests {
    /// 22 November 2026, 10:15 in Paris.
    let now = ISO8601DateFormatter().date(from: "2026-11-22T09:15:00Z")!

    func request(type: String? = "DAA", excise: String? = "FR007328E0001", transport: String? = "AB-123-CD",
                 date: String? = "2026-11-22", time: String? = "10:15") -> GenerationRequest {
        GenerationRequest(type: type, exciseNumber: excise, transport: transport, dispatchDate: date, dispatchTime: time)
    }

    @Test func nowIsAllowed() throws {
        let v = try request().validate(now: now)
        #expect(v.type == .dae && v.exciseNumber.value == "FR007328E0001" && v.transport == "AB-123-CD")
        #expect(v.dispatch.time.text == "10:15")
    }

    @Test func laterDayAnyTime() throws {
        #expect(try request(date: "23/11/2026", time: "00:00").validate(now: now).dispatch.day.iso == "2026-11-23")
    }

    @Test func earlierTimeTodayRefused() {
        do {
            _ = try request(time: "10:14").validate(now: now)
            Issue.record("accepted a time in the past")
        } catch {
            #expect(error.fields.map(\.field) == ["dispatchTime"])
            #expect(error.message(for: "dispatchTime")!.contains("10:15"))
        }
    }

    @Test func pastDayRefused() {
        #expect(throws: SecoursError.invalid(field: "dispatchDate", message: "La date d'expédition doit être égale ou postérieure à la date du jour.")) {
            try request(date: "2026-11-21", time: "23:59").validate(now: now)
        }
    }

    @Test func everyFieldReported() {
        do {
            _ = try request(type: nil, excise: "FR00", transport: "  ", date: "31/02/2026", time: "25:00").validate(now: now)
            Issue.record("accepted garbage")
        } catch {
            #expect(error.kind == .invalid)
            #expect(error.fields.map(\.field) == ["type", "exciseNumber", "transport", "dispatchDate", "dispatchTime"])
            #expect(error.message(for: "exciseNumber")!.contains("13 caractères"))
        }
    }

    @Test func transportRules() {
        #expect(throws: SecoursError.self) { try request(transport: String(repeating: "A", count: 36)).validate(now: now) }
        #expect(throws: SecoursError.self) { try request(transport: "AB\u{0007}12").validate(now: now) }
        #expect((try? request(transport: " Péniche « Belle-Île » ").validate(now: now))?.transport == "Péniche « Belle-Île »")
    }
}

@Suite("Account rules")
struct AccountRulesTests {
    @Test func siren() throws {
        #expect(try AccountRules.siren("732 829 320") == "732829320")
        #expect(throws: SecoursError.self) { try AccountRules.siren("123456789") }
        #expect(throws: SecoursError.self) { try AccountRules.siren("12345") }
    }

    @Test func others() throws {
        #expect(try AccountRules.officeCode(" fr000690 ") == "FR000690")
        #expect(throws: SecoursError.self) { try AccountRules.officeCode("F0000690") }
        #expect(try AccountRules.login("Marie.Laurent") == "marie.laurent")
        #expect(throws: SecoursError.self) { try AccountRules.login("ma rie") }
        #expect(throws: SecoursError.self) { try AccountRules.email("not-an-email") }
        #expect(try AccountRules.email("a@b.fr") == "a@b.fr")
        #expect(throws: SecoursError.self) { try AccountRules.password("short") }
        #expect(throws: SecoursError.self) { try AccountRules.text("  ", field: "name", label: "Le nom") }
    }
}
