import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import SecoursServer

/// The public pages of the rush (weather, feed, alerts API, diagnosis): rendered once, revalidated
/// with an ETag (304), no session made for a visitor, changed at once by this process's alert and
/// within a second by another process's; signed-in visitors and tokens are never served from it.
@Suite("Public pages kept rendered")
struct PublicPageCacheTests {
    static let paths = ["/meteo", "/meteo/alertes.atom", "/api/v1/alerts", "/diagnostic", "/diagnostic/gamma", "/connexion"]

    static func sessionCount(_ app: Application) async throws -> Int {
        let sql = try #require(app.db as? SQLDatabase)
        return try #require(try await sql.raw("SELECT COUNT(*) AS n FROM _fluent_sessions").first()).decode(column: "n", as: Int.self)
    }

    static func publish(_ app: Application, title: String) async throws -> String {
        let cid = try await app.token("cid.admin")
        let r = try await app.api(.POST, "/api/v1/alerts", token: cid, body: [
            "level": "red", "services": ["GAMMA"], "modes": ["DTI"], "title": title, "description": "Lenteurs constatées.",
        ])
        #expect(r.status == .created, "\(r.text)")
        return try #require(r.object["reference"] as? String)
    }

    @Test(arguments: TestDatabase.available)
    func aVisitorGetsAnETagA304AndNoSession(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let sessions = try await Self.sessionCount(app)
            for path in Self.paths {
                let first = try await app.api(.GET, path)
                #expect(first.status == .ok, "\(path)")
                let etag = try #require(first.headers.first(name: .eTag), "\(path) has no ETag")
                #expect(first.headers.first(name: .cacheControl) == "public, no-cache", "\(path)")
                #expect(first.headers[.setCookie].isEmpty, "\(path) sets a cookie")
                let again = try await app.api(.GET, path)
                #expect(again.text == first.text && again.headers.first(name: .eTag) == etag, "\(path)")
                let revalidated = try await app.api(.GET, path, headers: [("If-None-Match", etag)])
                #expect(revalidated.status == .notModified, "\(path)")
                #expect(revalidated.text.isEmpty)
                let stale = try await app.api(.GET, path, headers: [("If-None-Match", "\"autre\"")])
                #expect(stale.status == .ok, "\(path)")
            }
            // Reading the public pages made no session (no row written per visitor).
            #expect(try await Self.sessionCount(app) == sessions)
            // A visitor's page carries no form token and no CID form.
            let page = try await app.api(.GET, "/meteo")
            #expect(!page.text.contains("_csrf"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func anAlertChangesThePagesAtOnceHereAndWithinASecondElsewhere(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            try await withSecondInstance(of: app) { other in
                let before = try await app.api(.GET, "/meteo")
                let elsewhere = try await other.api(.GET, "/meteo")
                let etag = try #require(before.headers.first(name: .eTag))
                _ = try await other.api(.GET, "/api/v1/alerts")

                _ = try await Self.publish(app, title: "Lenteurs GAMMA en DTI")
                // In this process: at once, and the old ETag is no longer current.
                let after = try await app.api(.GET, "/meteo", headers: [("If-None-Match", etag)])
                #expect(after.status == .ok)
                #expect(after.text.contains("Lenteurs GAMMA en DTI"))
                #expect(after.headers.first(name: .eTag) != etag)
                // In the other process: any request that starts once its recheck delay (250 ms)
                // has passed sees it, however loaded the machine is.
                #expect(other.secours.publicPages.recheck <= 0.25)
                try await Task.sleep(for: .milliseconds(300))
                let page = try await other.api(.GET, "/meteo")
                let alerts = try await other.api(.GET, "/api/v1/alerts")
                #expect(page.text.contains("Lenteurs GAMMA en DTI"))
                #expect(alerts.text.contains("Lenteurs GAMMA en DTI"))
                #expect(!elsewhere.text.contains("Lenteurs GAMMA en DTI"))
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func signedInVisitorsAndTokensAreNeverServedFromIt(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            // The visitor's version is in the cache.
            let anonymous = try await app.api(.GET, "/meteo")
            #expect(anonymous.headers.first(name: .eTag) != nil)
            // The CID signed in sees the publishing form, not the kept page, and nothing is kept.
            let cid = WebSession(app)
            _ = try await cid.signIn("cid.admin")
            let signedIn = try await cid.get("/meteo")
            #expect(signedIn.status == .ok)
            #expect(signedIn.html.contains("_csrf"))
            #expect(signedIn.headers.first(name: .eTag) == nil)
            #expect(signedIn.headers.first(name: .cacheControl) == "no-store")
            // …and the visitor still gets the visitor's page.
            let later = try await app.api(.GET, "/meteo")
            #expect(!later.text.contains("_csrf") && later.text == anonymous.text)
            // With a token, the alerts API answers as any API: no-store, no ETag.
            let token = try await app.token("marie.laurent")
            let api = try await app.api(.GET, "/api/v1/alerts", token: token)
            #expect(api.status == .ok)
            #expect(api.headers.first(name: .eTag) == nil && api.headers.first(name: .cacheControl) == "no-store")
        }
    }

