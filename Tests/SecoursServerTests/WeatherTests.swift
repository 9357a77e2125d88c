import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SecoursCore
import Testing
import VaporTesting
@testable import SecoursServer

@Suite("Météo des téléservices: alerts, bulletins, feed (R-MET)")
struct WeatherTests {
    func alert(level: String = "red", services: [String] = ["GAMMA"], modes: [String] = ["DTI"], title: String = "GAMMA indisponible",
               description: String = "Les DAE ne peuvent plus être validés.") -> [String: Any] {
        ["level": level, "services": services, "modes": modes, "title": title, "description": description]
    }

    func state(_ board: APIResponse, _ service: String, _ mode: String) -> String? {
        (board.object["weather"] as? [[String: Any]])?.first { $0["service"] as? String == service && $0["mode"] as? String == mode }?["state"] as? String
    }

    @Test(arguments: TestDatabase.available)
    func publishUpdateAndEnd(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            try await app.endDemoAlert()
            let cid = try await app.token("cid.admin")
            // Nothing yet: every service normal, on the page too, without signing in.
            let empty = try await app.api(.GET, "/api/v1/alerts")
            #expect(empty.status == .ok && (empty.object["weather"] as? [Any])?.count == OnlineService.allCases.count * 3)
            #expect(state(empty, "GAMMA", "DTI") == "normal")
            let page = try await WebSession(app).get("/meteo")
            #expect(page.status == .ok && page.html.contains("Aucune alerte en cours") && !page.html.contains("Publier une alerte"))

            // Publish: the reference is the Paris day and the ordinal.
            let first = try await app.api(.POST, "/api/v1/alerts", token: cid, body: alert())
            #expect(first.status == .created && first.object["reference"] as? String == "AL261122-02")
            #expect(first.headers.first(name: .location) == "/api/v1/alerts/AL261122-02")
            let second = try await app.api(.POST, "/api/v1/alerts", token: cid,
                                           body: alert(level: "black", services: ["GAMMA", "GPS"], modes: ["DTI", "EDI"], title: "Panne <générale>"))
            #expect(second.object["reference"] as? String == "AL261122-03")
            let board = try await app.api(.GET, "/api/v1/alerts")
            #expect(state(board, "GAMMA", "DTI") == "black", "the worst level wins")
            #expect(state(board, "GAMMA", "EDI") == "black" && state(board, "GPS", "EDI") == "black")
            #expect(state(board, "GAMMA", "DTI+") == "normal" && state(board, "DELTA-G", "DTI") == "normal")
            #expect((board.object["current"] as? [[String: Any]])?.count == 2)

            // Bulletins, newest first.
            #expect(try await app.api(.POST, "/api/v1/alerts/AL261122-02/bulletins", token: cid, body: ["text": "Diagnostic en cours."]).status == .created)
            let bip = try await app.api(.POST, "/api/v1/alerts/al261122-02/bulletins", token: cid, body: ["text": "Retour prévu à 14 h."])
            #expect((bip.object["bulletins"] as? [[String: Any]])?.map { $0["text"] as? String } == ["Retour prévu à 14 h.", "Diagnostic en cours."])
            #expect(try await app.api(.POST, "/api/v1/alerts/AL261122-02/bulletins", token: cid, body: ["text": "  "]).status == .unprocessableEntity)
            #expect(try await app.api(.POST, "/api/v1/alerts/AL261122-09/bulletins", token: cid, body: ["text": "x"]).status == .notFound)

            // End, with a closing message; a second end or a late bulletin is refused.
            let ended = try await app.api(.POST, "/api/v1/alerts/AL261122-03/end", token: cid, body: ["text": "Service rétabli."])
            #expect(ended.status == .ok && ended.object["endedAt"] != nil)
            #expect((ended.object["bulletins"] as? [[String: Any]])?.first?["closing"] as? Bool == true)
            #expect(try await app.api(.POST, "/api/v1/alerts/AL261122-03/end", token: cid).status == .conflict)
            #expect(try await app.api(.POST, "/api/v1/alerts/AL261122-03/bulletins", token: cid, body: ["text": "x"]).status == .conflict)
            let after = try await app.api(.GET, "/api/v1/alerts")
            #expect(state(after, "GAMMA", "DTI") == "red" && state(after, "GPS", "EDI") == "normal")
            #expect((after.object["past"] as? [[String: Any]])?.first?["reference"] as? String == "AL261122-03")

            // The public page and the feed show both.
            let html = try await WebSession(app).get("/meteo").html
            #expect(html.contains("AL261122-02") && html.contains("Retour prévu à 14 h.") && html.contains("Alertes passées"))
            #expect(html.contains("Panne &lt;générale&gt;") && !html.contains("Panne <générale>"))
            let feed = try await WebSession(app).get("/meteo/alertes.atom")
            #expect(feed.headers.contentType?.subType == "atom+xml")
            #expect(feed.html.contains("<id>urn:secours:alerte:AL261122-02</id>") && feed.html.contains("Panne &lt;générale&gt;"))
            #expect(XMLParser(data: Data(feed.html.utf8)).parse(), "the feed is well-formed XML")
            #expect(feed.html.components(separatedBy: "<entry>").count == 4 && !feed.html.contains("<générale>"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func onlyTheCIDPublishesAndBadInputChangesNothing(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            try await app.endDemoAlert()
            for login in ["marie.laurent", "agent.bordeaux", "edi.transvin"] {
                let token = try await app.token(login)
                #expect(try await app.api(.POST, "/api/v1/alerts", token: token, body: alert()).status == .forbidden, "\(login)")
            }
            #expect(try await app.api(.POST, "/api/v1/alerts", body: alert()).status == .unauthorized)
            let cid = try await app.token("cid.admin")
            let missing = try await app.api(.POST, "/api/v1/alerts", token: cid, body: ["level": "orange", "services": ["GAMMA3"], "modes": [String]()])
            #expect(missing.status == .unprocessableEntity)
            #expect(Set(missing.errorFields) == ["level", "services", "modes", "title", "description"])
            let future = try await app.api(.POST, "/api/v1/alerts", token: cid, body: alert().merging(["startedAt": "2026-11-23T09:00:00Z"]) { $1 })
            #expect(future.status == .unprocessableEntity && future.errorFields == ["startedAt"])
            #expect(((try await app.api(.GET, "/api/v1/alerts")).object["current"] as? [Any])?.isEmpty == true)
            // An operator cannot end or update the CID's alert either.
            _ = try await app.api(.POST, "/api/v1/alerts", token: cid, body: alert())
            let marie = try await app.token("marie.laurent")
            #expect(try await app.api(.POST, "/api/v1/alerts/AL261122-02/end", token: marie).status == .forbidden)
            #expect(try await app.api(.POST, "/api/v1/alerts/AL261122-02/bulletins", token: marie, body: ["text": "x"]).status == .forbidden)
            let board = try await app.api(.GET, "/api/v1/alerts")
            #expect((board.object["current"] as? [Any])?.count == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theCIDWorksFromThePage(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            try await app.endDemoAlert()
            let web = WebSession(app)
            _ = try await web.signIn("cid.admin")
            #expect(try await web.get("/meteo").html.contains("Publier une alerte"))
            let bad = try await web.post("/meteo/alertes", pairs: [("level", "red"), ("title", ""), ("description", "x")])
            #expect(bad.status == .unprocessableEntity && bad.html.contains(#"id="services-error""#) && bad.html.contains(#"id="title-error""#))
            let ok = try await web.post("/meteo/alertes", pairs: [("level", "red"), ("services[]", "GAMMA"), ("services[]", "GAMMA2"), ("modes[]", "EDI"),
                                                                  ("title", "Plateforme EDI"), ("description", "Messages rejetés."), ("startedAt", "2026-11-22T08:30")])
            #expect(ok.status == .seeOther && ok.location == "/meteo")
            let page = try await web.get("/meteo")
            #expect(page.html.contains("AL261122-02") && page.html.contains("GAMMA, GAMMA 2 — EDI") && page.html.contains("22/11/2026 à 08:30"))
            #expect(try await web.post("/meteo/alertes/AL261122-02/bip", ["text": "Correctif en test."]).status == .seeOther)
            #expect(try await web.post("/meteo/alertes/AL261122-02/fin", ["text": "", "confirm": "1"]).status == .seeOther)
            let done = try await web.get("/meteo")
            #expect(done.html.contains("Aucune alerte en cours") && done.html.contains("Correctif en test."))
            let again = try await web.post("/meteo/alertes/AL261122-02/fin", ["text": "", "confirm": "1"])
            #expect(again.status == .conflict && again.html.contains("déjà terminée"))

            // An operator signed in sees the page without the CID's forms and cannot post.
            let op = WebSession(app)
            _ = try await op.signIn("marie.laurent")
            #expect(!(try await op.get("/meteo")).html.contains("Publier une alerte"))
            let refused = try await op.post("/meteo/alertes", pairs: [("level", "red"), ("services[]", "GAMMA"), ("modes[]", "DTI"), ("title", "x"), ("description", "y")])
            #expect(refused.status == .forbidden)
        }
    }
}
