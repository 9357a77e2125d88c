import Fluent
import Foundation
import SecoursCore
import Testing
import VaporTesting
@testable import SecoursServer

@Suite("Self-trigger, communications and the office's console (R-DIAG-3, R-OFF-1)")
struct OfficeTests {
    func assistance(_ excise: String = "FR007328E0001", service: String = "GAMMA") -> [String: Any] {
        ["exciseNumber": excise, "eori": "FR73282932000074", "companyName": "SCEA Château Les Graves", "address": "12 chemin des Vignes, 33720 Podensac",
         "phone": "05 56 00 00 00", "service": service, "switchDate": "2026-11-22", "switchTime": "09:50",
         "reasons": "Plus aucune déclaration validée depuis 9 h 50 ; aucune alerte publiée."]
    }

    @Test(arguments: TestDatabase.available)
    func selfTriggerOpensAndClosesAnEpisode(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.requireEpisode = true }) { app in
            try await app.endDemoAlert()
            let marie = try await app.token("marie.laurent")
            #expect(try await app.generate(marie).status == .conflict)
            let made = try await app.api(.POST, "/api/v1/assistance-requests", token: marie, body: assistance())
            #expect(made.status == .created && made.object["reference"] as? String == "DA261122-001")
            #expect(made.object["mention"] as? String == "auto-déclenchement de la procédure de secours")
            let episodeID = try #require(made.object["episodeId"] as? String)
            let episode = try await app.api(.GET, "/api/v1/episodes/\(episodeID)", token: marie)
            #expect(episode.object["basis"] as? String == "self-trigger" && episode.object["status"] as? String == "open")
            #expect(episode.object["startedAt"] as? String == "2026-11-22T09:15:00Z", "the registration time starts the fallback")
            #expect(try await app.generate(marie).status == .created)
            // One request per service.
            let again = try await app.api(.POST, "/api/v1/assistance-requests", token: marie, body: assistance())
            #expect(again.status == .conflict && again.errorMessage?.contains("une seule par service") == true)
            #expect(try await app.api(.POST, "/api/v1/assistance-requests", token: marie, body: assistance(service: "GAMMA2")).status == .created)

            // The office sees it; another company does not.
            let agent = try await app.token("agent.bordeaux")
            #expect(try await app.api(.GET, "/api/v1/assistance-requests", token: agent).array.count == 2)
            #expect(try await app.api(.POST, "/api/v1/assistance-requests", token: agent, body: assistance()).status == .forbidden)
            let sophie = try await app.token("sophie.durand")
            let id = try #require(made.object["id"] as? String)
            #expect(try await app.api(.GET, "/api/v1/assistance-requests", token: sophie).array.isEmpty)
            #expect(try await app.api(.GET, "/api/v1/assistance-requests/\(id)", token: sophie).status == .notFound)
            #expect(try await app.api(.POST, "/api/v1/assistance-requests/\(id)/close", token: sophie).status == .notFound)
            #expect(try await app.api(.POST, "/api/v1/assistance-requests", token: sophie, body: assistance()).status == .forbidden)

            // Closing it ends the episode, and generating needs cover again.
            let closed = try await app.api(.POST, "/api/v1/assistance-requests/\(id)/close", token: marie, body: ["comment": "Réparé."])
            #expect(closed.status == .ok && closed.object["closedAt"] != nil)
            #expect((try await app.api(.GET, "/api/v1/episodes/\(episodeID)", token: marie)).object["status"] as? String == "closed")
            #expect(try await app.generate(marie).status == .conflict)
            #expect(try await app.api(.POST, "/api/v1/assistance-requests/\(id)/close", token: marie).status == .conflict)
        }
    }

    @Test(arguments: TestDatabase.available)
    func assistanceRequestsCheckEveryField(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let bad = try await app.api(.POST, "/api/v1/assistance-requests", token: marie, body: [
                "exciseNumber": "FR007328E0001", "eori": "12", "companyName": "", "address": String(repeating: "a", count: 401), "phone": "abc",
                "service": "MINITEL", "switchDate": "2026-11-23", "switchTime": "09:00", "reasons": " ",
            ])
            #expect(bad.status == .unprocessableEntity)
            #expect(Set(bad.errorFields) == ["eori", "companyName", "address", "phone", "service", "switchDate", "reasons"])
            #expect(try await app.api(.GET, "/api/v1/assistance-requests", token: marie).array.isEmpty)
            #expect(try await app.api(.GET, "/api/v1/episodes", token: marie).array.isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func communicationsBeforeDeparture(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let body: [String: Any] = ["number": "26FR007328E0001000051", "type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-123-CD",
                                       "dispatchDate": "2026-11-22", "dispatchTime": "14:00"]
            let made = try await app.api(.POST, "/api/v1/communications", token: marie, body: body)
            #expect(made.status == .created && made.object["number"] as? String == "26FR007328E0001000051")
            #expect(try await app.api(.POST, "/api/v1/communications", token: marie, body: body).status == .conflict)
            var past = body
            past["number"] = "26FR007328E0001000061"
            past["dispatchTime"] = "08:00"
            #expect(try await app.api(.POST, "/api/v1/communications", token: marie, body: past).errorFields == ["dispatchDate"])
            var dsa = body
            dsa["number"] = "26FR007328E0001000072"
            dsa["type"] = "DSA"
            #expect(try await app.api(.POST, "/api/v1/communications", token: try await app.token("paul.martin"), body: dsa).status == .forbidden)
            #expect(try await app.api(.GET, "/api/v1/communications", token: try await app.token("agent.bordeaux")).array.count == 1)
            #expect(try await app.api(.GET, "/api/v1/communications", token: try await app.token("sophie.durand")).array.isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theConsoleShowsWhatTheOfficeMustSee(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            // An authorisation request, a self-trigger, a communication, a generated number,
            // a document a day from inactivation, and an inactive one.
            _ = try await app.api(.POST, "/api/v1/episodes", token: marie,
                                  body: ["exciseNumber": "FR007328E0002", "basis": "office-authorisation", "reason": "Box en panne."])
            _ = try await app.api(.POST, "/api/v1/assistance-requests", token: marie, body: assistance())
            _ = try await app.api(.POST, "/api/v1/communications", token: marie, body: ["number": "26FR007328E0001000051", "type": "DAE",
                "exciseNumber": "FR007328E0001", "transport": "AB-123-CD", "dispatchDate": "2026-11-22", "dispatchTime": "14:00"])
            let generated = try #require(try await app.generate(marie).object["number"] as? String)
            let near = try await app.api(.POST, "/api/v1/documents/registrations", token: marie, body: ["number": "26FR007328E0001000081", "type": "DAE",
                "exciseNumber": "FR007328E0001", "transport": "CD-1", "dispatchDate": "2026-11-16", "dispatchTime": "08:00"])
            #expect(near.status == .created)
            _ = try await app.api(.POST, "/api/v1/documents/registrations", token: marie, body: ["number": "26FR007328E0001000091", "type": "DAE",
                "exciseNumber": "FR007328E0001", "transport": "EF-2", "dispatchDate": "2026-11-10", "dispatchTime": "08:00"])
            _ = try await Inactivator(db: app.db, rule: InactivationRule(days: 7)).run(now: referenceNow)

            let web = WebSession(app)
            _ = try await web.signIn("agent.bordeaux")
            let page = try await web.get("/bureau")
            #expect(page.status == .ok && page.html.contains(#"data-live="/bureau/direct""#) && !page.html.contains("http-equiv"),
                    "live, never reloaded under the officer's typing")
            #expect(page.html.contains("Demande d&#39;autorisation") || page.html.contains("Demande d'autorisation"))
            #expect(page.html.contains("Auto-déclenchement") && page.html.contains("Numéro communiqué") && page.html.contains("26FR007328E0001000051"))
            #expect(page.html.contains("60 min"), "the hour left to answer")
            #expect(page.html.contains(#"<input type="hidden" name="decision" value="authorise">"#), "the office answers from its console")
            #expect(page.html.contains(generated))
            // Dispatched 16/11 at 08:00, inactive 23/11 at 08:00: 21 h 45 min from now.
            #expect(page.html.contains("26FR007328E0001000081</a></td><td class=\"mono\">FR007328E0001</td><td>16/11/2026 à 08:00</td><td>21 h</td>"))
            #expect(page.html.contains("/documents/26FR007328E0001000091/reactiver"))
            #expect(page.html.contains("(3 non lues)"), "request, self-trigger, communication")
            #expect(try await web.post("/bureau/lu", [:]).status == .seeOther)
            #expect(try await web.get("/bureau").html.contains("(0 non lues)"))
            // Reactivation from the console.
            let reactivated = try await web.post("/documents/26FR007328E0001000091/reactiver", ["reason": "operator-oversight"])
            #expect(reactivated.status == .seeOther)

            // Operators have no console; another office's officer sees nothing of this one.
            let op = WebSession(app)
            _ = try await op.signIn("marie.laurent")
            #expect(try await op.get("/bureau").status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func fromTheDiagnosisToTheOfficesAnswerInPages(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.requireEpisode = true }) { app in
            try await app.endDemoAlert()
            let web = WebSession(app)
            _ = try await web.signIn("marie.laurent")
            let conclusion = try await web.get("/diagnostic/gamma?r=emit.dti.no.no")
            #expect(conclusion.html.contains("/episodes?basis=office-authorisation&amp;service=GAMMA"))
            let form = try await web.get("/episodes?basis=office-authorisation&service=GAMMA")
            #expect(form.html.contains(#"value="office-authorisation" checked"#))
            let missing = try await web.post("/episodes", ["exciseNumber": "FR007328E0001", "service": "GAMMA", "basis": "office-authorisation", "reason": ""])
            #expect(missing.status == .unprocessableEntity && missing.html.contains(#"id="reason-error""#))
            let sent = try await web.post("/episodes", ["exciseNumber": "FR007328E0001", "service": "GAMMA", "basis": "office-authorisation",
                                                        "reason": "Fibre coupée, pas de 4G sur le site."])
            #expect(sent.status == .seeOther)
            let episodePath = try #require(sent.location)
            #expect(try await web.get(episodePath).html.contains("60 min"))

            let agent = WebSession(app)
            _ = try await agent.signIn("agent.bordeaux")
            let view = try await agent.get(episodePath)
            #expect(view.html.contains("Réponse du bureau"))
            #expect(try await agent.post(episodePath + "/decision", ["decision": "authorise", "comment": ""]).status == .seeOther)
            #expect(try await agent.get(episodePath).html.contains("Autorisation du bureau"))
            // The operator may now generate, from the page.
            _ = try await web.get("/generer")
            let generated = try await web.post("/generer", ["type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-1",
                                                            "dispatchDate": "2026-11-23", "dispatchTime": "08:30"])
            #expect(generated.status == .seeOther)
            _ = try await web.get(episodePath)
            #expect(try await web.post(episodePath + "/piece", ["text": "Courriel du bureau reçu."]).status == .seeOther)
            #expect(try await web.post(episodePath + "/clore", ["text": ""]).status == .seeOther)
            #expect(try await web.get(episodePath).html.contains("Clos"))
        }
    }
}
