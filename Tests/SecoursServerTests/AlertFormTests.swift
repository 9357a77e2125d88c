import Foundation
import SecoursCore
import Testing
import VaporTesting
@testable import SecoursServer

@Suite("Météo des téléservices: the CID's forms on the page (R-MET)")
struct AlertFormTests {
    static let summaryAfterTitle = #"</h1>\s*<div class="alert" role="alert" id="erreurs" tabindex="-1"><p>Le formulaire contient"#

    func alert(title: String = "GAMMA indisponible") -> [String: Any] {
        ["level": "red", "services": ["GAMMA"], "modes": ["DTI"], "title": title, "description": "Les DAE ne peuvent plus être validés."]
    }

    /// A text as the page shows it (Leaf escapes apostrophes and the like).
    func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    func matches(_ html: String, _ pattern: String) -> Bool {
        html.range(of: pattern, options: .regularExpression) != nil
    }

    /// The current alerts' references, through the public API.
    func current(_ app: Application) async throws -> [String] {
        ((try await app.api(.GET, "/api/v1/alerts")).object["current"] as? [[String: Any]] ?? []).compactMap { $0["reference"] as? String }
    }

    /// A clear sky, one alert published through the API (`AL261122-02`), and the CID signed in on the page.
    func cidWithOneAlert(_ app: Application) async throws -> WebSession {
        try await app.endDemoAlert()
        let cid = try await app.token("cid.admin")
        let published = try await app.api(.POST, "/api/v1/alerts", token: cid, body: alert())
        #expect(published.status == .created && published.object["reference"] as? String == "AL261122-02")
        let web = WebSession(app)
        _ = try await web.signIn("cid.admin")
        #expect(try await web.get("/meteo").html.contains("AL261122-02"))
        return web
    }

