import Fluent
import Foundation
import SecoursCore
import SQLKit
import Testing
import VaporTesting
@testable import SecoursServer

@Suite("Generating numbers through the API (R-GPS-1, R-NUM-2/4)")
struct DocumentsAPITests {
    @Test(arguments: TestDatabase.available)
    func generatesActiveDocumentsInSequence(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            // setup
            let token = try await app.token("marie.laurent")
            // act
            let first = try await app.generate(token, type: "DAA")
            let second = try await app.generate(token, type: "DSA", transport: "Péniche « Belle-Île »")
            // check
            #expect(first.status == .created)
            #expect(first.object["number"] as? String == (try FallbackNumber.generated(year: 26, exciseNumber: ExciseNumber(parsing: "FR007328E0001"), sequence: 1)).value)
            #expect(first.object["type"] as? String == "DAE")
            #expect(first.object["status"] as? String == "active")
            #expect(first.object["registrationMode"] as? String == "normal")
            #expect(first.object["actorType"] as? String == "operator")
            #expect(first.object["actorLogin"] as? String == "marie.laurent")
            #expect(first.object["dispatchDate"] as? String == "2026-11-23")
            #expect(first.object["dispatchTime"] as? String == "08:30")
            #expect(first.object["registrationDate"] as? String == "2026-11-22")
            let n2 = try #require(second.object["number"] as? String)
            #expect(n2.hasPrefix("26FR007328E000100002"))
            #expect(CheckDigit.isValid(n2))
            #expect(second.object["transport"] as? String == "Péniche « Belle-Île »")
            #expect(first.headers.first(name: .location) == "/api/v1/documents/\(first.object["number"]!)")

            let read = try await app.api(.GET, "/api/v1/documents/\(n2.lowercased())", token: token)
            #expect(read.status == .ok)
            #expect(read.object["number"] as? String == n2)
            let history = try await app.api(.GET, "/api/v1/documents/\(n2)/history", token: token)
            #expect(history.status == .ok)
            #expect(history.array.count == 1)
            #expect(history.array.first?["action"] as? String == "creation")
            #expect(history.array.first?["actorLogin"] as? String == "marie.laurent")
            #expect((history.array.first?["details"] as? String)?.contains("Belle-Île") == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func yearAndTodayFollowParisTime(_ db: TestDatabase) async throws {
        // 31 December 2026, 23:30 UTC = 1 January 2027, 00:30 in Paris.
        let clock = TestClock(ISO8601DateFormatter().date(from: "2026-12-31T23:30:00Z")!)
        try await withApp(db, clock: clock) { app in
            let token = try await app.token("marie.laurent")
            let stale = try await app.generate(token, date: "2026-12-31", time: "23:59")
            #expect(stale.status == .unprocessableEntity)
            #expect(stale.errorFields == ["dispatchDate"])
            let early = try await app.generate(token, date: "2027-01-01", time: "00:29")
            #expect(early.status == .unprocessableEntity)
            #expect(early.errorFields == ["dispatchTime"])
            let ok = try await app.generate(token, date: "01/01/2027", time: "00:30")
            #expect(ok.status == .created)
            #expect((ok.object["number"] as? String)?.hasPrefix("27FR007328E000100001") == true)
            #expect(ok.object["registrationDate"] as? String == "2027-01-01")
        }
    }

