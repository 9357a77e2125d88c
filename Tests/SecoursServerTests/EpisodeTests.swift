import Fluent
import Foundation
import SecoursCore
import Testing
import VaporTesting
@testable import SecoursServer

@Suite("Fallback episodes and the rule on generation (R-DIAG-2)")
struct EpisodeTests {
    /// The rule on, from a clear sky: the demonstration alert ended.
    func withRule(_ db: TestDatabase, clock: TestClock = TestClock(referenceNow), _ body: @escaping @Sendable (Application) async throws -> Void) async throws {
        try await withApp(db, clock: clock, configure: { $0.requireEpisode = true }) { app in
            try await app.endDemoAlert()
            try await body(app)
        }
    }

    func request(_ excise: String = "FR007328E0001", basis: String = "office-authorisation", reference: String? = nil,
                 reason: String = "Plus de connexion Internet, pas d'autre accès.") -> [String: Any] {
        var body: [String: Any] = ["exciseNumber": excise, "basis": basis, "reason": reason]
        if let reference { body["reference"] = reference }
        return body
    }

    func document(_ app: Application, _ number: String) async throws -> DocumentModel {
        try #require(try await DocumentModel.query(on: app.db).filter(\.$number == number).first())
    }

    @Test(arguments: TestDatabase.available)
    func generationNeedsAnAlertOrAnOpenEpisode(_ db: TestDatabase) async throws {
        let clock = TestClock(referenceNow)
        try await withRule(db, clock: clock) { app in
            let marie = try await app.token("marie.laurent")
            let refused = try await app.generate(marie)
            #expect(refused.status == .conflict && refused.errorCode == "fallback_not_open")
            #expect(refused.errorMessage?.contains("Je diagnostique ma panne") == true)
            #expect((try await app.api(.GET, "/api/v1/documents", token: marie)).object["total"] as? Int == 0, "nothing was stored")

            // A current alert on GAMMA in DTI covers FR007328E0001 (DTI); the document says so.
            let cid = try await app.token("cid.admin")
            _ = try await app.api(.POST, "/api/v1/alerts", token: cid, body: ["level": "red", "services": ["GAMMA"], "modes": ["DTI"], "title": "t", "description": "d"])
            let covered = try await app.generate(marie)
            #expect(covered.status == .created)
            let doc = try await document(app, covered.object["number"] as! String)
            #expect(doc.coveredByAlert == "AL261122-02" && doc.coveredByEpisode == nil)
            // …but not FR007328E0002 (DTI+).
            #expect(try await app.generate(marie, excise: "FR007328E0002").status == .conflict)
            _ = try await app.api(.POST, "/api/v1/alerts/AL261122-02/end", token: cid)
            #expect(try await app.generate(marie).status == .conflict)

            // A request to the office: still refused during the hour, then granted by silence.
            let asked = try await app.api(.POST, "/api/v1/episodes", token: marie, body: request())
            #expect(asked.status == .created && asked.object["status"] as? String == "requested")
            let id = try #require(asked.object["id"] as? String)
            #expect(try await app.generate(marie).status == .conflict)
            clock.set(referenceNow.addingTimeInterval(3600 + 60))
            let later = try await app.generate(marie, date: "2026-11-22", time: "12:00")
            #expect(later.status == .created, "\(later.text)")
            #expect(try await document(app, later.object["number"] as! String).coveredByEpisode?.uuidString == id.uppercased())
            let episode = try await app.api(.GET, "/api/v1/episodes/\(id)", token: marie)
            #expect(episode.object["status"] as? String == "open" && episode.object["basis"] as? String == "office-silence")
            let events = episode.object["events"] as? [[String: Any]] ?? []
            #expect(events.map { $0["kind"] as? String } == ["requested", "opened-by-silence"])
            #expect(events.last?["actorType"] as? String == "system")

            // The EDI excise number has the demonstration episode (SAU diagnosis).
            #expect(try await app.generate(try await app.token("sophie.durand"), excise: "FR009990F0005").status == .created)
        }
    }

