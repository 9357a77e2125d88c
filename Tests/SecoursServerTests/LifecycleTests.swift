import Fluent
import Foundation
import SecoursCore
import Testing
import VaporTesting
@testable import SecoursServer

@Suite("Registration a posteriori and status moves (R-GPS-2..5, R-DOC-2..5)")
struct LifecycleTests {
    func register(_ app: Application, _ token: String, number: String, type: String = "DAE", excise: String = "FR007328E0001",
                  date: String = "2026-11-21", time: String = "16:00") async throws -> APIResponse {
        try await app.api(.POST, "/api/v1/documents/registrations", token: token, body: [
            "number": number, "type": type, "exciseNumber": excise, "transport": "AB-123-CD", "dispatchDate": date, "dispatchTime": time,
        ])
    }

    @Test(arguments: TestDatabase.available)
    func manualNumbersShareTheSequence(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            // act: an offline number 00005, then a generation
            let registered = try await register(app, marie, number: "26fr007328e0001000051")
            #expect(registered.status == .created)
            #expect(registered.object["registrationMode"] as? String == "a-posteriori")
            #expect(registered.object["status"] as? String == "active")
            #expect(registered.object["number"] as? String == "26FR007328E0001000051")
            let next = try await app.generate(marie)
            #expect((next.object["number"] as? String)?.hasPrefix("26FR007328E000100006") == true)
            // A lower, unused sequence is accepted and does not move the sequence back.
            #expect(try await register(app, marie, number: "26FR007328E0001000032", type: "DSA").status == .created)
            #expect((try await app.generate(marie).object["number"] as? String)?.hasPrefix("26FR007328E000100007") == true)
            let history = try await app.api(.GET, "/api/v1/documents/26FR007328E0001000051/history", token: marie)
            #expect(history.array.first?["action"] as? String == "registration")
        }
    }

    @Test(arguments: TestDatabase.available)
    func registrationRefusals(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let generated = try #require(try await app.generate(marie).object["number"] as? String) // sequence 1
            #expect(generated == "26FR007328E0001000011")
            #expect(try await register(app, marie, number: "26FR007328E0001000021").status == .created)
            let before = try await DocumentModel.query(on: app.db).count()
            let cases: [(APIResponse, HTTPResponseStatus, String)] = [
                (try await register(app, marie, number: "26FR007328E0001000021"), .conflict, "number_already_known"),
                // The generated 26FR007328E0001000011 ends with 1: it reads as a manual DAA number, already known.
                (try await register(app, marie, number: generated), .conflict, "number_already_known"),
                (try await register(app, marie, number: String(generated.prefix(20)) + "2", type: "DSA"), .conflict, "sequence_already_used"),
                (try await register(app, marie, number: "26FR007328E0001000092", type: "DAE"), .unprocessableEntity, "validation_failed"),
                (try await register(app, marie, number: "26FR007328E0002000091"), .unprocessableEntity, "validation_failed"),
                (try await register(app, marie, number: "26FR007328E0001000091", date: "2026-11-22", time: "10:16"), .unprocessableEntity, "validation_failed"),
                (try await register(app, marie, number: "26FR007328E00010000A1"), .unprocessableEntity, "validation_failed"),
                (try await register(app, try await app.token("sophie.durand"), number: "26FR007328E0001000091"), .forbidden, "excise_number_not_allowed"),
                (try await register(app, try await app.token("paul.martin"), number: "26FR007328E0001000092", type: "DSA"), .forbidden, "right_missing"),
            ]
            for (r, status, code) in cases {
                #expect(r.status == status, "\(r.text)")
                #expect(r.errorCode == code, "\(r.text)")
            }
            #expect(try await DocumentModel.query(on: app.db).count() == before)
            #expect(try await SequenceStore(db: app.db).last(exciseNumber: "FR007328E0001", year: 2026) == 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func cancellation(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let n = try #require(try await app.generate(marie).object["number"] as? String)
            let path = "/api/v1/documents/\(n)"
            #expect(try await app.api(.POST, path + "/cancellation", token: marie, body: [String: Any]()).errorFields == ["reason"])
            #expect(try await app.api(.POST, path + "/cancellation", token: marie, body: ["reason": "other"]).errorFields == ["comment"])
            #expect(try await app.api(.POST, path + "/cancellation", token: try await app.token("sophie.durand"),
                                      body: ["reason": "document-error"]).status == .notFound)
            #expect(try await app.api(.GET, path, token: marie).object["status"] as? String == "active")
            let done = try await app.api(.POST, path + "/cancellation", token: marie, body: ["reason": "other", "comment": "Camion en panne"])
            #expect(done.status == .ok)
            #expect(done.object["status"] as? String == "cancelled")
            #expect(done.object["cancellationReason"] as? String == "other")
            #expect(done.object["cancellationComment"] as? String == "Camion en panne")
            // Final: nothing moves it any more.
            let again = try await app.api(.POST, path + "/cancellation", token: marie, body: ["reason": "document-error"])
            #expect(again.status == .conflict && again.errorCode == "status_move_refused")
            let cid = try await app.token("cid.admin")
            #expect(try await app.api(.POST, path + "/reactivation", token: cid, body: ["reason": "operator-oversight"]).status == .conflict)
            #expect(try await app.api(.POST, path + "/reintegration", token: marie, body: ["arc": "23DKLAWWKM7TCWAKL2B09"]).status == .conflict)
            let history = try await app.api(.GET, path + "/history", token: marie).array
            #expect(history.map { $0["action"] as? String } == ["creation", "cancellation"])
            #expect((history.last?["details"] as? String)?.contains("Camion en panne") == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func inactivationReactivationReintegration(_ db: TestDatabase) async throws {
        let clock = TestClock(referenceNow)
        try await withApp(db, clock: clock) { app in
            // setup: dispatch 23/11 08:30, a GAMMA system account
            let marie = try await app.token("marie.laurent")
            let n = try #require(try await app.generate(marie).object["number"] as? String)
            let path = "/api/v1/documents/\(n)"
            let cid = try await app.token("cid.admin")
            #expect(try await app.api(.POST, "/api/v1/users", token: cid, body: ["login": "gamma", "email": "gamma@douane.invalid",
                                                                                "password": "reintegration-systeme-26", "role": "system"]).status == .created)
            let gamma = try await app.token("gamma", password: "reintegration-systeme-26")
            let inactivator = Inactivator(db: app.db, rule: InactivationRule(days: 7))

            // Seven days after dispatch it is still covered; just after, it is not.
            #expect(try await inactivator.run(now: ISO8601DateFormatter().date(from: "2026-11-30T07:29:00Z")!) == 0)
            clock.set(ISO8601DateFormatter().date(from: "2026-11-30T07:31:00Z")!)
            #expect(try await inactivator.run(now: clock.now) == 1)
            #expect(try await inactivator.run(now: clock.now) == 0)
            #expect(try await app.api(.GET, path, token: marie).object["status"] as? String == "inactive")

            // Only the office of attachment (or the CID) reactivates.
            #expect(try await app.api(.POST, path + "/reactivation", token: marie, body: ["reason": "operator-oversight"]).status == .forbidden)
            let officer = try await app.token("agent.bordeaux")
            #expect(try await app.api(.POST, path + "/reactivation", token: officer, body: ["reason": "unknown"]).status == .unprocessableEntity)
            let reactivated = try await app.api(.POST, path + "/reactivation", token: officer, body: ["reason": "operator-oversight"])
            #expect(reactivated.status == .ok && reactivated.object["status"] as? String == "active")
            #expect(reactivated.object["reactivationReason"] as? String == "operator-oversight")
            // A fresh delay: not overdue six days later, overdue eight days later.
            #expect(try await inactivator.run(now: clock.now.addingTimeInterval(6 * 86_400)) == 0)
            clock.set(clock.now.addingTimeInterval(8 * 86_400))
            #expect(try await inactivator.run(now: clock.now) == 1)

            // GAMMA reports the reintegration of the inactive document.
            let badARC = try await app.api(.POST, path + "/reintegration", token: gamma, body: ["arc": "23DKLAWWKM7TCWAKL2B08"])
            #expect(badARC.status == .unprocessableEntity && badARC.errorFields == ["arc"])
            #expect(try await app.api(.POST, path + "/cancellation", token: gamma, body: ["reason": "document-error"]).status == .forbidden)
            let done = try await app.api(.POST, path + "/reintegration", token: gamma, body: ["arc": "23dklawwkm7tcwakl2b09"])
            #expect(done.status == .ok && done.object["status"] as? String == "reintegrated")
            #expect(done.object["arc"] as? String == "23DKLAWWKM7TCWAKL2B09")
            let history = try await app.api(.GET, path + "/history", token: marie).array
            #expect(history.map { $0["action"] as? String } == ["creation", "inactivation", "reactivation", "inactivation", "reintegration"])
            #expect(history[1]["actorType"] as? String == "system")
            #expect(history[2]["actorType"] as? String == "customs-officer")
            #expect(history[4]["actorLogin"] as? String == "gamma")
        }
    }

    @Test(arguments: TestDatabase.available)
    func twoInstancesInactivateEachDocumentOnce(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            for _ in 0..<20 { _ = try await app.generate(marie) }
            let later = referenceNow.addingTimeInterval(30 * 86_400)
            try await withSecondInstance(of: app) { other in
                async let a = Inactivator(db: app.db, rule: InactivationRule(days: 7)).run(now: later)
                async let b = Inactivator(db: other.db, rule: InactivationRule(days: 7)).run(now: later)
                let (x, y) = try await (a, b)
                #expect(x + y == 20)
            }
            #expect(try await HistoryModel.query(on: app.db).filter(\.$action == .inactivation).count() == 20)
            #expect(try await DocumentModel.query(on: app.db).filter(\.$status == .inactive).count() == 20)
        }
    }
}
