import Fluent
import Foundation
import SecoursCore
import Testing
import VaporTesting
@testable import SecoursServer

@Suite("Web pages (R-GPS-1 in the browser)")
struct WebPagesTests {
    @Test(arguments: TestDatabase.available)
    func signInGenerateAndReadTheSummary(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = WebSession(app)
            // Signed-out visitors are sent to the login page.
            let home = try await web.get("/accueil")
            #expect(home.status == .seeOther && home.location == "/connexion")
            let signedIn = try await web.signIn("marie.laurent")
            #expect(signedIn.status == .seeOther && signedIn.location == "/accueil")
            let page = try await web.get("/accueil")
            #expect(page.status == .ok)
            #expect(page.html.contains("FR007328E0001") && page.html.contains("FR007328E0002"))
            #expect(!page.html.contains("FR009990F0005"))

            let form = try await web.get("/generer")
            #expect(form.html.contains("Générer un numéro de secours"))
            #expect(form.html.contains(#"<option value="FR007328E0001""#))
            // Markup is no means of transport: refused, shown back escaped, never run.
            let markup = try await web.post("/generer", ["type": "DSA", "exciseNumber": "FR007328E0001", "transport": "<script>alert(1)</script>",
                                                         "dispatchDate": "2026-11-22", "dispatchTime": "10:15"])
            #expect(markup.status == .unprocessableEntity)
            #expect(!markup.html.contains("<script>alert(1)</script>") && markup.html.contains("&lt;script&gt;"))
            let done = try await web.post("/generer", ["type": "DSA", "exciseNumber": "FR007328E0001", "transport": "Péniche « L'Île & Cie »",
                                                       "dispatchDate": "2026-11-22", "dispatchTime": "10:15"])
            #expect(done.status == .seeOther)
            let summaryPath = try #require(done.location)
            let number = try #require(summaryPath.split(separator: "/").dropFirst().first.map(String.init))
            #expect(CheckDigit.isValid(number))
            let summary = try await web.get(summaryPath)
            #expect(summary.status == .ok)
            #expect(summary.html.contains(#"<p class="big-number" id="numero""#))
            #expect(summary.html.contains(">\(number)</p>"))
            #expect(summary.html.contains("DSA"))
            // What the user typed is escaped.
            #expect(summary.html.contains("Péniche « L&#39;Île &amp; Cie »"))

            let detail = try await web.get("/documents/\(number)")
            #expect(detail.html.contains("Historique") && detail.html.contains("Génération") && detail.html.contains("marie.laurent"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func formShowsEveryErrorInlineAndKeepsValues(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = WebSession(app)
            _ = try await web.signIn("marie.laurent")
            _ = try await web.get("/generer")
            let page = try await web.post("/generer", ["exciseNumber": "FR007328E0001", "transport": "AB-123-CD",
                                                       "dispatchDate": "2026-11-21", "dispatchTime": "09:00"])
            #expect(page.status == .unprocessableEntity)
            #expect(page.html.contains(#"<p class="field-error" id="type-error">Le type de document est obligatoire (DAA ou DSA).</p>"#))
            #expect(page.html.contains(#"id="date-error">La date d&#39;expédition doit être égale ou postérieure à la date du jour."#)
                    || page.html.contains("id=\"date-error\">La date d'expédition doit être égale ou postérieure à la date du jour."))
            #expect(page.html.contains(#"value="AB-123-CD""#))
            #expect(page.html.contains(#"<option value="FR007328E0001" selected>"#))
            #expect(try await DocumentModel.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func formsNeedTheCSRFToken(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = WebSession(app)
            _ = try await web.get("/connexion")
            // The sign-in form is checked by its origin: from another site, or with no origin at
            // all, it is refused and nobody is signed in.
            for origin in ["https://piege.example", "http://secours.test.piege.example", "null", nil] as [String?] {
                web.origin = origin
                let forged = try await web.post("/connexion", ["login": "marie.laurent", "password": DemoData.password], withCSRF: false)
                #expect(forged.status == .forbidden, "\(origin ?? "no origin")")
                #expect(forged.html.contains("Le formulaire a expiré"))
                #expect(web.cookie == nil)
            }
            web.origin = "http://secours.test"
            _ = try await web.signIn("marie.laurent")
            _ = try await web.get("/generer")
            let noToken = try await web.post("/generer", ["type": "DAE", "exciseNumber": "FR007328E0001", "transport": "XY-1",
                                                          "dispatchDate": "2026-11-23", "dispatchTime": "08:00"], withCSRF: false)
            // From this site's own page, signed in: nothing is done, the form is offered again
            // with a fresh token (a page left open too long), never carried out without a click.
            #expect(noToken.status == .ok && noToken.html.contains("Envoyer ma saisie"))
            #expect(try await DocumentModel.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func wrongPasswordAndSignOut(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = WebSession(app)
            let wrong = try await web.signIn("marie.laurent", password: "mauvais-mot-de-passe")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.html.contains("Identifiant ou mot de passe incorrect."))
            #expect(wrong.html.contains(#"value="marie.laurent""#))
            let ok = try await web.post("/connexion", ["login": "marie.laurent", "password": DemoData.password])
            #expect(ok.status == .seeOther)
            _ = try await web.get("/accueil")
            let out = try await web.post("/deconnexion", [:])
            #expect(out.location == "/connexion")
            #expect(try await web.get("/accueil").status == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.available)
    func otherCompanyGetsNotFoundPages(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let number = try #require(try await app.generate(try await app.token("marie.laurent")).object["number"] as? String)
            let web = WebSession(app)
            _ = try await web.signIn("sophie.durand")
            for path in ["/documents/\(number)", "/documents/\(number)/recapitulatif"] {
                let page = try await web.get(path)
                #expect(page.status == .notFound)
                #expect(!page.html.contains("marie.laurent") && !page.html.contains("AB-123-CD"))
            }
            _ = try await web.get("/generer")
            let refused = try await web.post("/generer", ["type": "DAE", "exciseNumber": "FR007328E0001", "transport": "XY-1",
                                                          "dispatchDate": "2026-11-23", "dispatchTime": "08:00"])
            #expect(refused.status == .forbidden)
            #expect(try await DocumentModel.query(on: app.db).count() == 1)
        }
    }

    @Test func securityHeadersAndHealth() async throws {
        try await withApp(.sqlite) { app in
            let r = try await app.testing().sendRequest(.GET, "/connexion")
            #expect(r.headers.first(name: "X-Frame-Options") == "DENY")
            #expect(r.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(r.headers.first(name: "Content-Security-Policy")?.contains("default-src 'self'") == true)
            // The session cookie, once signed in (the sign-in page itself makes none).
            #expect(r.headers.first(name: .setCookie) == nil)
            var headers = HTTPHeaders()
            headers.add(name: .host, value: "secours.test")
            headers.add(name: "Origin", value: "http://secours.test")
            headers.contentType = .urlEncodedForm
            let signedIn = try await app.testing().sendRequest(.POST, "/connexion", headers: headers,
                                                               body: ByteBuffer(string: "login=marie.laurent&password=\(DemoData.password)"))
            #expect(signedIn.status == .seeOther)
            let cookie = try #require(signedIn.headers.first(name: .setCookie))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            #expect(try await app.api(.GET, "/health").status == .ok)
            let missing = try await app.api(.GET, "/api/v1/nowhere")
            #expect(missing.status == .notFound && missing.errorCode == "not_found")
        }
    }
}
