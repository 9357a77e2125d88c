import Fluent
import Foundation
import NIOCore
import SecoursCore
import SQLKit
import Testing
import VaporTesting
@testable import SecoursServer

/// R-NF-3: no input makes the server fail. Control characters are refused by one gate with a
/// clear error naming the field, and change nothing; unknown paths are 404, always.
@Suite("Input gate")
struct InputGateTests {
    /// What the database holds, row counts and statuses: equal before and after a refused request.
    static func fingerprint(_ app: Application) async throws -> [String] {
        let sql = app.db as! SQLDatabase
        var out: [String] = []
        for table in ["alert_bulletins", "alerts", "assistance_requests", "communications", "companies", "document_history", "documents",
                      "episode_events", "episodes", "excise_numbers", "office_notices", "offices", "rights", "tokens", "users"] {
            let n = try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()!.decode(column: "n", as: Int.self)
            out.append("\(table)=\(n)")
        }
        for row in try await sql.raw("SELECT status, COUNT(*) AS n FROM documents GROUP BY status ORDER BY status").all() {
            out.append("documents.\(try row.decode(column: "status", as: String.self))=\(try row.decode(column: "n", as: Int.self))")
        }
        for row in try await sql.raw("SELECT status, COUNT(*) AS n FROM episodes GROUP BY status ORDER BY status").all() {
            out.append("episodes.\(try row.decode(column: "status", as: String.self))=\(try row.decode(column: "n", as: Int.self))")
        }
        for row in try await sql.raw("SELECT reference, ended_at FROM alerts ORDER BY reference").all() {
            out.append("alert.\(try row.decode(column: "reference", as: String.self))=\(try row.decode(column: "ended_at", as: Date?.self).map { "\($0)" } ?? "current")")
        }
        let used = try await sql.raw("SELECT CAST(COALESCE(SUM(last_used), 0) AS BIGINT) AS n FROM sequences").first()!.decode(column: "n", as: Int.self)
        out.append("sequences=\(used)")
        return out
    }

    /// A demo document of marie.laurent's, active.
    static func activeDocument(_ app: Application, _ token: String) async throws -> String {
        let made = try await app.generate(token)
        return try #require(made.object["number"] as? String, "\(made.text)")
    }

    // MARK: The cases seen from outside