    @Test(arguments: TestDatabase.available)
    func withTheRuleOffNothingIsNeeded(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.requireEpisode = false }) { app in
            try await app.endDemoAlert()
            let marie = try await app.token("marie.laurent")
            #expect(try await app.api(.GET, "/api/v1/episodes", token: marie).array.isEmpty)
            let made = try await app.generate(marie)
            #expect(made.status == .created)
            let doc = try await document(app, made.object["number"] as! String)
            #expect(doc.coveredByAlert == nil && doc.coveredByEpisode == nil)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theOfficeAnswersWithinTheHour(_ db: TestDatabase) async throws {
        let clock = TestClock(referenceNow)
        try await withRule(db, clock: clock) { app in
            let marie = try await app.token("marie.laurent")
            let agent = try await app.token("agent.bordeaux")
            let id = try #require(try await app.api(.POST, "/api/v1/episodes", token: marie, body: request()).object["id"] as? String)
            let pending = try await app.api(.GET, "/api/v1/episodes?status=requested", token: agent)
            #expect(pending.array.map { $0["id"] as? String } == [id])
            #expect(try await app.api(.POST, "/api/v1/episodes/\(id)/decision", token: marie, body: ["decision": "authorise"]).status == .forbidden)
            #expect(try await app.api(.POST, "/api/v1/episodes/\(id)/decision", token: agent, body: ["decision": "maybe"]).status == .unprocessableEntity)
            let yes = try await app.api(.POST, "/api/v1/episodes/\(id)/decision", token: agent, body: ["decision": "authorise", "comment": "Vu par téléphone."])
            #expect(yes.status == .ok && yes.object["status"] as? String == "open" && yes.object["basis"] as? String == "office-authorisation")
            #expect(try await app.generate(marie).status == .created)
            #expect(try await app.api(.POST, "/api/v1/episodes/\(id)/decision", token: agent, body: ["decision": "refuse", "comment": "x"]).status == .conflict)

            // A refusal needs a reason and keeps the rule closed.
            let other = try #require(try await app.api(.POST, "/api/v1/episodes", token: marie, body: request("FR007328E0002")).object["id"] as? String)
            #expect(try await app.api(.POST, "/api/v1/episodes/\(other)/decision", token: agent, body: ["decision": "refuse"]).status == .unprocessableEntity)
            let no = try await app.api(.POST, "/api/v1/episodes/\(other)/decision", token: agent, body: ["decision": "refuse", "comment": "Utilisez le poste du bureau."])
            #expect(no.object["status"] as? String == "refused")
            #expect(try await app.generate(marie, excise: "FR007328E0002").status == .conflict)

            // Past the hour, the office can no longer answer: silence granted it.
            let third = try #require(try await app.api(.POST, "/api/v1/episodes", token: marie, body: request("FR007328E0002")).object["id"] as? String)
            clock.set(referenceNow.addingTimeInterval(3601))
            let late = try await app.api(.POST, "/api/v1/episodes/\(third)/decision", token: agent, body: ["decision": "refuse", "comment": "trop tard"])
            #expect(late.status == .conflict && late.errorMessage?.contains("délai") == true)

            // An officer generating for an operator who phones in opens an authorisation himself.
            _ = try await app.api(.POST, "/api/v1/episodes/\(id)/end", token: marie)
            let byPhone = try await app.generate(agent, date: "2026-11-22", time: "12:00")
            #expect(byPhone.status == .created)
            let doc = try await document(app, byPhone.object["number"] as! String)
            let opened = try await app.api(.GET, "/api/v1/episodes/\(doc.coveredByEpisode!.uuidString)", token: agent)
            #expect(opened.object["basis"] as? String == "office-authorisation" && opened.object["openedBy"] as? String == "agent.bordeaux")
        }
    }

    @Test(arguments: TestDatabase.available)
    func declaredBasesEvidenceAndEnd(_ db: TestDatabase) async throws {
        try await withRule(db) { app in
            let marie = try await app.token("marie.laurent")
            let sau = try await app.api(.POST, "/api/v1/episodes", token: marie, body: request(basis: "sau-diagnosis", reference: "SAU-2026-4411", reason: ""))
            #expect(sau.status == .created && sau.object["status"] as? String == "open" && sau.object["reference"] as? String == "SAU-2026-4411")
            let id = try #require(sau.object["id"] as? String)
            #expect(try await app.api(.POST, "/api/v1/episodes", token: marie, body: request(basis: "sau-diagnosis", reference: "SAU-2")).status == .conflict,
                    "one active episode per excise number and service")
            let note = try await app.api(.POST, "/api/v1/episodes/\(id)/evidence", token: marie, body: ["text": "Courriel au bureau envoyé à 10 h 20."])
            #expect(note.status == .created && (note.object["events"] as? [[String: Any]])?.last?["kind"] as? String == "evidence")
            #expect(try await app.api(.POST, "/api/v1/episodes/\(id)/evidence", token: marie, body: ["text": " "]).status == .unprocessableEntity)
            // The CID reads but does not act.
            let cid = try await app.token("cid.admin")
            #expect(try await app.api(.GET, "/api/v1/episodes/\(id)", token: cid).status == .ok)
            #expect(try await app.api(.POST, "/api/v1/episodes/\(id)/end", token: cid).status == .forbidden)
            let ended = try await app.api(.POST, "/api/v1/episodes/\(id)/end", token: marie, body: ["comment": "Connexion rétablie."])
            #expect(ended.object["status"] as? String == "closed" && ended.object["endedAt"] != nil)
            #expect(try await app.api(.POST, "/api/v1/episodes/\(id)/end", token: marie).status == .conflict)
            #expect(try await app.generate(marie).status == .conflict)

            // An alert basis must name a current alert covering the excise number's mode.
            let bad = try await app.api(.POST, "/api/v1/episodes", token: marie, body: request(basis: "alert", reference: "AL261122-01"))
            #expect(bad.status == .unprocessableEntity && bad.errorFields == ["reference"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func badInputAndScope(_ db: TestDatabase) async throws {
        try await withRule(db) { app in
            let marie = try await app.token("marie.laurent")
            let wrong = try await app.api(.POST, "/api/v1/episodes", token: marie,
                                          body: ["exciseNumber": "FR00", "service": "TELEX", "basis": "self-trigger", "reason": ""])
            #expect(wrong.status == .unprocessableEntity && Set(wrong.errorFields) == ["exciseNumber", "service", "basis"])
            #expect(try await app.api(.POST, "/api/v1/episodes", token: marie, body: request(reason: "")).errorFields == ["reason"])
            #expect(try await app.api(.POST, "/api/v1/episodes", token: marie, body: request(basis: "sau-diagnosis")).errorFields == ["reference"])
            #expect(try await app.api(.GET, "/api/v1/episodes?status=lost", token: marie).status == .unprocessableEntity)
            #expect(try await app.api(.GET, "/api/v1/episodes", token: marie).array.isEmpty, "bad input stored nothing")

            // Another company's operator sees none of it and cannot act; neither can another office.
            let id = try #require(try await app.api(.POST, "/api/v1/episodes", token: marie, body: request()).object["id"] as? String)
            let sophie = try await app.token("sophie.durand")
            #expect(try await app.api(.POST, "/api/v1/episodes", token: sophie, body: request()).status == .forbidden)
            #expect(try await app.api(.GET, "/api/v1/episodes", token: sophie).array.allSatisfy { $0["exciseNumber"] as? String == "FR009990F0005" })
            #expect(try await app.api(.GET, "/api/v1/episodes/\(id)", token: sophie).status == .notFound)
            #expect(try await app.api(.POST, "/api/v1/episodes/\(id)/evidence", token: sophie, body: ["text": "x"]).status == .notFound)
            #expect(try await app.api(.POST, "/api/v1/episodes/\(id)/end", token: sophie).status == .notFound)
            let cid = try await app.token("cid.admin")
            _ = try await app.api(.POST, "/api/v1/offices", token: cid, body: ["code": "FR000725", "name": "Bureau de Cognac", "email": "cognac@douane.invalid"])
            _ = try await app.api(.POST, "/api/v1/users", token: cid, body: ["login": "agent.cognac", "email": "a@cognac.invalid", "password": "mot-de-passe-long",
                                                                             "role": "officer", "officeCode": "FR000725"])
            let cognac = try await app.token("agent.cognac", password: "mot-de-passe-long")
            #expect(try await app.api(.GET, "/api/v1/episodes", token: cognac).array.isEmpty)
            #expect(try await app.api(.POST, "/api/v1/episodes/\(id)/decision", token: cognac, body: ["decision": "authorise"]).status == .notFound)
            #expect(try await app.api(.GET, "/api/v1/episodes/\(id)", token: marie).object["status"] as? String == "requested")
        }
    }
}
