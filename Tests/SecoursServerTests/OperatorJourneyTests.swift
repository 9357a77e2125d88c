import Foundation
import SecoursCore
import Testing
import VaporTesting
@testable import SecoursServer

/// The operator in a hurry: nothing asked for or typed is lost to a sign-in, a stale page or a
/// slow hand; a form sent twice is caught; what to do next is said.
@Suite("Operator journey: sign-in keeps the work, duplicates caught, next steps")
struct OperatorJourneyTests {
    let generation = ["type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-777-CD",
                      "dispatchDate": "2026-11-23", "dispatchTime": "08:30"]

    func value(of name: String, in html: String) -> String? {
        guard let r = html.range(of: #"name="\#(name)" value="[^"]*""#, options: .regularExpression) else { return nil }
        return html[r].split(separator: "\"").dropFirst(3).first.map(String.init)
    }

    /// How many documents of the operator's excise numbers carry `transport`.
    func documents(_ app: Application, transport: String) async throws -> Int {
        let token = try await app.token("marie.laurent")
        let found = try await app.api(.GET, "/api/v1/documents?transport=eq:\(transport)", token: token)
        return found.object["total"] as? Int ?? -1
    }

    @Test(arguments: TestDatabase.available)
    func aPageAskedForSignedOutComesBackAfterSignIn(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = WebSession(app)
            let asked = try await web.get("/rechercher?_go=1&transport=AB")
            #expect(asked.status == .seeOther)
            let location = try #require(asked.location)
            #expect(location.hasPrefix("/connexion?suite=") && location.contains("rechercher"))
            let page = try await web.get(location)
            #expect(page.html.contains(#"name="suite" value="/rechercher?_go=1&amp;transport=AB""#))
            #expect(page.html.contains("vous y serez ramené"))
            let signedIn = try await web.post("/connexion", ["login": "marie.laurent", "password": DemoData.password,
                                                            "suite": "/rechercher?_go=1&transport=AB"])
            #expect(signedIn.status == .seeOther && signedIn.location == "/rechercher?_go=1&transport=AB")

            // Never elsewhere: another site, a scheme, the sign-out.
            for suite in ["//evil.example/x", "https://evil.example/", "/\\evil.example", "/deconnexion", "javascript:alert(1)"] {
                let other = WebSession(app)
                _ = try await other.get("/connexion")
                let answer = try await other.post("/connexion", ["login": "marie.laurent", "password": DemoData.password, "suite": suite])
                #expect(answer.status == .seeOther && answer.location == "/accueil", "suite \(suite)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aFormSentAfterTheSessionEndedIsKeptThroughTheSignIn(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            // The session is gone (expired, or the server restarted): the post carries no valid cookie.
            let web = WebSession(app)
            let sent = try await web.post("/generer", generation.merging(["_csrf": "from-the-old-session"]) { a, _ in a }, withCSRF: false)
            #expect(sent.status == .unauthorized)
            #expect(sent.html.contains("Votre session a expiré") && sent.html.contains(#"name="suite" value="/generer""#))
            let kept = try #require(value(of: "_kept", in: sent.html))
            #expect(try await documents(app, transport: "AB-777-CD") == 0)

            let signedIn = try await web.post("/connexion", ["login": "marie.laurent", "password": DemoData.password,
                                                            "suite": "/generer", "_kept": kept])
            #expect(signedIn.status == .ok)
            #expect(signedIn.html.contains("Envoyer ma saisie") && signedIn.html.contains(#"<form method="post" action="/generer">"#))
            #expect(signedIn.html.contains(#"name="transport" value="AB-777-CD""#) && signedIn.html.contains("<dd>AB-777-CD</dd>"))
            #expect(!signedIn.html.contains("from-the-old-session"))
            // Nothing is sent before the person clicks.
            #expect(try await documents(app, transport: "AB-777-CD") == 0)

            let done = try await web.post("/generer", generation)
            #expect(done.status == .seeOther && done.location?.hasSuffix("/recapitulatif") == true)
            #expect(try await documents(app, transport: "AB-777-CD") == 1)

            // A post from another site is never kept nor replayed.
            let forged = WebSession(app)
            forged.origin = "http://evil.example"
            let refused = try await forged.post("/generer", generation.merging(["transport": "EVIL-1"]) { _, b in b }, withCSRF: false)
            #expect(refused.status == .unauthorized && value(of: "_kept", in: refused.html) == nil && !refused.html.contains("EVIL-1"))

            // An upload cannot ride along: the page says to choose the file again.
            let upload = try await app.testing().sendRequest(.POST, "/importer", headers: ["Host": "secours.test", "Origin": "http://secours.test",
                                                                                          "Content-Type": "multipart/form-data; boundary=x"],
                                                             body: ByteBuffer(string: "--x--\r\n"))
            #expect(upload.status == .unauthorized && upload.body.string.contains("choisissez à nouveau le fichier"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aPageLeftOpenTooLongIsOfferedAgainWithAFreshToken(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = WebSession(app)
            _ = try await web.signIn("marie.laurent")
            let stale = try await web.post("/generer", generation.merging(["_csrf": "an-old-token", "transport": "AB-778-CD"]) { _, b in b }, withCSRF: false)
            #expect(stale.status == .ok && stale.html.contains("restée ouverte trop longtemps"))
            #expect(stale.html.contains(#"name="transport" value="AB-778-CD""#))
            #expect(try await documents(app, transport: "AB-778-CD") == 0)
            let done = try await web.post("/generer", generation.merging(["transport": "AB-778-CD"]) { _, b in b })
            #expect(done.status == .seeOther)
            #expect(try await documents(app, transport: "AB-778-CD") == 1)

            // From another site: refused, as before.
            web.origin = "http://evil.example"
            let forged = try await web.post("/generer", generation.merging(["_csrf": "an-old-token", "transport": "EVIL-2"]) { _, b in b }, withCSRF: false)
            #expect(forged.status == .forbidden && !forged.html.contains("EVIL-2"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aPrefilledTimeLeftAsItWasMeansNow(_ db: TestDatabase) async throws {
        let clock = TestClock(referenceNow)
        try await withApp(db, clock: clock) { app in
            let web = WebSession(app)
            _ = try await web.signIn("marie.laurent")
            let form = try await web.get("/generer")
            #expect(form.html.contains(#"name="_defaultTime" value="10:15""#) && form.html.contains(#"id="dispatchTime" name="dispatchTime" type="time" value="10:15""#))
            // The operator takes 65 s: the minute has passed.
            clock.set(referenceNow.addingTimeInterval(65))
            let today = ["type": "DAE", "exciseNumber": "FR007328E0001", "transport": "SLOW-1", "dispatchDate": "2026-11-22", "dispatchTime": "10:15"]
            let done = try await web.post("/generer", today.merging(["_defaultTime": "10:15"]) { _, b in b })
            #expect(done.status == .seeOther)
            let summary = try await web.get(try #require(done.location))
            #expect(summary.html.contains("22/11/2026 à 10:16"))

            // A time the operator typed is theirs: in the past, it is refused, and the form keeps it.
            let typed = try await web.post("/generer", today.merging(["transport": "SLOW-2", "dispatchTime": "10:10", "_defaultTime": "10:15"]) { _, b in b })
            #expect(typed.status == .unprocessableEntity && typed.html.contains("égale ou postérieure à l&#39;heure actuelle"))
            #expect(typed.html.contains(#"value="10:10""#))
            // Without the form's default (the API, a script), nothing changes either.
            let bare = try await web.post("/generer", today.merging(["transport": "SLOW-3"]) { _, b in b })
            #expect(bare.status == .unprocessableEntity)
            #expect(try await documents(app, transport: "SLOW-2") == 0)
            #expect(try await documents(app, transport: "SLOW-3") == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theSameMovementSentTwiceIsQuestionedFirst(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = WebSession(app)
            _ = try await web.signIn("marie.laurent")
            _ = try await web.get("/generer")
            let first = try await web.post("/generer", generation)
            let number = try #require(first.location?.split(separator: "/").dropFirst().first.map(String.init))
            // Back, then « Valider » again (the plate typed differently).
            let again = try await web.post("/generer", generation.merging(["transport": "ab 777 cd"]) { _, b in b })
            #expect(again.status == .conflict)
            #expect(again.html.contains("existe déjà pour ce transport") && again.html.contains(#"href="/documents/\#(number)""#))
            #expect(again.html.contains(#"name="_confirmSecond" value="1""#) && again.html.contains(#"value="ab 777 cd""#))
            #expect(try await documents(app, transport: "AB-777-CD") == 1)
            let second = try await web.post("/generer", generation.merging(["_confirmSecond": "1"]) { _, b in b })
            #expect(second.status == .seeOther && second.location != first.location)
            // Another time is another movement.
            let later = try await web.post("/generer", generation.merging(["dispatchTime": "09:30"]) { _, b in b })
            #expect(later.status == .seeOther)

            // Another company learns nothing of it: its refusal names no number.
            let other = WebSession(app)
            _ = try await other.signIn("sophie.durand")
            let probe = try await other.post("/generer", generation)
            #expect(probe.status != .seeOther && !probe.html.contains(number) && !probe.html.contains("existe déjà"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func nonsenseIsRefusedAndStoresNothing(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = WebSession(app)
            _ = try await web.signIn("marie.laurent")
            _ = try await web.get("/generer")
            let plate = try await web.post("/generer", generation.merging(["transport": "<b>??</b> ;;"]) { _, b in b })
            #expect(plate.status == .unprocessableEntity && plate.html.contains("ne peut contenir que des lettres"))
            #expect(plate.html.contains(##"<a href="#transport">"##) && plate.html.contains("&lt;b&gt;??&lt;/b&gt; ;;"))
            let far = try await web.post("/generer", generation.merging(["dispatchDate": "2099-12-31"]) { _, b in b })
            #expect(far.status == .unprocessableEntity && far.html.contains("au plus tard le 22/12/2026"))
            #expect(far.html.contains(##"<a href="#dispatchDate">"##))
            let token = try await app.token("marie.laurent")
            let api = try await app.generate(token, transport: "AB-1 ;; <i>", date: "2026-11-23")
            #expect(api.status == .unprocessableEntity)
            #expect(try await documents(app, transport: "AB-777-CD") == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func onlyTheTypesTheAccountMayIssueAreOffered(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let daaOnly = WebSession(app)
            _ = try await daaOnly.signIn("paul.martin")
            let form = try await daaOnly.get("/generer")
            #expect(form.html.contains(#"value="DAE""#) && !form.html.contains(#"name="type" value="DSA""#))
            #expect(form.html.contains("Seuls les types de document que vos droits permettent"))
            let both = WebSession(app)
            _ = try await both.signIn("marie.laurent")
            let full = try await both.get("/generer")
            #expect(full.html.contains(#"name="type" value="DSA""#) && !full.html.contains("Seuls les types de document"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func everySuccessSaysWhatComesNext(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = WebSession(app)
            _ = try await web.signIn("marie.laurent")
            _ = try await web.get("/generer")
            let done = try await web.post("/generer", generation)
            let number = try #require(done.location?.split(separator: "/").dropFirst().first.map(String.init))
            let summary = try await web.get(try #require(done.location))
            #expect(summary.html.contains("<h1>Numéro de secours généré</h1>") && summary.html.contains("Et maintenant ?"))
            #expect(summary.html.contains("Informez votre bureau de douane de rattachement avant le départ"))
            #expect(summary.html.contains(#"href="/documents/\#(number)/formulaire.pdf""#) && summary.html.contains("Réintégrez le mouvement dans GAMM@"))

            // A bad ARC keeps what was typed, the form open.
            _ = try await web.get("/documents/\(number)")
            let bad = try await web.post("/documents/\(number)/reintegrer", ["arc": "26FR0000000000000BAD"])
            #expect(bad.status == .unprocessableEntity || bad.status == .conflict)
            #expect(bad.html.contains(#"value="26FR0000000000000BAD""#) && bad.html.contains(#"<details class="card action" open><summary>Réintégrer"#))
            #expect(bad.html.contains(#"id="erreurs""#) && bad.html.contains(##"<li><a href="#arc">"##))
            // A cancellation's own comment, refused, is linked in the cancellation's form.
            let tooLong = try await web.post("/documents/\(number)/annuler", ["reason": "other", "comment": String(repeating: "x", count: 501)])
            #expect(tooLong.status == .unprocessableEntity && tooLong.html.contains(##"<li><a href="#cancel-comment">"##), "\(tooLong.status)")

            // A cancellation says it was done.
            let cancelled = try await web.post("/documents/\(number)/annuler", ["reason": "document-error"])
            #expect(cancelled.status == .seeOther && cancelled.location == "/documents/\(number)?fait=annule")
            #expect(try await web.get(try #require(cancelled.location)).html.contains("Document annulé."))

            // A registration lands on its document with a message; the same number again links to it.
            let manual = "26FR007328E0002400011"
            let fields = ["number": manual, "type": "DAE", "exciseNumber": "FR007328E0002", "transport": "AB-123-CD",
                          "dispatchDate": "2026-11-22", "dispatchTime": "09:00", "confirmJump": "true"]
            _ = try await web.get("/enregistrer")
            let registered = try await web.post("/enregistrer", fields)
            #expect(registered.status == .seeOther && registered.location == "/documents/\(manual)?fait=enregistre")
            #expect(try await web.get(try #require(registered.location)).html.contains("Numéro enregistré."))
            let wrong = try await web.post("/enregistrer", fields.merging(["number": "26FR007328E000240002X", "dispatchTime": "25:00"]) { _, b in b })
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.html.contains(##"<li><a href="#number">"##) && wrong.html.contains(##"<li><a href="#dispatchTime">"##))
            let known = try await web.post("/enregistrer", fields)
            #expect(known.status == .conflict && known.html.contains(#"<a href="/documents/\#(manual)">Ouvrir le document qui porte déjà ce numéro</a>"#))
            // Another company is told the number is known, never shown the document.
            let other = WebSession(app)
            _ = try await other.signIn("sophie.durand")
            _ = try await other.get("/enregistrer")
            let probe = try await other.post("/enregistrer", fields)
            #expect(probe.status != .seeOther && !probe.html.contains("Ouvrir le document qui porte déjà ce numéro"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theOutageIsWhereThePersonStarts(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            // The demo data's red alert on GAMMA.
            let visitor = try await WebSession(app).get("/connexion")
            #expect(visitor.html.contains("Incident en cours sur les téléservices") && visitor.html.contains("Alerte rouge : GAMMA"))
            #expect(visitor.html.contains(#"href="/diagnostic""#))
            let web = WebSession(app)
            _ = try await web.signIn("marie.laurent")
            #expect(try await web.get("/accueil").html.contains("Incident en cours sur les téléservices"))
            try await app.endDemoAlert()
            #expect(try await !WebSession(app).get("/connexion").html.contains("Incident en cours"))
            #expect(try await !web.get("/accueil").html.contains("Incident en cours"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theSearchFormOffersOnlyRealChoicesAndSaysWhenNothingMatches(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = WebSession(app)
            _ = try await web.signIn("marie.laurent")
            let form = try await web.get("/rechercher")
            // A single comparator is no choice: sent hidden, not offered as a one-option list.
            #expect(form.html.contains(#"<input type="hidden" name="_op_status" value="eq">"#))
            #expect(!form.html.contains(#"<select name="_op_status""#) && form.html.contains(#"<select name="_op_transport""#))
            // The rarer criteria wait behind « Plus de critères », open when one of them is used.
            #expect(form.html.contains(#"<details class="more-criteria" ><summary>Plus de critères</summary>"#))
            let used = try await web.get("/rechercher?_go=1&_op_registrationMode=eq&registrationMode=a-posteriori")
            #expect(used.html.contains(#"<details class="more-criteria" open>"#))
            let none = try await web.get("/rechercher?_go=1&_op_transport=eq&transport=NOTHING-HERE")
            #expect(none.status == .ok && none.html.contains("Aucun document ne correspond à ces critères.") && !none.html.contains("<thead>"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRefusedAnswerKeepsTheChoiceAndTheComment(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.requireEpisode = true }) { app in
            try await app.endDemoAlert()
            let marie = try await app.token("marie.laurent")
            let id = try #require(try await app.api(.POST, "/api/v1/episodes", token: marie,
                                                     body: ["exciseNumber": "FR007328E0002", "basis": "office-authorisation",
                                                            "reason": "Plus de connexion Internet."]).object["id"] as? String)
            let web = WebSession(app)
            _ = try await web.signIn("agent.bordeaux")
            _ = try await web.get("/episodes/\(id)")
            let refused = try await web.post("/episodes/\(id)/decision", ["decision": "refuse", "comment": " "])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains(#"value="refuse" checked"#) && refused.html.contains(#"id="erreurs""#))
            let typed = try await web.post("/episodes/\(id)/decision", ["decision": "", "comment": "Vu au téléphone"])
            #expect(typed.status == .unprocessableEntity && typed.html.contains("Vu au téléphone</textarea>"))
            // The summary links each refused field to its place in the form that was sent.
            #expect(refused.html.contains(##"<li><a href="#comment">"##))
            #expect(typed.html.contains(##"<li><a href="#decision-authorise">"##) && typed.html.contains(#"id="decision-authorise""#))
            let marieWeb = WebSession(app)
            _ = try await marieWeb.signIn("marie.laurent")
            _ = try await marieWeb.get("/episodes/\(id)")
            let empty = try await marieWeb.post("/episodes/\(id)/piece", ["text": " "])
            #expect(empty.status == .unprocessableEntity && empty.html.contains(##"<li><a href="#text">"##), "\(empty.status)")
            #expect(try await app.api(.GET, "/api/v1/episodes/\(id)", token: marie).object["status"] as? String == "requested")
        }
    }
}
