import Foundation
import Testing
import VaporTesting
@testable import SecoursServer

@Suite("DRM report: page, JSON, CSV, PDF (R-OFF-2)")
struct DRMTests {
    @Test(arguments: TestDatabase.available)
    func firstAndLastNumbersWithCounts(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            func register(_ n: String, _ type: String, _ date: String) async throws {
                let r = try await app.api(.POST, "/api/v1/documents/registrations", token: marie, body: ["number": n, "type": type, "exciseNumber": "FR007328E0001",
                                                                                                         "transport": "AB-1", "dispatchDate": date, "dispatchTime": "08:00"])
                #expect(r.status == .created, "\(r.text)")
            }
            try await register("26FR007328E0001000031", "DAE", "2026-10-30")
            try await register("26FR007328E0001000041", "DAE", "2026-11-02")
            try await register("26FR007328E0001000052", "DSA", "2026-11-20")
            let generated = try #require(try await app.generate(marie).object["number"] as? String)   // 23/11, sequence 53
            _ = try await app.api(.POST, "/api/v1/documents/26FR007328E0001000052/cancellation", token: marie, body: ["reason": "document-error"])

            let json = try await app.api(.GET, "/api/v1/reports/drm?month=2026-11", token: marie)
            #expect(json.status == .ok && json.array.count == 1)
            let row = try #require(json.array.first)
            #expect(row["exciseNumber"] as? String == "FR007328E0001" && row["first"] as? String == "26FR007328E0001000041")
            #expect(row["last"] as? String == generated && row["total"] as? Int == 3)
            #expect((row["byType"] as? [String: Int]) == ["DAE": 2, "DSA": 1])
            #expect((row["byStatus"] as? [String: Int])?["cancelled"] == 1 && (row["byStatus"] as? [String: Int])?["active"] == 2)
            let october = try await app.api(.GET, "/api/v1/reports/drm?month=10/2026", token: marie)
            #expect(october.array.first?["first"] as? String == "26FR007328E0001000031" && october.array.first?["total"] as? Int == 1)

            let csv = try await app.api(.GET, "/api/v1/reports/drm?month=2026-11&format=csv", token: marie)
            #expect(csv.headers.contentType?.subType == "csv" && csv.text.contains("\"FR007328E0001\";\"2026-11\";\"26FR007328E0001000041\""))
            #expect(csv.text.hasPrefix("\u{FEFF}Numéro d'accise;Mois;Premier numéro;Dernier numéro;Total;DAE;DSA;Actif;"))
            #expect(!csv.text.contains("exciseNumber") && !csv.text.contains(";active;"))
            let pdf = try await app.api(.GET, "/api/v1/reports/drm?month=2026-11", token: marie, headers: [("Accept", "application/pdf")])
            #expect(pdf.headers.contentType?.subType == "pdf" && pdf.text.hasPrefix("%PDF-1.7") && pdf.text.contains("(26FR007328E0001000041)"))

            // Bad input says what is wrong.
            #expect(try await app.api(.GET, "/api/v1/reports/drm?month=2026-13", token: marie).errorFields == ["month"])
            #expect(try await app.api(.GET, "/api/v1/reports/drm?format=xls", token: marie).errorFields == ["format"])
            #expect(try await app.api(.GET, "/api/v1/reports/drm?exciseNumber=FR1", token: marie).errorFields == ["exciseNumber"])
            #expect(try await app.api(.GET, "/api/v1/reports/drm?colour=red", token: marie).errorFields == ["colour"])

            // Scope: another company counts nothing of it; a DAA-only account sees DAA only.
            #expect(try await app.api(.GET, "/api/v1/reports/drm?month=2026-11&exciseNumber=FR007328E0001", token: try await app.token("sophie.durand")).array.isEmpty)
            let paul = try await app.api(.GET, "/api/v1/reports/drm?month=2026-11", token: try await app.token("paul.martin"))
            #expect((paul.array.first?["byType"] as? [String: Int]) == ["DAE": 2, "DSA": 0])
            #expect(try await app.api(.GET, "/api/v1/reports/drm?month=2026-11", token: try await app.token("agent.bordeaux")).array.first?["total"] as? Int == 3)

            // The page, with its links.
            let web = WebSession(app)
            _ = try await web.signIn("marie.laurent")
            let page = try await web.get("/drm?month=2026-11")
            #expect(page.status == .ok && page.html.contains("novembre 2026") && page.html.contains("26FR007328E0001000041"))
            #expect(page.html.contains("/drm?month=2026-11&amp;format=pdf") && page.html.contains("/drm?month=2026-11&amp;format=csv"))
            #expect(try await web.get("/drm?month=2026-11&format=pdf").html.hasPrefix("%PDF-1.7"))
        }
    }
}