    @Test(arguments: TestDatabase.available)
    func controlCharactersAreRefusedWithTheFieldNamed(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let cid = try await app.token("cid.admin")
            let number = try await Self.activeDocument(app, marie)
            let episode = try #require(try await app.api(.POST, "/api/v1/episodes", token: marie,
                                                         body: ["exciseNumber": "FR007328E0002", "basis": "office-authorisation", "reason": "r"]).object["id"] as? String)
            let nul = "Motif\u{0}caché"
            let cases: [(String, String, String?, [String: Any], String)] = [
                ("cancellation comment", "/api/v1/documents/\(number)/cancellation", marie, ["reason": "other", "comment": nul], "comment"),
                ("episode reason", "/api/v1/episodes", marie, ["exciseNumber": "FR007328E0001", "basis": "office-authorisation", "reason": nul], "reason"),
                ("evidence", "/api/v1/episodes/\(episode)/evidence", marie, ["text": nul], "text"),
                ("alert title", "/api/v1/alerts", cid, ["level": "red", "services": ["GAMMA"], "modes": ["DTI"], "title": nul, "description": "d"], "title"),
                ("alert service", "/api/v1/alerts", cid, ["level": "red", "services": ["GAMMA", "X\u{1}"], "modes": ["DTI"], "title": "t", "description": "d"], "services.1"),
                ("company name", "/api/v1/companies", cid, ["siren": "732829320", "name": nul, "address": "1 rue"], "name"),
                ("assistance reasons", "/api/v1/assistance-requests", marie,
                 ["exciseNumber": "FR007328E0001", "eori": "FR73282932000074", "companyName": "S", "address": "1 rue", "phone": "05 56 00 00 00",
                  "service": "GAMMA", "switchDate": "2026-11-22", "switchTime": "09:50", "reasons": "Plus\u{7F}rien"], "reasons"),
                ("login", "/api/v1/auth/token", nil, ["login": "marie.laurent\u{0}", "password": DemoData.password], "login"),
                ("C1 control", "/api/v1/documents", marie, ["type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB\u{85}12",
                                                            "dispatchDate": "2026-11-23", "dispatchTime": "08:30"], "transport"),
            ]
            for (what, path, token, body, field) in cases {
                let before = try await Self.fingerprint(app)
                let r = try await app.api(.POST, path, token: token, body: body)
                #expect(r.status == .unprocessableEntity, "\(what): \(r.status) \(r.text)")
                #expect(r.errorFields == [field], "\(what): \(r.text)")
                #expect(r.errorMessage?.contains("caractère de contrôle") == true, "\(what)")
                #expect(try await Self.fingerprint(app) == before, "\(what) changed something")
            }
            // Escaped in the JSON text, and a lone surrogate: refused as well, never a 5xx.
            for raw in [#"{"reason":"other","comment":"a\u0000b"}"#, #"{"reason":"other","comment":"a\ud800b"}"#, #"{"reason":"other","comment":"\udc00"}"#] {
                let before = try await Self.fingerprint(app)
                let r = try await app.api(.POST, "/api/v1/documents/\(number)/cancellation", token: marie, body: raw)
                #expect([400, 422].contains(r.status.code), "\(raw): \(r.status) \(r.text)")
                #expect(try await Self.fingerprint(app) == before)
            }
            // Tab and line breaks are text.
            let fine = try await app.api(.POST, "/api/v1/episodes/\(episode)/evidence", token: marie, body: ["text": "Ligne 1\r\nLigne 2\tfin"])
            #expect(fine.status == .created, "\(fine.text)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func badQueriesAndPathsAreClientErrors(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            for query in ["transport=eq:%00AB", "number=starts:%01", "exciseNumber=eq:FR%7F", "transport=contains:%C3", "sort=%00", "%00=x"] {
                let r = try await app.api(.GET, "/api/v1/documents?\(query)", token: marie)
                #expect(r.status == .badRequest, "\(query): \(r.status) \(r.text)")
                #expect(r.errorCode == "invalid_query")
            }
            let web = WebSession(app)
            _ = try await web.signIn("marie.laurent")
            #expect(try await web.get("/rechercher?transport=eq:%00AB").status == .badRequest)
            for path in ["/api/v1/documents/%00", "/api/v1/documents/26FR007328E0001%00000011/history", "/documents/%01", "/api/v1/episodes/%00",
                         "/diagnostic/%00"] {
                let r = try await app.api(.GET, path, token: marie)
                #expect(r.status == .notFound, "\(path): \(r.status) \(r.text)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func longAndUnknownSegmentsAreNotFound(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let letters = { (n: Int) in String(repeating: "abcdefghij", count: n / 10 + 1).prefix(n) }
            for path in ["/\(letters(40))", "/api/v1/\(letters(32))", "/api/v1/forms/\(letters(60))", "/formulaires/\(letters(60))",
                         "/\(letters(300))", "/api/v1/\(letters(300))/\(letters(300))", "/meteo/\(letters(300))"] {
                let r = try await app.api(.GET, path, token: path.hasPrefix("/api/") ? marie : nil)
                #expect(r.status == .notFound || r.status == .seeOther, "\(path.prefix(40))…: \(r.status) \(r.text.prefix(300))")
            }
        }
    }

    /// Every route of the API and of the pages, with each parameter replaced by a 300-character
    /// segment or by percent-encoded garbage, and with a 300-character segment added: never a 5xx.
    @Test(arguments: TestDatabase.available)
    func everyRouteWithGarbageSegments(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let web = WebSession(app)
            _ = try await web.signIn("marie.laurent")
            let long = String(repeating: "Zx9-", count: 75)
            let garbage = [long, "%00", "%FF%FE", "%C0%AF", "%2e%2e%2f%2e%2e", "%E2%80%AE", "%25", "%ZZ", "..", "%F0%9F%98%80" + long]
            var checked = 0
            for route in app.routes.all {
                let components = route.path
                let hasParameter = components.contains { if case .parameter = $0 { return true } else { return false } }
                var paths: [String] = []
                for g in garbage where hasParameter {
                    paths.append("/" + components.map { c -> String in
                        if case .parameter = c { return g }
                        return c.description
                    }.joined(separator: "/"))
                }
                let plain = components.map { c -> String in if case .parameter = c { return "x" } else { return c.description } }
                paths.append("/" + (plain + [long]).joined(separator: "/"))
                for path in paths {
                    let method = route.method
                    let body: Any? = method == .POST || method == .PUT ? [String: Any]() : nil
                    let api = try await app.api(method, path, token: marie, body: body)
                    #expect(api.status.code < 500, "\(method) \(path.prefix(80)): \(api.status) \(api.text.prefix(200))")
                    let page = method == .GET ? try await web.get(path) : try await web.post(path, ["x": "y"])
                    #expect(page.status.code < 500, "\(method) \(path.prefix(80)) (page): \(page.status)")
                    checked += 1
                }
            }
            #expect(checked > 100)
        }
    }

    // MARK: Property-based: random strings into every text field

    /// Deterministic generator (SplitMix64): a failure is replayed with the same seed.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// A hostile value as JSON text (with its quotes), and whether the gate must refuse it.
    static func hostile(_ rng: inout Seeded) -> (json: String, refused: Bool) {
        let pieces: [(String, Bool)] = [
            (#"\u0000"#, true), (#"\u0001"#, true), (#"\u001b[31m"#, true), (#"\u007f"#, true), (#"\u0085"#, true), (#"\u009f"#, true),
            (#"\ud800"#, true), (#"\udfff"#, true), (#"\uffff"#, true), (#"\ufffe"#, true),
            ("é", false), ("ﬁ", false), (#"\u202e"#, false), (#"\u200d"#, false), ("😀", false), ("a\u{301}", false), (#"\u2028"#, false),
            ("' OR 1=1 --", false), ("<script>alert(1)</script>", false), ("%00", false), ("${jndi:x}", false), ("１２３", false),
            (#"\\"#, false), (#"\""#, false), (#"\t"#, false), (#"\n"#, false),
        ]
        var text = ""
        var refused = false
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let (piece, bad) = pieces.randomElement(using: &rng)!
            text += piece
            refused = refused || bad
            if Bool.random(using: &rng) { text += "AB-12" }
        }
        if Int.random(in: 0..<6, using: &rng) == 0 { text += String(repeating: "X", count: Int.random(in: 1000...20_000, using: &rng)) }
        return ("\"" + text + "\"", refused)
    }

    /// A JSON object as text, with `field` (a key, or `key.index` in a string array) set to `raw`.
    static func json(_ body: [String: Any], replacing field: String, with raw: String) throws -> String {
        let marker = "\u{E000}FUZZ\u{E001}"
        var copy = body
        let parts = field.split(separator: ".")
        if parts.count == 2, var array = copy[String(parts[0])] as? [String], let i = Int(parts[1]) {
            array[i] = marker
            copy[String(parts[0])] = array
        } else {
            copy[field] = marker
        }
        let text = String(data: try JSONSerialization.data(withJSONObject: copy), encoding: .utf8)!
        return text.replacingOccurrences(of: "\"" + marker + "\"", with: raw)
    }

    /// The string fields of a body: its string values, and each element of its string arrays.
    static func stringFields(_ body: [String: Any]) -> [String] {
        body.flatMap { key, value -> [String] in
            if value is String { return [key] }
            if let a = value as? [String] { return a.indices.map { "\(key).\($0)" } }
            return []
        }.sorted()
    }

    @Test(arguments: TestDatabase.available)
    func randomStringsIntoEveryJSONTextField(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let cid = try await app.token("cid.admin")
            let agent = try await app.token("agent.bordeaux")
            let number = try await Self.activeDocument(app, marie)
            let episode = try #require(try await app.api(.POST, "/api/v1/episodes", token: marie,
                                                         body: ["exciseNumber": "FR007328E0002", "basis": "office-authorisation", "reason": "r"]).object["id"] as? String)
            let assistance = try #require(try await app.api(.POST, "/api/v1/assistance-requests", token: marie, body: [
                "exciseNumber": "FR007328E0001", "eori": "FR73282932000074", "companyName": "S", "address": "1 rue", "phone": "05 56 00 00 00",
                "service": "DELTA-G", "switchDate": "2026-11-22", "switchTime": "09:50", "reasons": "r"]).object["id"] as? String)
            let alert = try #require((try await app.api(.GET, "/api/v1/alerts")).object["current"] as? [[String: Any]]).first?["reference"] as? String
            let company = try #require(try await CompanyModel.query(on: app.db).first()?.id?.uuidString)

            // One valid body per JSON operation of the OpenAPI document: (method, template, path, token, body).
            let operations: [(String, String, String, String?, [String: Any])] = [
                ("POST", "/api/v1/auth/token", "/api/v1/auth/token", nil, ["login": "marie.laurent", "password": "mauvais mot de passe"]),
                ("POST", "/api/v1/offices", "/api/v1/offices", cid, ["code": "FR000699", "name": "Bureau", "email": "b@douane.invalid"]),
                ("POST", "/api/v1/companies", "/api/v1/companies", cid, ["siren": "732829320", "name": "SCEA", "address": "1 rue"]),
                ("POST", "/api/v1/excise-numbers", "/api/v1/excise-numbers", cid, ["number": "FR007328E0009", "companyId": company, "officeCode": "FR000690", "mode": "DTI"]),
                ("POST", "/api/v1/users", "/api/v1/users", cid, ["login": "jean.dupont", "email": "j@d.fr", "password": "Un mot de passe solide 2026", "role": "operator", "companyId": company]),
                ("PUT", "/api/v1/excise-numbers/{number}/rights/{login}", "/api/v1/excise-numbers/FR007328E0001/rights/paul.martin", cid, ["rights": ["issue-daa", "search-daa"]]),
                ("POST", "/api/v1/documents", "/api/v1/documents", marie, ["type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-123-CD", "dispatchDate": "2026-11-23", "dispatchTime": "08:30"]),
                ("POST", "/api/v1/documents/registrations", "/api/v1/documents/registrations", marie,
                 ["number": "26FR007328E0001009001", "type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-1", "dispatchDate": "2026-11-21", "dispatchTime": "08:00"]),
                ("POST", "/api/v1/documents/{number}/cancellation", "/api/v1/documents/\(number)/cancellation", marie, ["reason": "other", "comment": "c"]),
                ("POST", "/api/v1/documents/{number}/reactivation", "/api/v1/documents/\(number)/reactivation", agent, ["reason": "other", "comment": "c"]),
                ("POST", "/api/v1/documents/{number}/reintegration", "/api/v1/documents/\(number)/reintegration", marie, ["arc": "26FRA0000000000000011"]),
                ("POST", "/api/v1/alerts", "/api/v1/alerts", cid, ["level": "red", "services": ["GAMMA"], "modes": ["DTI"], "title": "t", "description": "d"]),
                ("POST", "/api/v1/alerts/{reference}/bulletins", "/api/v1/alerts/\(alert ?? "AL")/bulletins", cid, ["text": "b"]),
                ("POST", "/api/v1/alerts/{reference}/end", "/api/v1/alerts/\(alert ?? "AL")/end", cid, ["text": "fin"]),
                ("POST", "/api/v1/episodes", "/api/v1/episodes", marie, ["exciseNumber": "FR007328E0001", "service": "GAMMA", "basis": "office-authorisation", "reason": "r"]),
                ("POST", "/api/v1/episodes/{id}/decision", "/api/v1/episodes/\(episode)/decision", agent, ["decision": "refuse", "comment": "c"]),
                ("POST", "/api/v1/episodes/{id}/evidence", "/api/v1/episodes/\(episode)/evidence", marie, ["text": "t"]),
                ("POST", "/api/v1/episodes/{id}/end", "/api/v1/episodes/\(episode)/end", marie, ["comment": "c"]),
                ("POST", "/api/v1/assistance-requests", "/api/v1/assistance-requests", marie,
                 ["exciseNumber": "FR007328E0001", "eori": "FR73282932000074", "companyName": "S", "address": "1 rue", "phone": "05 56 00 00 00",
                  "service": "GAMMA", "switchDate": "2026-11-22", "switchTime": "09:50", "reasons": "r"]),
                ("POST", "/api/v1/assistance-requests/{id}/close", "/api/v1/assistance-requests/\(assistance)/close", marie, ["comment": "c"]),
                ("POST", "/api/v1/communications", "/api/v1/communications", marie,
                 ["number": "26FR007328E0001009101", "type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-1", "dispatchDate": "2026-11-22", "dispatchTime": "18:00"]),
                ("POST", "/api/v1/toolkit/push", "/api/v1/toolkit/push", marie,
                 ["device": ["id": "6f1c1c0e-7a51-4f00-9a51-000000000001", "name": "poste"], "lease": ["counter": 0], "outages": [],
                  "entries": [["number": "26FR007328E0001009201", "type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-1",
                               "dispatchDate": "2026-11-21", "dispatchTime": "08:00", "madeAt": "2026-11-21T07:00:00Z"]]]),
                ("POST", "/api/v1/toolkit/reservations", "/api/v1/toolkit/reservations", marie,
                 ["device": ["id": "6f1c1c0e-7a51-4f00-9a51-000000000001", "name": "poste"], "lease": ["counter": 0], "size": 2, "used": [], "release": []]),
                ("POST", "/api/v1/toolkit/retire", "/api/v1/toolkit/retire", marie,
                 ["device": ["id": "6f1c1c0e-7a51-4f00-9a51-000000000003", "name": "poste"], "lease": ["counter": 0]]),
                ("POST", "/api/v1/toolkit/devices/{id}/revoke", "/api/v1/toolkit/devices/6f1c1c0e-7a51-4f00-9a51-000000000001/revoke", agent, ["reason": "volé"]),
                ("POST", "/api/v1/seal/verify", "/api/v1/seal/verify", nil,
                 ["code": "SC1:6BFOXN%TS3DH", "printed": ["number": number, "type": "DAE", "exciseNumber": "FR007328E0001", "dispatchDate": "2026-11-23",
                                                          "dispatchTime": "08:30", "transport": "AB-123-CD"]]),
            ]
            // Every JSON operation of the contract is in the table.
            let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/openapi.json"))) as! [String: Any]
            var contract: Set<String> = []
            for (path, ops) in document["paths"] as! [String: [String: Any]] {
                for (method, op) in ops {
                    if let content = ((op as? [String: Any])?["requestBody"] as? [String: Any])?["content"] as? [String: Any], content["application/json"] != nil {
                        contract.insert("\(method.uppercased()) \(path)")
                    }
                }
            }
            #expect(Set(operations.map { "\($0.0) \($0.1)" }) == contract)

            var rng = Seeded(state: 20261201)
            var sent = 0
            for (method, _, path, token, body) in operations {
                for field in Self.stringFields(body) {
                    for _ in 0..<8 {
                        let (raw, mustRefuse) = Self.hostile(&rng)
                        let text = try Self.json(body, replacing: field, with: raw)
                        let before = try await Self.fingerprint(app)
                        let r = try await app.api(HTTPMethod(rawValue: method), path, token: token, body: text)
                        sent += 1
                        #expect(r.status.code < 500, "\(method) \(path) \(field)=\(raw.prefix(80)): \(r.status) \(r.text.prefix(300))")
                        if mustRefuse {
                            #expect([400, 422].contains(r.status.code), "\(method) \(path) \(field)=\(raw.prefix(80)) accepted: \(r.status) \(r.text.prefix(200))")
                        }
                        if r.status.code >= 400 {
                            #expect(try await Self.fingerprint(app) == before, "\(method) \(path) \(field): refused, yet something changed")
                        }
                    }
                }
            }
            #expect(sent > 400)
        }
    }

    /// The same for every text field of every form of the pages, as each kind of account sees them.
    @Test(arguments: TestDatabase.available)
    func randomStringsIntoEveryFormField(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let number = try await Self.activeDocument(app, marie)
            var rng = Seeded(state: 1_200_000)
            var fuzzed = 0
            var actions: Set<String> = []
            for login in ["marie.laurent", "agent.bordeaux", "cid.admin"] {
                let web = WebSession(app)
                _ = try await web.signIn(login)
                for page in ["/generer", "/enregistrer", "/episodes", "/assistance", "/communiquer", "/meteo", "/bureau", "/documents/\(number)", "/rechercher"] {
                    let html = try await web.get(page).html
                    for form in Self.forms(in: html) where form.method == "post" && !form.multipart {
                        actions.insert(form.action)
                        for field in form.fields.keys.sorted() where field != "_csrf" && form.textFields.contains(field) {
                            for _ in 0..<3 {
                                _ = try await web.get(page)   // a fresh token, as a browser has
                                let (raw, mustRefuse) = Self.hostile(&rng)
                                let value = (try? JSONSerialization.jsonObject(with: Data("[\(raw)]".utf8))) as? [String]
                                guard let value = value?.first else { continue }   // lone surrogates have no form spelling
                                var fields = form.fields
                                fields[field] = value
                                let before = try await Self.fingerprint(app)
                                let r = try await web.post(form.action, fields)
                                fuzzed += 1
                                #expect(r.status.code < 500, "\(login) \(form.action) \(field): \(r.status)")
                                if mustRefuse && TextInput.forbidden(in: value) != nil {
                                    #expect(r.status.code >= 400, "\(login) \(form.action) \(field) accepted a control character: \(r.status)")
                                    #expect(try await Self.fingerprint(app) == before, "\(login) \(form.action) \(field) changed something")
                                }
                            }
                        }
                    }
                }
            }
            #expect(actions.count >= 8, "\(actions)")
            #expect(fuzzed > 100)
        }
    }

    struct Form {
        var action: String
        var method: String
        var multipart: Bool
        var fields: [String: String] = [:]
        var textFields: Set<String> = []
    }

    /// The forms of a page, with a plausible value for each field (its value, its first option).
    static func forms(in html: String) -> [Form] {
        func attribute(_ name: String, in tag: Substring) -> String? {
            guard let r = tag.range(of: #"\b\#(name)="([^"]*)""#, options: .regularExpression) else { return nil }
            let match = tag[r]
            let value = match[match.index(match.firstIndex(of: "\"")!, offsetBy: 1)..<match.index(before: match.endIndex)]
            return String(value).replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
        }
        var result: [Form] = []
        var rest = html[...]
        while let start = rest.range(of: "<form"), let end = rest.range(of: "</form>", range: start.upperBound..<rest.endIndex) {
            let block = rest[start.lowerBound..<end.upperBound]
            let head = block[..<(block.firstIndex(of: ">") ?? block.endIndex)]
            var form = Form(action: attribute("action", in: head) ?? "", method: (attribute("method", in: head) ?? "get").lowercased(),
                            multipart: head.contains("multipart"))
            var scan = block[...]
            while let tagStart = scan.range(of: #"<(input|textarea|select)\b[^>]*>"#, options: .regularExpression) {
                let tag = scan[tagStart]
                scan = scan[tagStart.upperBound...]
                guard let name = attribute("name", in: tag) else { continue }
                let type = attribute("type", in: tag) ?? (tag.hasPrefix("<input") ? "text" : "")
                if tag.hasPrefix("<select") {
                    let options = scan[..<(scan.range(of: "</select>")?.lowerBound ?? scan.endIndex)]
                    if let o = options.range(of: #"<option[^>]*value="[^"]*""#, options: .regularExpression) {
                        form.fields[name] = attribute("value", in: options[o]) ?? ""
                    }
                    form.textFields.insert(name)
                } else if tag.hasPrefix("<textarea") {
                    form.fields[name] = "Texte"
                    form.textFields.insert(name)
                } else if ["checkbox", "radio"].contains(type) {
                    if form.fields[name] == nil { form.fields[name] = attribute("value", in: tag) ?? "on" }
                } else if !["submit", "button", "file"].contains(type) {
                    form.fields[name] = attribute("value", in: tag) ?? "x"
                    if type != "hidden" || name != "_csrf" { form.textFields.insert(name) }
                }
            }
            if !form.action.isEmpty { result.append(form) }
            rest = rest[end.upperBound...]
        }
        return result
    }

    // MARK: Imports, JSON order, large forms

    @Test(arguments: TestDatabase.available)
    func importsInAnotherEncodingAreRefused(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let entity = """
                <?xml version="1.0" encoding="UTF-16"?>
                <!DOCTYPE importGPS [<!ENTITY x "26FR007328E0002000141">]>
                <importGPS><document><numero>&x;</numero><type>DAA</type><numeroAccise>FR007328E0002</numeroAccise>
                <immatriculation>AB</immatriculation><dateExpedition>2026-11-20</dateExpedition><heureExpedition>07:45</heureExpedition></document></importGPS>
                """
            let plain = ImportTests.file([ImportTests.entry("26FR007328E0002000141")]).replacingOccurrences(of: "UTF-8", with: "UTF-16")
            var variants: [(String, Data)] = []
            for (name, text) in [("entity", entity), ("plain", plain)] {
                variants.append(("\(name) UTF-16LE+BOM", Data([0xFF, 0xFE]) + text.data(using: .utf16LittleEndian)!))
                variants.append(("\(name) UTF-16BE+BOM", Data([0xFE, 0xFF]) + text.data(using: .utf16BigEndian)!))
                variants.append(("\(name) UTF-16LE", text.data(using: .utf16LittleEndian)!))
                variants.append(("\(name) UTF-32", text.data(using: .utf32LittleEndian)!))
            }
            variants.append(("declared ISO-8859-1", Data(ImportTests.file([ImportTests.entry("26FR007328E0002000141")]).replacingOccurrences(of: "UTF-8", with: "ISO-8859-1").utf8)))
            for (what, data) in variants {
                let before = try await Self.fingerprint(app)
                var headers = HTTPHeaders()
                headers.add(name: .authorization, value: "Bearer \(marie)")
                headers.contentType = .xml
                let r = try await app.testing().sendRequest(.POST, "/api/v1/imports", headers: headers, body: ByteBuffer(data: data))
                let text = String(buffer: r.body)
                #expect(r.status == .unprocessableEntity, "\(what): \(r.status) \(text)")
                #expect(text.contains("xml_encoding_refused"), "\(what): \(text)")
                #expect(try await Self.fingerprint(app) == before)
            }
            // UTF-8 with its byte-order mark is fine.
            let bom = Data([0xEF, 0xBB, 0xBF]) + Data(ImportTests.file([ImportTests.entry("26FR007328E0002000141")]).utf8)
            var headers = HTTPHeaders()
            headers.add(name: .authorization, value: "Bearer \(marie)")
            headers.contentType = .xml
            let ok = try await app.testing().sendRequest(.POST, "/api/v1/imports", headers: headers, body: ByteBuffer(data: bom))
            #expect(ok.status == .ok, "\(String(buffer: ok.body))")
        }
    }

    @Test(arguments: TestDatabase.available)
    func jsonAnswersHaveTheirKeysInOneOrder(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            var bodies: Set<String> = []
            for _ in 0..<20 {
                bodies.insert(try await app.api(.POST, "/api/v1/documents", token: marie, body: ["type": "DAE"]).text)
            }
            #expect(bodies.count == 1, "\(bodies)")
            let error = try #require(bodies.first)
            let code = try #require(error.range(of: "\"code\""))
            let message = try #require(error.range(of: "\"message\""))
            #expect(code.lowerBound < message.lowerBound, "keys sorted: \(error)")
            // A document: every key in sorted order.
            let made = try await app.generate(marie)
            let keys = made.text.matches(of: /"([A-Za-z]+)":/).map { String($0.1) }
            let top = try #require(made.json as? [String: Any]).keys.sorted()
            #expect(keys.filter { top.contains($0) } == top, "\(made.text)")
        }
    }

    /// The CSRF token is read from bodies that arrive in several reads, up to each form's limit:
    /// long texts and real import files through a real socket.
    @Test(arguments: TestDatabase.available)
    func largeFormsKeepTheirToken(_ db: TestDatabase) async throws {
        // A 10 MB import in a debug build on a loaded machine may take longer than the idle timeout.
        try await withApp(db, configure: { $0.maxBodySize = 64 * 1024; $0.idleTimeout = 900 }) { app in
            try await withLiveServer(app) { server in
                // Sign in over the socket, keeping the cookie and the form's token.
                var cookie = ""
                func page(_ path: String) async throws -> (String, String) {
                    let r = try await server.send(.GET, path, headers: cookie.isEmpty ? [] : [("Cookie", cookie)])
                    if let set = r.headers.first(name: "set-cookie"), let v = set.split(separator: ";").first { cookie = String(v) }
                    return (r.text, WebSession.csrfToken(in: r.text) ?? "")
                }
                func form(_ fields: [(String, String)]) -> Data {
                    var allowed = CharacterSet.alphanumerics
                    allowed.insert(charactersIn: "-._~")
                    return Data(fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&").utf8)
                }
                let (_, loginToken) = try await page("/connexion")
                let signedIn = try await server.send(.POST, "/connexion", body: form([("_csrf", loginToken), ("login", "marie.laurent"), ("password", DemoData.password)]),
                                                     contentType: "application/x-www-form-urlencoded", headers: [("Cookie", cookie), ("Origin", server.base)])
                if let set = signedIn.headers.first(name: "set-cookie"), let v = set.split(separator: ";").first { cookie = String(v) }
                #expect(signedIn.status == 303, "\(signedIn.text.prefix(300))")

                // A 1,200-character reason, and one that brings the body to the limit.
                for length in [1200, 1900] {
                    let (_, token) = try await page("/episodes")
                    let reason = String(repeating: "Panne réseau depuis ce matin. ", count: length / 30 + 1).prefix(length)
                    let r = try await server.send(.POST, "/episodes", body: form([("_csrf", token), ("exciseNumber", "FR007328E0001"), ("service", "GAMMA"),
                                                                                 ("basis", "office-authorisation"), ("reason", String(reason))]),
                                                  contentType: "application/x-www-form-urlencoded", headers: [("Cookie", cookie)])
                    #expect(r.status == 303 || r.status == 200, "\(length): \(r.status) \(r.text.prefix(400))")
                    #expect(!r.text.contains("csrf_failed") && !r.text.contains("a expiré"))
                    if let location = r.headers.first(name: "location"), location.hasPrefix("/episodes/") {
                        let (_, t) = try await page(location)
                        _ = try await server.send(.POST, location + "/clore", body: form([("_csrf", t)]), contentType: "application/x-www-form-urlencoded",
                                                  headers: [("Cookie", cookie)])
                    }
                }
                // Over the limit: 413, nothing stored.
                let before = try await Self.fingerprint(app)
                let (_, token) = try await page("/episodes")
                let tooLong = try await server.send(.POST, "/episodes", body: form([("_csrf", token), ("reason", String(repeating: "x", count: 70_000))]),
                                                    contentType: "application/x-www-form-urlencoded", headers: [("Cookie", cookie)])
                #expect(tooLong.status == 413)
                #expect(try await Self.fingerprint(app) == before)

                // Import files of 3 KB and of 10 MB through the page.
                for (entries, padding) in [(10, 0), (50, 10 << 20)] {
                    let (_, token) = try await page("/importer")
                    let start = 3000 + entries * 10
                    // Padded with comments to the size of a large file (no single node over the
                    // parser's 10 MB limit for one text).
                    let comment = padding > 0 ? "<!-- " + String(repeating: "p", count: padding / entries) + " -->" : ""
                    let xml = ImportTests.file((0..<entries).map { ImportTests.entry("26FR007328E0002" + String(format: "%05d", start + $0) + "1") + comment })
                    let boundary = "----secours\(entries)"
                    var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(token)\r\n".utf8)
                    // numbers far beyond the last one used: confirmed (R-NUM-9)
                    body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"confirmJumps\"\r\n\r\ntrue\r\n".utf8)
                    body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.xml\"\r\nContent-Type: application/xml\r\n\r\n".utf8)
                    body += Data(xml.utf8) + Data("\r\n--\(boundary)--\r\n".utf8)
                    let r = try await server.send(.POST, "/importer", body: body, contentType: "multipart/form-data; boundary=\(boundary)", headers: [("Cookie", cookie)])
                    #expect(r.status == 200, "\(body.count) bytes: \(r.status) \(r.text.prefix(400))")
                    #expect(r.text.contains("\(entries) enregistré(s)"), "\(r.text.prefix(2000))")
                }
            }
        }
    }

    /// Every date-time RFC 3339 allows (the OpenAPI document's `format: date-time`) is read as a
    /// date: an offset of +23:08, lowercase « t » and « z », fractions of a second; a text that
    /// is no date is refused naming its field, and nothing is published.
    @Test(arguments: TestDatabase.available)
    func dateTimesAreReadAsRFC3339Says(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let cid = try await app.token("cid.admin")
            func publish(_ startedAt: String, _ title: String) async throws -> APIResponse {
                try await app.api(.POST, "/api/v1/alerts", token: cid, body: ["level": "red", "services": ["GAMMA2"], "modes": ["EDI"],
                                                                             "title": title, "description": "d", "startedAt": startedAt])
            }
            for (i, text) in ["2026-11-22T08:00:00+23:08", "2026-11-22t08:00:00z", "2026-11-22T08:00:00.997674+01:00", "2026-11-22T08:00:00-00:00"].enumerated() {
                let answer = try await publish(text, "Alerte \(i)")
                #expect(answer.status == .created, "\(text): \(answer.text)")
            }
            let offset = try await publish("2026-11-22T10:00:00+23:08", "Décalage")
            #expect(offset.object["startedAt"] as? String == "2026-11-21T10:52:00Z")
            let before = try await app.api(.GET, "/api/v1/alerts").object["current"] as? [Any]
            let bad = try await publish("le 22 novembre", "Mauvaise date")
            #expect(bad.status == .unprocessableEntity && bad.errorMessage?.contains("startedAt") == true && bad.errorMessage?.contains("RFC 3339") == true)
            #expect(try await app.api(.GET, "/api/v1/alerts").object["current"] as? [Any] != nil)
            #expect((try await app.api(.GET, "/api/v1/alerts").object["current"] as? [Any])?.count == before?.count)
        }
    }
}
