import Foundation
import Testing
import VaporTesting
@testable import SecoursServer

@Suite("Je diagnostique ma panne: pages (R-DIAG-1)")
struct DiagnosisPagesTests {
    @Test(arguments: TestDatabase.available)
    func stepByStepWithTheLiveAlerts(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            try await app.endDemoAlert()
            let web = WebSession(app)   // not signed in: the diagnosis is public
            let index = try await web.get("/diagnostic")
            #expect(index.status == .ok && index.html.contains("/diagnostic/gamma") && index.html.contains("/diagnostic/gamma2") && index.html.contains("/diagnostic/delta"))
            let first = try await web.get("/diagnostic/gamma")
            #expect(first.html.contains("Que ne pouvez-vous pas faire ?") && first.html.contains(#"name="a" value="emit""#))
            #expect(!first.html.contains("Question précédente"))
            // A choice becomes part of the address.
            let chosen = try await web.get("/diagnostic/gamma?r=&a=emit")
            #expect(chosen.status == .seeOther && chosen.location == "/diagnostic/gamma?r=emit")
            let mode = try await web.get("/diagnostic/gamma?r=emit")
            #expect(mode.html.contains("Quel mode de transmission") && mode.html.contains(#"href="/diagnostic/gamma">← Question précédente"#))
            // No alert: the service says so and asks on.
            let noAlert = try await web.get("/diagnostic/gamma?r=emit.dti")
            #expect(noAlert.html.contains("Non, aucune alerte publiée") && noAlert.html.contains("Avez-vous accès à Internet"))
            #expect(noAlert.html.contains(#"href="/diagnostic/gamma?r=emit">← Question précédente"#))
            let office = try await web.get("/diagnostic/gamma?r=emit.dti.no.no")
            #expect(office.html.contains("Demandez l&#39;autorisation à votre bureau") || office.html.contains("Demandez l'autorisation à votre bureau"))
            #expect(office.html.contains("verdict-ask-office"))

            // With a red alert on GAMMA in DTI, the same answers conclude at once.
            let cid = try await app.token("cid.admin")
            _ = try await app.api(.POST, "/api/v1/alerts", token: cid,
                                  body: ["level": "red", "services": ["GAMMA"], "modes": ["DTI"], "title": "GAMMA", "description": "Panne."])
            let covered = try await web.get("/diagnostic/gamma?r=emit.dti")
            #expect(covered.html.contains("verdict-authorised") && covered.html.contains("AL261122-02") && covered.html.contains("Alerte publiée"))
            #expect(covered.html.contains(#"href="/generer""#))
            // …but not for EDI.
            #expect(try await web.get("/diagnostic/gamma?r=emit.edi").html.contains("Avez-vous accès à Internet"))

            // Bad paths say so.
            let bad = try await web.get("/diagnostic/gamma?r=emit.fax")
            #expect(bad.status == .badRequest && bad.html.contains("Recommencez"))
            #expect(try await web.get("/diagnostic/gamma?r=other.yes").status == .badRequest)
            #expect(try await web.get("/diagnostic/telex").status == .notFound)
        }
    }
}