    @Test(arguments: TestDatabase.available)
    func endingWithoutTheConfirmationIsRefusedAndChangesNothing(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = try await cidWithOneAlert(app)
            for fields in [["text": "Service rétabli."], ["text": "Service rétabli.", "confirm": ""], ["text": "Service rétabli.", "confirm": "0"]] {
                let refused = try await web.post("/meteo/alertes/AL261122-02/fin", fields)
                #expect(refused.status == .unprocessableEntity, "\(fields)")
                #expect(matches(refused.html, Self.summaryAfterTitle), "the summary comes right after the title")
                #expect(refused.html.contains(##"<li><a href="#fin-confirm-AL261122-02">"## + escaped(Messages.Weather.endNotConfirmed) + "</a></li>"))
                #expect(refused.html.contains(#"id="fin-confirm-AL261122-02""#) && refused.html.contains(#"id="fin-confirm-AL261122-02-error""#))
                #expect(refused.html.contains(#"aria-describedby="fin-confirm-AL261122-02-error""#))
                #expect(refused.html.contains(">Service rétabli.</textarea>"), "the closing message typed stays")
                #expect(try await current(app) == ["AL261122-02"], "the alert is still current")
            }
            let board = try await app.api(.GET, "/api/v1/alerts")
            #expect((board.object["weather"] as? [[String: Any]])?.first { $0["service"] as? String == "GAMMA" && $0["mode"] as? String == "DTI" }?["state"] as? String == "red")
            #expect((board.object["past"] as? [[String: Any]])?.contains { $0["reference"] as? String == "AL261122-02" } != true)
            #expect(!(try await web.get("/meteo")).html.contains(#"id="erreurs""#), "a plain reading shows no summary")
        }
    }

    @Test(arguments: TestDatabase.available)
    func endingWithTheConfirmationEndsTheAlert(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = try await cidWithOneAlert(app)
            let ended = try await web.post("/meteo/alertes/AL261122-02/fin", ["text": "Service rétabli.", "confirm": "1"])
            #expect(ended.status == .seeOther && ended.location == "/meteo")
            #expect(try await current(app).isEmpty)
            let board = try await app.api(.GET, "/api/v1/alerts")
            let past = (board.object["past"] as? [[String: Any]])?.first
            #expect(past?["reference"] as? String == "AL261122-02" && past?["endedAt"] != nil)
            #expect((past?["bulletins"] as? [[String: Any]])?.first?["text"] as? String == "Service rétabli.")
            // The API still ends an alert without the page's confirmation.
            let cid = try await app.token("cid.admin")
            _ = try await app.api(.POST, "/api/v1/alerts", token: cid, body: alert(title: "Deuxième"))
            #expect(try await app.api(.POST, "/api/v1/alerts/AL261122-03/end", token: cid).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRefusedPublicationSummarisesItsErrorsAtTheTopAndKeepsWhatWasTyped(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = try await cidWithOneAlert(app)
            let bad = try await web.post("/meteo/alertes", pairs: [("level", "black"), ("modes[]", "EDI"), ("title", "Titre <saisi>"), ("description", "  ")])
            #expect(bad.status == .unprocessableEntity)
            #expect(matches(bad.html, Self.summaryAfterTitle))
            #expect(bad.html.contains("Le formulaire contient 2 erreurs :"))
            // Each line links to a field of the form, which exists with that id.
            #expect(bad.html.contains(##"<li><a href="#services-gamma">Indiquez au moins un service concerné.</a></li>"##))
            #expect(bad.html.contains(##"<li><a href="#description">Décrivez le dysfonctionnement constaté.</a></li>"##))
            #expect(bad.html.contains(#"id="services-gamma""#) && bad.html.contains(#"<textarea id="description""#))
            #expect(!bad.html.contains(##"href="#title""##) && !bad.html.contains(##"href="#modes-"##))
            // The messages stay beside the fields too.
            #expect(bad.html.contains(#"id="services-error""#) && bad.html.contains(#"aria-describedby="description-error""#))
            let summary = bad.html.range(of: #"id="erreurs""#)
            let table = bad.html.range(of: #"<table class="weather">"#)
            #expect(summary != nil && table != nil && summary!.lowerBound < table!.lowerBound, "the summary is above the weather")
            // What was typed stays.
            #expect(bad.html.contains(#"value="Titre &lt;saisi&gt;""#))
            #expect(matches(bad.html, #"id="level-black" name="level" value="black" checked"#))
            #expect(matches(bad.html, #"id="modes-edi" name="modes\[\]" value="EDI" checked"#))
            #expect(!matches(bad.html, #"name="services\[\]" value="GAMMA" checked"#))
            #expect(try await current(app) == ["AL261122-02"])

            let all = try await web.post("/meteo/alertes", pairs: [("title", "")])
            #expect(all.html.contains("Le formulaire contient 5 erreurs :"))
            for target in ["level-red", "services-gamma", "modes-dti", "title", "description"] {
                #expect(all.html.contains(##"<a href="#"## + target + #"">"#), "\(target)")
                #expect(all.html.contains(#"id="\#(target)""#), "\(target)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRefusedBulletinIsSummarisedWithALinkToItsField(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = try await cidWithOneAlert(app)
            let bad = try await web.post("/meteo/alertes/AL261122-02/bip", ["text": "   "])
            #expect(bad.status == .unprocessableEntity)
            #expect(matches(bad.html, Self.summaryAfterTitle))
            #expect(bad.html.contains(##"<li><a href="#bip-AL261122-02">Le texte du bulletin est requis.</a></li>"##))
            #expect(bad.html.contains(#"aria-describedby="bip-AL261122-02-error""#) && bad.html.contains(#"id="bip-AL261122-02-error""#))
            // A refusal that names no field is in the summary too.
            #expect(try await web.post("/meteo/alertes/AL261122-02/fin", ["confirm": "1"]).status == .seeOther)
            let late = try await web.post("/meteo/alertes/AL261122-02/bip", ["text": "Trop tard."])
            #expect(late.status == .conflict && matches(late.html, Self.summaryAfterTitle))
            #expect(late.html.contains("<li>" + escaped(Messages.Weather.endedPublishNew("AL261122-02")) + "</li>"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func eachBoxIsInsideItsLabelAndTheEndIsApart(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = try await cidWithOneAlert(app)
            let html = try await web.get("/meteo").html
            for s in OnlineService.allCases {
                let box = #"<label class="choice"><input type="checkbox" id="services-[a-z0-9-]+" name="services\[\]" value=""# + s.rawValue + #""[^>]*> "#
                #expect(matches(html, box + NSRegularExpression.escapedPattern(for: s.label) + "</label>"), "\(s)")
            }
            for m in TransmissionMode.allCases {
                let box = #"<label class="choice"><input type="checkbox" id="modes-[a-z0-9-]+" name="modes\[\]" value=""#
                    + NSRegularExpression.escapedPattern(for: m.rawValue) + #""[^>]*> "# + NSRegularExpression.escapedPattern(for: m.rawValue) + "</label>"
                #expect(matches(html, box), "\(m)")
            }
            for l in AlertLevel.allCases {
                #expect(matches(html, #"<label class="choice"><input type="radio" id="level-\#(l.rawValue)" name="level" value="\#(l.rawValue)"[^>]*> \#(l.label)</label>"#))
            }
            #expect(matches(html, #"<fieldset>\s*<legend>Services concernés</legend>"#))
            #expect(matches(html, #"<fieldset>\s*<legend>Modes de transmission</legend>"#))
            #expect(matches(html, #"<fieldset>\s*<legend>Niveau</legend>"#))
            // The end is its own section, after the bulletin's form, with a required confirmation inside its label.
            let bulletinForm = html.range(of: "Publier le bulletin</button>\n  </form>")
            let endSection = html.range(of: #"<h4 id="fin-AL261122-02-titre">Terminer l'alerte</h4>"#)
            #expect(bulletinForm != nil && endSection != nil && bulletinForm!.upperBound < endSection!.lowerBound)
            #expect(html.contains(#"<section class="end-alert" aria-labelledby="fin-AL261122-02-titre">"#))
            #expect(matches(html, #"<label class="choice"><input type="checkbox" id="fin-confirm-AL261122-02" name="confirm" value="1" required> Je confirme la fin de l'alerte"#))
            #expect(html.contains(#"<button type="submit" class="secondary danger">Terminer l'alerte</button>"#))
            #expect(!html.contains(#"id="erreurs""#))
        }
    }
}