    /// A sign-in page left open — every session since purged, the server restarted — still signs
    /// in: the form holds no token of a session, its origin is what is checked.
    @Test(arguments: TestDatabase.available)
    func aSignInPageLeftOpenStillSignsIn(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = WebSession(app)
            let page = try await web.get("/connexion")
            #expect(page.status == .ok && page.html.contains("Se connecter"))
            #expect(web.cookie == nil)
            let sql = try #require(app.db as? SQLDatabase)
            try await sql.raw("DELETE FROM _fluent_sessions").run()
            let signedIn = try await web.post("/connexion", ["login": "marie.laurent", "password": DemoData.password])
            #expect(signedIn.status == .seeOther && signedIn.location == "/accueil")
            #expect(try await web.get("/accueil").status == .ok)
        }
    }

    /// The feed's links come from the address it was asked at: each address has its own copy, so
    /// a forged Host header cannot put its links in everybody's feed.
    @Test func theFeedIsKeptPerAddress() async throws {
        try await withApp(.sqlite) { app in
            let real = try await app.api(.GET, "/meteo/alertes.atom", headers: [("Host", "secours.douane.gouv.fr")])
            let forged = try await app.api(.GET, "/meteo/alertes.atom", headers: [("Host", "piege.example")])
            let again = try await app.api(.GET, "/meteo/alertes.atom", headers: [("Host", "secours.douane.gouv.fr")])
            #expect(real.text.contains("http://secours.douane.gouv.fr/meteo"))
            #expect(forged.text.contains("http://piege.example/meteo"))
            #expect(again.text == real.text && !again.text.contains("piege.example"))
        }
    }

    /// Bad diagnosis paths are answered as before and not kept.
    @Test func errorsAreNotKept() async throws {
        try await withApp(.sqlite) { app in
            for _ in 0..<2 {
                let r = try await app.api(.GET, "/diagnostic/gamma?r=inconnu")
                #expect(r.status == .badRequest)
                #expect(r.headers.first(name: .eTag) == nil)
            }
            #expect(try await app.api(.GET, "/diagnostic/inconnu").status == .notFound)
        }
    }
}

/// When PostgreSQL refuses new connections (too many clients, SQLSTATE 53300), the service says
/// it is unavailable for now (503), it does not fail (500).
@Suite("Database refusing connections")
struct DatabaseRefusalTests {
    @Test func tooManyConnectionsIsA503() async throws {
        guard TestDatabase.available.contains(.postgres), let admin = TestDatabase.postgresAdminURL,
              var parts = URLComponents(string: admin) else { return }
        // A role of its own (a superuser is never refused for the number of connections), owning
        // a database of its own.
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let role = "limited_\(suffix)", name = "t_limited_\(suffix)"
        try await PostgresAdmin.run(admin, "CREATE ROLE \(role) LOGIN PASSWORD 'limite'")
        try await PostgresAdmin.run(admin, "CREATE DATABASE \(name) OWNER \(role)")
        parts.user = role
        parts.password = "limite"
        parts.path = "/" + name
        let url = try #require(parts.string)
        do {
            try await withApp(.sqlite, configure: { $0.database = .postgres(url: url) }) { app in
                let marie = try await app.token("marie.laurent")
                #expect(try await app.api(.GET, "/api/v1/excise-numbers", token: marie).status == .ok)
                // No new connection for this role any more, and those open are cut.
                try await PostgresAdmin.run(admin, "ALTER ROLE \(role) CONNECTION LIMIT 0")
                try await PostgresAdmin.run(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)'")
                var statuses: [UInt] = []
                var codes: [String] = []
                for _ in 0..<6 {
                    let r = try await app.api(.GET, "/api/v1/excise-numbers", token: marie)
                    statuses.append(r.status.code)
                    codes.append(r.errorCode ?? "-")
                }
                #expect(statuses.allSatisfy { $0 == 503 }, "\(statuses) \(codes)")
                #expect(codes.allSatisfy { $0 == "database_unavailable" }, "\(codes)")
                try await PostgresAdmin.run(admin, "ALTER ROLE \(role) CONNECTION LIMIT -1")
                // Back to normal once PostgreSQL accepts connections again.
                var back = false
                for _ in 0..<40 where !back {
                    back = try await app.api(.GET, "/api/v1/excise-numbers", token: marie).status == .ok
                    if !back { try await Task.sleep(for: .milliseconds(250)) }
                }
                #expect(back)
            }
        } catch {
            Issue.record("\(error)")
        }
        try? await PostgresAdmin.run(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try? await PostgresAdmin.run(admin, "DROP ROLE IF EXISTS \(role)")
    }
}
