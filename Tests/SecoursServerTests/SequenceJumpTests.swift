import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import SecoursServer
import SecoursCore

/// R-NUM-9: a manual number far beyond the last one used (`…09031…` typed for `…00031…`) is
/// questioned before it moves the year's sequence there — on the page, in the API and in an
/// import — and goes through once confirmed. The threshold is a setting.
@Suite("A typing slip does not open a hole (R-NUM-9)")
struct SequenceJumpTests {
    func manual(_ sequence: Int, excise: String = "FR007328E0002") throws -> String {
        try FallbackNumber.manual(year: 2026, exciseNumber: ExciseNumber(parsing: excise), sequence: sequence, type: .dae).value
    }

    func registration(_ number: String, confirm: Bool? = nil) -> [String: Any] {
        var body: [String: Any] = ["number": number, "type": "DAE", "exciseNumber": "FR007328E0002", "transport": "AB-123-CD",
                                   "dispatchDate": "2026-11-22", "dispatchTime": "08:00"]
        if let confirm { body["confirmJump"] = confirm }
        return body
    }

    static func counter(_ app: Application) async throws -> Int {
        try await (app.db as! any SQLDatabase).raw("SELECT last_used FROM sequences WHERE excise_number = 'FR007328E0002' AND year = 2026")
            .first()?.decode(column: "last_used", as: Int.self) ?? 0
    }

    static func documents(_ app: Application) async throws -> Int {
        try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM documents WHERE excise_number = 'FR007328E0002'").first()!.decode(column: "n", as: Int.self)
    }

    @Test(arguments: TestDatabase.available)
    func theAPIRefusesAJumpUntilConfirmed(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.sequenceJumpThreshold = 5 }) { app in
            let marie = try await app.token("marie.laurent")
            let last = try await Self.counter(app)
            let documents = try await Self.documents(app)
            // within the threshold: registered
            #expect(try await app.api(.POST, "/api/v1/documents/registrations", token: marie, body: registration(try manual(last + 6))).status == .created)
            // act: seven numbers beyond
            let slip = try manual(last + 6 + 8)
            let refused = try await app.api(.POST, "/api/v1/documents/registrations", token: marie, body: registration(slip))
            // check: a clear refusal naming how many would be left, nothing changed
            #expect(refused.status == .conflict && refused.errorCode == "sequence_jump_unconfirmed", "\(refused.text)")
            #expect(refused.errorMessage?.contains("laisse 7 numéros inutilisés") == true && refused.errorFields == ["number"], "\(refused.text)")
            #expect(try await Self.counter(app) == last + 6)
            #expect(try await Self.documents(app) == documents + 1)
            #expect(try await app.api(.POST, "/api/v1/documents/registrations", token: marie, body: registration(slip, confirm: false)).status == .conflict)
            // confirmed: registered, and the sequence continues after it
            let confirmed = try await app.api(.POST, "/api/v1/documents/registrations", token: marie, body: registration(slip, confirm: true))
            #expect(confirmed.status == .created, "\(confirmed.text)")
            #expect(try await Self.counter(app) == last + 14)
            // in English for an English caller
            let english = try await app.api(.POST, "/api/v1/documents/registrations", token: marie, body: registration(try manual(last + 40)),
                                            headers: [("Accept-Language", "en")])
            #expect(english.errorMessage?.contains("leaves 25 numbers unused") == true, "\(english.text)")

        }
    }

    @Test(arguments: TestDatabase.available)
    func thePageAsksToConfirm(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = WebSession(app)
            _ = try await web.signIn("marie.laurent")
            let last = try await Self.counter(app)
            let slip = try manual(last + 9001)
            var fields = ["number": slip, "type": "DAE", "exciseNumber": "FR007328E0002", "transport": "AB-123-CD", "dispatchDate": "2026-11-22", "dispatchTime": "08:00"]
            // act
            _ = try await web.get("/enregistrer")
            let asked = try await web.post("/enregistrer", fields)
            // check: the page questions it, with the box to confirm, and nothing is stored
            #expect(asked.status == .conflict, "\(asked.status) \(asked.html.components(separatedBy: "<h1").dropFirst().first?.prefix(1200) ?? "")")
            #expect(asked.html.contains("laisse 9000 numéros inutilisés") && asked.html.contains("name=\"confirmJump\""))
            #expect(try await Self.counter(app) == last)
            fields["confirmJump"] = "true"
            _ = try await web.get("/enregistrer")
            let done = try await web.post("/enregistrer", fields)
            #expect(done.status == .seeOther || done.status == .found, "\(done.status) \(done.html.prefix(300))")
            #expect(try await Self.counter(app) == last + 9001)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anImportRefusesAJumpUnlessConfirmed(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let last = try await Self.counter(app)
            // a file that continues the sequence by many numbers in any order is no slip; one far number is
            let run = (1...60).reversed().map { ImportTests.entry(try! manual(last + $0)) }
            let slip = ImportTests.entry(try manual(last + 60 + 1000))
            let xml = ImportTests.file(run + [slip])
            let first = try await app.api(.POST, "/api/v1/imports", token: marie, body: xml, headers: [("Content-Type", "application/xml")])
            #expect(first.status == .ok, "\(first.text)")
            #expect(first.object["accepted"] as? Int == 60 && first.object["refused"] as? Int == 1, "\(first.text)")
            let refusal = (first.object["entries"] as? [[String: Any]])?.last?["reason"] as? String
            #expect(refusal?.contains("laisse 999 numéros inutilisés") == true, "\(String(describing: refusal))")
            #expect(try await Self.counter(app) == last + 60)
            // confirmed: accepted; a bad value of the confirmation is a clear error that changes nothing
            let bad = try await app.api(.POST, "/api/v1/imports?confirmJumps=oui", token: marie, body: xml, headers: [("Content-Type", "application/xml")])
            #expect(bad.status == .unprocessableEntity && bad.errorFields == ["confirmJumps"], "\(bad.text)")
            let again = try await app.api(.POST, "/api/v1/imports?confirmJumps=true", token: marie, body: xml, headers: [("Content-Type", "application/xml")])
            #expect(again.object["accepted"] as? Int == 1 && again.object["alreadyRegistered"] as? Int == 60, "\(again.text)")
            #expect(try await Self.counter(app) == last + 1060)
        }
    }
}
