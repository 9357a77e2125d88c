import Testing
@testable import SecoursCore

@Suite("Guided diagnosis (R-DIAG-1)")
struct DiagnosisTests {
    /// Alerts covering exactly one service and mode, or none.
    func alerts(_ covered: (OnlineService, TransmissionMode)?) -> (OnlineService, TransmissionMode) -> [String] {
        { s, m in covered.map { $0 == s && $1 == m } == true ? ["AL261122-01"] : [] }
    }

    func end(_ flow: DiagnosisFlow, _ answers: [String], alert: (OnlineService, TransmissionMode)? = nil) throws -> DiagnosisFlow.Conclusion? {
        try flow.run(answers, alerts: alerts(alert)).conclusion
    }

    @Test(arguments: DiagnosisFlow.all.map(\.id))
    func flowsAreWellFormed(_ id: String) {
        #expect(DiagnosisFlow.named(id)!.check() == [])
    }

    /// Walks every path of every flow, with and without an alert covering what the path states:
    /// each ends on a conclusion.
    @Test func everyPathEndsOnAConclusion() throws {
        var paths = 0
        for flow in DiagnosisFlow.all {
            for alertOn in [false, true] {
                var pending: [[String]] = [[]]
                while let answers = pending.popLast() {
                    let outcome = try flow.run(answers) { _, _ in alertOn ? ["AL261122-01"] : [] }
                    if let q = outcome.question {
                        for a in q.answers { pending.append(answers + [a.id]) }
                    } else {
                        let c = try #require(outcome.conclusion)
                        #expect(!c.title.isEmpty && !c.actions.isEmpty)
                        #expect((c.verdict == .noFallback) == (c.basis == nil), "\(flow.id) \(answers)")
                        paths += 1
                    }
                }
            }
        }
        #expect(paths > 40)
    }

    @Test func gammaPaths() throws {
        let f = DiagnosisFlow.gamma
        #expect(try end(f, ["other"])?.verdict == .noFallback)
        // An alert covering GAMMA in the operator's mode authorises at once; another mode's does not.
        #expect(try end(f, ["emit", "dti"], alert: (.gamma, .dti))?.basis == .alert)
        #expect(try f.run(["emit", "edi"], alerts: alerts((.gamma, .dti))).question?.id == "internet")
        #expect(try end(f, ["emit", "dti", "yes", "gamma"])?.basis == .sauDiagnosis)
        #expect(try end(f, ["emit", "dti", "yes", "not-yet"])?.verdict == .noFallback)
        #expect(try end(f, ["emit", "edi", "yes", "provider"])?.basis == .ediProviderIncident)
        #expect(try end(f, ["emit", "dti-plus", "yes", "software"])?.title.contains("éditeur") == true)
        #expect(try end(f, ["emit", "dti", "no", "no"])?.verdict == .askOffice)
        #expect(try end(f, ["emit", "dti", "yes", "mine", "yes"])?.verdict == .noFallback)
        let trail = try f.run(["emit", "dti", "no"], alerts: alerts(nil))
        #expect(trail.mode == .dti && trail.service == .gamma && trail.alerts.isEmpty)
        #expect(trail.trail.map(\.answer).contains("Non, aucune alerte publiée"))
    }

    @Test func gamma2Paths() throws {
        let f = DiagnosisFlow.gamma2
        #expect(try end(f, ["yes", "no"])?.verdict == .selfTrigger)
        #expect(try end(f, ["yes", "yes"])?.verdict == .noFallback)
        #expect(try end(f, ["no", "dti"], alert: (.gamma2, .dti))?.basis == .alert)
        // An alert on GAMMA (not GAMMA 2) does not count.
        #expect(try f.run(["no", "dti"], alerts: alerts((.gamma, .dti))).question?.id == "office")
        #expect(try end(f, ["no", "dti", "no"])?.verdict == .selfTrigger)
        #expect(try end(f, ["no", "dti-plus"])?.title.contains("éditeur") == true)
        #expect(try end(f, ["no", "edi"])?.title.contains("prestataire") == true)
    }

    @Test func deltaPaths() throws {
        let f = DiagnosisFlow.delta
        #expect(try f.run(["delta-x", "edi"], alerts: alerts((.deltaX, .edi))).question?.id == "same-fault")
        #expect(try end(f, ["delta-x", "edi", "yes"], alert: (.deltaX, .edi))?.basis == .alert)
        #expect(try f.run(["delta-x", "edi", "no"], alerts: alerts((.deltaX, .edi))).question?.id == "edi-platform")
        #expect(try end(f, ["delta-g", "dti", "yes"])?.title.contains("pas nécessaire") == true)
        #expect(try end(f, ["delta-g", "dti", "no", "yes"])?.verdict == .noFallback)
        #expect(try end(f, ["delta-h7", "dti", "no", "no"])?.verdict == .selfTrigger)
        #expect(try end(f, ["delta-h7", "edi", "yes"])?.verdict == .noFallback)
        // The alert check asks about the service chosen and the mode stated.
        var asked: [(OnlineService, TransmissionMode)] = []
        _ = try f.run(["delta-h7", "edi"]) { s, m in asked.append((s, m)); return [] }
        #expect(asked.count == 1 && asked[0] == (.deltaH7, .edi))
    }

    @Test func badAnswersAreRefused() {
        #expect(throws: DiagnosisFlow.RunError.unknownAnswer(position: 2, answer: "fax")) {
            try DiagnosisFlow.gamma.run(["emit", "fax"], alerts: { _, _ in [] })
        }
        #expect(throws: DiagnosisFlow.RunError.tooManyAnswers) {
            try DiagnosisFlow.gamma.run(["other", "yes"], alerts: { _, _ in [] })
        }
        #expect(DiagnosisFlow.named("telex") == nil)
    }
}

@Suite("DRM report rows (R-OFF-2)")
struct DRMRowTests {
    @Test func monthsParseAndStep() {
        #expect(Month(text: "2026-11") == Month(year: 2026, month: 11))
        #expect(Month(text: "02/2027")?.iso == "2027-02")
        #expect(Month(text: "2026-13") == nil && Month(text: "novembre") == nil && Month(text: "2026-1") == nil)
        #expect(Month(year: 2026, month: 12)!.next == Month(year: 2027, month: 1))
        #expect(Month(year: 2026, month: 2)!.label == "février 2026")
    }

    @Test func groupsFoldIntoOneRowPerExciseNumber() {
        let m = Month(year: 2026, month: 11)!
        let rows = DRMRow.fold(month: m, groups: [
            (exciseNumber: "FR007328E0002", type: .dae, status: .active, count: 1, first: "26FR007328E0002000011", last: "26FR007328E0002000011"),
            (exciseNumber: "FR007328E0001", type: .dae, status: .active, count: 3, first: "26FR007328E0001000052", last: "26FR007328E0001000091"),
            (exciseNumber: "FR007328E0001", type: .dsa, status: .cancelled, count: 2, first: "26FR007328E0001000012", last: "26FR007328E0001000102"),
        ])
        #expect(rows.map(\.exciseNumber) == ["FR007328E0001", "FR007328E0002"])
        #expect(rows[0].first == "26FR007328E0001000012" && rows[0].last == "26FR007328E0001000102")
        #expect(rows[0].total == 5 && rows[0].byType == [.dae: 3, .dsa: 2] && rows[0].byStatus == [.active: 3, .cancelled: 2])
        #expect(DRMRow.fold(month: m, groups: []).isEmpty)
    }
}
