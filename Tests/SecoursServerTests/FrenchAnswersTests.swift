import Foundation
import SecoursCore
import Testing
import VaporTesting
@testable import SecoursServer

/// What a person reads is French, without internal codes (issue 15, point 5): error page titles,
/// validation messages, the diagnosis's dead end.
@Suite("French answers, no internal codes")
struct FrenchAnswersTests {
    @Test(arguments: TestDatabase.available)
    func errorPagesAndTheDiagnosisDeadEnd(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = WebSession(app)
            let missing = try await web.get("/nulle-part")
            #expect(missing.status == .notFound)
            #expect(missing.html.contains("<h1>Page introuvable</h1>") && missing.html.contains("<title>Page introuvable (erreur 404)"))
            #expect(!missing.html.contains("Not Found"))
            // An unknown diagnosis path: a way back to the first question, not an address to copy.
            let lost = try await web.get("/diagnostic/gamma?r=emit.zz")
            #expect(lost.status == .badRequest)
            #expect(lost.html.contains("<h1>Requête invalide</h1>") && !lost.html.contains("Bad Request"))
            #expect(lost.html.contains(#"<a class="button" href="/diagnostic/gamma">Recommencer le diagnostic</a>"#))
            #expect(!lost.html.contains("question : /diagnostic/gamma"))
        }
    }

    /// A generation refused for lack of an alert or episode leads to the diagnosis, as a button
    /// (issue 15, point 1), with what was typed kept.
    @Test(arguments: TestDatabase.available)
    func aRefusedGenerationLeadsToTheDiagnosis(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.requireEpisode = true }) { app in
            try await app.endDemoAlert()
            let web = WebSession(app)
            _ = try await web.signIn("marie.laurent")
            _ = try await web.get("/generer")
            let refused = try await web.post("/generer", ["type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-123-CD",
                                                          "dispatchDate": "2026-11-23", "dispatchTime": "08:30"])
            #expect(refused.html.contains("Aucune alerte en cours"))
            #expect(refused.html.contains(#"<a class="button" href="/diagnostic/gamma">Je diagnostique ma panne</a>"#))
            #expect(refused.html.contains(#"value="AB-123-CD""#))
            // Another refusal (a field to correct) offers no diagnosis.
            let wrong = try await web.post("/generer", ["type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-123-CD",
                                                        "dispatchDate": "2026-11-23", "dispatchTime": "25:99"])
            #expect(wrong.html.contains("corrigez les champs signalés"))
            #expect(!wrong.html.contains(#"<a class="button" href="/diagnostic/gamma">"#))
        }
    }

    @Test func everyStatusHasAFrenchTitle() {
        for code in [400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500, 503] {
            let title = Messages.Service.statusTitle(code)
            #expect(!title.hasPrefix("Erreur") && title == title.trimmingCharacters(in: .whitespaces), "\(code)")
        }
        #expect(Messages.Service.statusTitle(418) == "Erreur 418")
    }

    @Test func validationMessagesNameChoicesNotCodes() {
        do {
            _ = try AlertRequest(level: "orange", services: ["GAMMA"], modes: ["DTI"], title: "t", description: "d").validate(now: referenceNow)
            Issue.record("an unknown level was accepted")
        } catch {
            let message = error.message(for: "level") ?? ""
            #expect(message == "Choisissez le niveau d'alerte : rouge ou noire.")
            #expect(!message.contains("red") && !message.contains("black"))
        }
        let episode = Messages.Episodes.alreadyActive(.requested, exciseNumber: "FR007328E0001", service: "GAMMA", since: referenceNow)
        #expect(episode.contains("depuis le 22/11/2026") && episode.contains("« Épisodes de secours »"))
    }
}