    @Test(arguments: TestDatabase.available)
    func badInputIsRefusedAndChangesNothing(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let token = try await app.token("marie.laurent")
            let cid = try await app.token("cid.admin")
            let cases: [(APIResponse, HTTPResponseStatus, String)] = [
                (try await app.api(.POST, "/api/v1/documents", token: token, body: [String: Any]()), .unprocessableEntity, "validation_failed"),
                (try await app.api(.POST, "/api/v1/documents", token: token, body: ["type": 1, "exciseNumber": "FR007328E0001"]), .badRequest, "invalid_body"),
                (try await app.api(.POST, "/api/v1/documents", token: token, body: "{not json"), .badRequest, "invalid_body"),
                (try await app.api(.POST, "/api/v1/documents", token: token, body: "type=DAE", headers: [("Content-Type", "text/plain")]), .unsupportedMediaType, "unsupported_media_type"),
                (try await app.generate(token, excise: "FR007328E00"), .unprocessableEntity, "validation_failed"),
                (try await app.generate(token, type: "DAD"), .unprocessableEntity, "validation_failed"),
                (try await app.generate(token, date: "2026-11-22", time: "10:14"), .unprocessableEntity, "validation_failed"),
                (try await app.generate(token, date: "2026-02-30"), .unprocessableEntity, "validation_failed"),
                (try await app.generate(token, transport: String(repeating: "X", count: 36)), .unprocessableEntity, "validation_failed"),
                (try await app.generate(cid, excise: "FR999999X9999"), .unprocessableEntity, "validation_failed"),
                (try await app.generate(token, excise: "FR999999X9999"), .forbidden, "excise_number_not_allowed"),
                (try await app.api(.POST, "/api/v1/documents", token: token,
                                   body: ["type": "DAE", "exciseNumber": "FR007328E0001", "transport": String(repeating: "A", count: 70_000),
                                          "dispatchDate": "2026-11-23", "dispatchTime": "08:30"]), .payloadTooLarge, "payload_too_large"),
            ]
            for (response, status, code) in cases {
                #expect(response.status == status, "\(response.text)")
                #expect(response.errorCode == code, "\(response.text)")
                #expect(response.errorMessage?.isEmpty == false)
            }
            #expect(try await DocumentModel.query(on: app.db).count() == 0)
            #expect(try await SequenceStore(db: app.db).last(exciseNumber: "FR007328E0001", year: 2026) == 0)
            // The next real generation still gets sequence 1: no number was consumed.
            let ok = try await app.generate(token)
            #expect((ok.object["number"] as? String)?.hasPrefix("26FR007328E000100001") == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func failedTransactionLeavesNoGap(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            // setup: a stray row already holds the number sequence 1 would produce.
            let token = try await app.token("marie.laurent")
            let taken = try FallbackNumber.generated(year: 26, exciseNumber: ExciseNumber(parsing: "FR007328E0001"), sequence: 1)
            let stray = DocumentModel()
            stray.number = taken.value; stray.kind = .craps; stray.type = .dae; stray.exciseNumber = "FR007328E9999"
            stray.year = 2026; stray.sequence = 1; stray.transport = "X"; stray.dispatchDate = "2026-11-23"; stray.dispatchTime = "08:00"
            stray.registeredAt = Date(); stray.registrationDate = "2026-11-22"; stray.registrationMode = .normal
            stray.actorType = .system; stray.actorLogin = "test"; stray.status = .active
            try await stray.create(on: app.db)
            // act
            let failed = try await app.generate(token)
            // check: refused with the documented conflict (never a 500), and the sequence taken
            // inside the transaction was given back.
            #expect(failed.status == .conflict)
            #expect(failed.errorCode == "concurrent_write")
            #expect(failed.errorMessage?.contains("rien n'a été enregistré") == true)
            #expect(try await SequenceStore(db: app.db).last(exciseNumber: "FR007328E0001", year: 2026) == 0)
            #expect(try await DocumentModel.query(on: app.db).count() == 1)
            #expect(try await HistoryModel.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func authenticationIsRequired(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let none = try await app.api(.POST, "/api/v1/documents", body: ["type": "DAE"])
            #expect(none.status == .unauthorized)
            #expect(none.errorCode == "unauthenticated")
            #expect(none.headers.first(name: .wwwAuthenticate) == "Bearer")
            let forged = try await app.api(.GET, "/api/v1/excise-numbers", token: "forged-token")
            #expect(forged.status == .unauthorized)
            // An expired token no longer works.
            let token = try await app.token("marie.laurent")
            try await TokenModel.query(on: app.db).set(\.$expiresAt, to: Date().addingTimeInterval(-1)).update()
            #expect(try await app.api(.GET, "/api/v1/excise-numbers", token: token).status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.available)
    func actorTypeFollowsTheRole(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let officer = try await app.generate(try await app.token("agent.bordeaux"), excise: "FR009990F0005")
            #expect(officer.status == .created)
            #expect(officer.object["actorType"] as? String == "customs-officer")
            let edi = try await app.generate(try await app.token("edi.transvin"), type: "DSA", excise: "FR009990F0005")
            #expect(edi.status == .created)
            #expect(edi.object["actorType"] as? String == "edi-provider")
            #expect((edi.object["number"] as? String)?.hasPrefix("26FR009990F000500002") == true)
        }
    }
}
