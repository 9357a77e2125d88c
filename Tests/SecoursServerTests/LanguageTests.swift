import Foundation
import LeafKit
import Testing
import VaporTesting
@testable import SecoursCore
@testable import SecoursServer

/// French first, English second (SPEC): the person's choice, else the browser's
/// `Accept-Language`, else French — for pages, the pages kept for visitors, errors of every
/// kind (a handler's, a middleware's, the router's) and the API's messages.
@Suite("Languages")
struct LanguageTests {
    static func english<T>(_ text: () -> T) -> T { Language.$current.withValue(.en, operation: text) }

    @Test(arguments: TestDatabase.available)
    func pagesSpeakTheBrowsersLanguageFrenchByDefault(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let french = WebSession(app)
            let english = WebSession(app)
            english.acceptLanguage = "en-GB,en;q=0.9,fr;q=0.5"
            let german = WebSession(app)
            german.acceptLanguage = "de-DE"
            // Asked in turn, so that the page kept rendered for visitors is kept per language.
            for _ in 0..<2 {
                for path in ["/meteo", "/diagnostic", "/connexion"] {
                    let fr = try await french.get(path)
                    let en = try await english.get(path)
                    let de = try await german.get(path)
                    #expect(fr.html.contains(#"<html lang="fr""#) && fr.html.contains("Aller au contenu"), "\(path)")
                    #expect(en.html.contains(#"<html lang="en""#) && en.html.contains("Skip to content"), "\(path)")
                    #expect(!en.html.contains("Aller au contenu"), "\(path)")
                    #expect(de.html == fr.html, "\(path): a language we do not speak gets French")
                    #expect(en.headers.first(name: .eTag) != fr.headers.first(name: .eTag), "\(path)")
                    #expect(en.headers[.vary].joined(separator: ",").contains("Accept-Language"), "\(path)")
                    #expect(en.headers.first(name: .contentLanguage) == "en" && fr.headers.first(name: .contentLanguage) == "fr", "\(path)")
                }
            }
            // The footer offers the other language, keeping the page.
            let page = try await english.get("/meteo")
            #expect(page.html.contains(#"href="/langue/fr?suite=/meteo""#) && page.html.contains(">Français</a>"))
            #expect(try await french.get("/meteo").html.contains(">English</a>"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theChoiceIsKeptAndWinsOverTheBrowser(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = WebSession(app)
            web.acceptLanguage = "fr-FR"
            let chosen = try await web.get("/langue/en?suite=%2Fmeteo%3Fx%3D1")
            #expect(chosen.status == .seeOther && chosen.location == "/meteo?x=1")
            let cookie = try #require(chosen.headers.setCookie?["secours_langue"])
            #expect(cookie.string == "en" && cookie.isHTTPOnly && cookie.sameSite == .lax && cookie.expires != nil)
            #expect(try await web.get("/meteo").html.contains(#"<html lang="en""#))
            // Signed in, still English; and back to French.
            let signedIn = try await web.signIn("marie.laurent")
            #expect(signedIn.status == .seeOther)
            #expect(try await web.get("/accueil").html.contains(#"<html lang="en""#))
            _ = try await web.get("/langue/fr?suite=%2Faccueil")
            #expect(try await web.get("/accueil").html.contains(#"<html lang="fr""#))

            // A language we do not speak, or a way out of the site, changes nothing.
            let other = WebSession(app)
            let unknown = try await other.get("/langue/de?suite=%2Fmeteo")
            #expect(unknown.status == .notFound && unknown.headers.setCookie?["secours_langue"] == nil)
            for away in ["%2F%2Fevil.example", "https%3A%2F%2Fevil.example", "%2F%5Cevil.example"] {
                let r = try await other.get("/langue/en?suite=\(away)")
                #expect(r.status == .seeOther && r.location == "/", "\(away)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func errorsSpeakTheLanguageWhereverTheyAreMade(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let en = [("Accept-Language", "en")]
            // Made by a middleware before the routes (no token).
            let unauthenticated = try await app.api(.GET, "/api/v1/documents", headers: en)
            #expect(unauthenticated.status == .unauthorized)
            #expect(unauthenticated.errorMessage == Self.english { Messages.Accounts.unauthenticated })
            #expect(try await app.api(.GET, "/api/v1/documents").errorMessage == Messages.Accounts.unauthenticated)
            #expect(Self.english { Messages.Accounts.unauthenticated } != Messages.Accounts.unauthenticated)

            // Made in a handler: a field refused, and nothing stored.
            let token = try await app.token("marie.laurent")
            let refused = try await app.api(.POST, "/api/v1/documents", token: token, body: [
                "type": "DAE", "exciseNumber": "FR007328E0001", "transport": "<b>??</b> ;;", "dispatchDate": "2026-11-23", "dispatchTime": "08:30",
            ], headers: en)
            #expect(refused.status == .unprocessableEntity)
            let fields = (refused.object["error"] as? [String: Any])?["fields"] as? [[String: Any]]
            #expect(fields?.first?["message"] as? String == Self.english { Messages.Documents.transportCharacters })
            #expect(try await app.api(.GET, "/api/v1/documents", token: token).object["total"] as? Int == 0)

            // Made by the router: a page that does not exist.
            let web = WebSession(app)
            web.acceptLanguage = "en"
            let missing = try await web.get("/nulle-part")
            #expect(missing.status == .notFound)
            #expect(missing.html.contains(#"<html lang="en""#))
            #expect(missing.html.contains(Self.english { Messages.Service.statusTitle(404) }.htmlEscaped()))
            #expect(Self.english { Messages.Service.statusTitle(404) } != Messages.Service.statusTitle(404))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aSignedInFormIsInEnglishWithItsErrors(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = WebSession(app)
            web.acceptLanguage = "en"
            _ = try await web.signIn("marie.laurent")
            let form = try await web.get("/generer")
            #expect(form.status == .ok && form.html.contains(#"<html lang="en""#))
            #expect(form.html.contains(Self.english { Messages.Documents.generateTitle }.htmlEscaped()))
            let refused = try await web.post("/generer", ["type": "DAE", "exciseNumber": "FR007328E0001", "transport": "??",
                                                           "dispatchDate": "2026-11-23", "dispatchTime": "08:30"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains(Self.english { Messages.Documents.transportCharacters }.htmlEscaped()))
            #expect(!refused.html.contains(Messages.Documents.transportCharacters.htmlEscaped()))
        }
    }

    @Test(arguments: TestDatabase.available)
    func formsAndReportsArePrintedInTheLanguage(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let en = [("Accept-Language", "en")]
            let french = try await app.api(.GET, "/api/v1/forms/DAE.pdf", token: marie)
            let english = try await app.api(.GET, "/api/v1/forms/DAE.pdf", token: marie, headers: en)
            #expect(french.text.contains("(Ann\\351e)") && french.text.contains("/Lang (fr-FR)") && !french.text.contains("(Year)"))
            #expect(english.text.contains("(Year)") && english.text.contains("/Lang (en-GB)") && !english.text.contains("(Ann\\351e)"))
            // Asked again in French after English: each language's page is its own.
            #expect(try await app.api(.GET, "/api/v1/forms/DAE.pdf", token: marie).text == french.text)

            let number = try #require(try await app.generate(marie).object["number"] as? String)
            let filled = try await app.api(.GET, "/api/v1/documents/\(number)/form.pdf", token: marie, headers: en)
            #expect(filled.status == .ok && filled.text.contains("23/11/2026 at 08:30"))

            let web = WebSession(app)
            web.acceptLanguage = "en"
            _ = try await web.signIn("marie.laurent")
            let report = try await web.get("/drm?month=2026-11&format=pdf")
            #expect(report.html.hasPrefix("%PDF-1.7") && report.html.contains("Printed on") && !report.html.contains("dit\\351 le"))
            let csv = try await web.get("/drm?month=2026-11&format=csv")
            #expect(csv.status == .ok && csv.html.contains(Self.english { Messages.Documents.drmColumns.first ?? "" }))
        }
    }
}
