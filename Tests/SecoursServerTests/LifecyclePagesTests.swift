import Fluent
import Foundation
import SecoursCore
import Testing
import VaporTesting
@testable import SecoursServer

@Suite("Pages: register, follow, search, document actions")
struct LifecyclePagesTests {
    @Test(arguments: TestDatabase.available)
    func registerFollowSearchAndCancel(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = WebSession(app)
            _ = try await web.signIn("marie.laurent")
            // Register a manual number through the form; a wrong one shows inline errors.
            _ = try await web.get("/enregistrer")
            let wrong = try await web.post("/enregistrer", ["number": "26FR007328E0001000052", "type": "DAE", "exciseNumber": "FR007328E0001",
                                                            "transport": "AB-1", "dispatchDate": "2026-11-21", "dispatchTime": "09:00"])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.html.contains(#"id="number-error""#) && wrong.html.contains("désigne un DSA"))
            let ok = try await web.post("/enregistrer", ["number": "26FR007328E0001000051", "type": "DAE", "exciseNumber": "FR007328E0001",
                                                         "transport": "AB-1", "dispatchDate": "2026-11-21", "dispatchTime": "09:00"])
            #expect(ok.status == .seeOther && ok.location == "/documents/26FR007328E0001000051?fait=enregistre")
            let detail = try await web.get("/documents/26FR007328E0001000051")
            #expect(detail.html.contains("a posteriori") && detail.html.contains("Annuler ce document") && detail.html.contains("Réintégrer"))
            #expect(!detail.html.contains("Réactiver ce document"))

            // Follow and search list it, with a CSV link.
            let follow = try await web.get("/suivre?exciseNumber=FR007328E0001")
            #expect(follow.status == .ok && follow.html.contains(">26FR007328E0001000051</a>") && follow.html.contains("1 document(s)"))
            let search = try await web.get("/rechercher?_go=1&_op_transport=starts&transport=ab&_op_status=eq&status=active")
            #expect(search.status == .ok && search.html.contains(">26FR007328E0001000051</a>"))
            // « Exporter en CSV » is a page of the signed-in user: followed with the session, it is the file.
            let csvLink = "/rechercher?transport=starts:ab&status=eq:active&format=csv"
            #expect(search.html.contains(csvLink.replacingOccurrences(of: "&", with: "&amp;")), "\(search.html)")
            let csv = try await web.get(csvLink)
            #expect(csv.status == .ok && csv.headers.contentType?.subType == "csv" && csv.html.contains("26FR007328E0001000051"), "\(csv.status) \(csv.html)")
            #expect(follow.html.contains("/suivre?exciseNumber=FR007328E0001&amp;format=csv"), "\(follow.html)")
            let followCSV = try await web.get("/suivre?exciseNumber=FR007328E0001&format=csv")
            #expect(followCSV.status == .ok && followCSV.html.contains("26FR007328E0001000051"))
            let bad = try await web.get("/rechercher?_go=1&_op_dispatchDate=after&dispatchDate=demain")
            #expect(bad.status == .unprocessableEntity && bad.html.contains("date invalide"))

            // Cancel from the document page: a missing comment is explained, then it works.
            _ = try await web.get("/documents/26FR007328E0001000051")
            let noComment = try await web.post("/documents/26FR007328E0001000051/annuler", ["reason": "other", "comment": ""])
            #expect(noComment.status == .unprocessableEntity && noComment.html.contains("Un commentaire est obligatoire"))
            let cancelled = try await web.post("/documents/26FR007328E0001000051/annuler", ["reason": "document-error"])
            #expect(cancelled.status == .seeOther)
            let after = try await web.get("/documents/26FR007328E0001000051")
            #expect(after.html.contains("Annulé") && after.html.contains("Erreur sur le document") && !after.html.contains("Annuler ce document"))
            // Without the CSRF token nothing happens.
            let forged = try await web.post("/documents/26FR007328E0001000051/reintegrer", ["arc": "23DKLAWWKM7TCWAKL2B09"], withCSRF: false)
            // From this site's page: offered again with a fresh token, nothing done until clicked.
            #expect(forged.status == .ok && forged.html.contains("Envoyer ma saisie") && forged.html.contains("23DKLAWWKM7TCWAKL2B09"))
            #expect(try await web.get("/documents/26FR007328E0001000051").html.contains("Annulé"))
            web.origin = "http://evil.example"
            let elsewhere = try await web.post("/documents/26FR007328E0001000051/reintegrer", ["arc": "23DKLAWWKM7TCWAKL2B09"], withCSRF: false)
            #expect(elsewhere.status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func otherCompanyGetsNothingFromThePages(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let number = try #require(try await app.generate(try await app.token("marie.laurent")).object["number"] as? String)
            let web = WebSession(app)
            _ = try await web.signIn("sophie.durand")
            #expect(!(try await web.get("/suivre?exciseNumber=FR007328E0001")).html.contains(number))
            #expect(!(try await web.get("/rechercher?_go=1")).html.contains(number))
            // Nor in the exports of those pages.
            let csv = try await web.get("/rechercher?exciseNumber=eq:FR007328E0001&format=csv")
            #expect(!csv.html.contains(number))
            #expect(!(try await web.get("/suivre?exciseNumber=FR007328E0001&format=csv")).html.contains(number))
            _ = try await web.get("/accueil")
            let cancel = try await web.post("/documents/\(number)/annuler", ["reason": "document-error"])
            #expect(cancel.status == .notFound)
            #expect(try await DocumentModel.query(on: app.db).filter(\.$status == .active).count() == 1)
        }
    }
}
