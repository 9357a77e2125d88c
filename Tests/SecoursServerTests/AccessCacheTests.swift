import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import SecoursServer

/// What each process keeps of tokens, accounts and rights (`AccessCache`) is never trusted past
/// a change: at once in the process that made it, within the check interval in another, and
/// whoever wrote to the database (its triggers move the access counter).
@Suite("Access cache: tokens, accounts and rights follow every change")
struct AccessCacheTests {
    private func sql(_ app: Application) -> SQLDatabase { app.db as! SQLDatabase }

    @Test("A token revoked on one process is refused there at once and on another within the interval", arguments: TestDatabase.available)
    func revokedAcrossProcesses(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.accessCheckMilliseconds = 100 }) { app in
            try await withSecondInstance(of: app) { other in
                for trial in 0..<5 {
                    let token = try await app.token("paul.martin")
                    // Both processes have now used it (and kept it).
                    #expect(try await app.api(.GET, "/api/v1/excise-numbers", token: token).status == .ok)
                    #expect(try await other.api(.GET, "/api/v1/excise-numbers", token: token).status == .ok)
                    #expect(try await app.api(.DELETE, "/api/v1/auth/token", token: token).status == .noContent)
                    #expect(try await app.api(.GET, "/api/v1/excise-numbers", token: token).status == .unauthorized, "trial \(trial)")
                    // However slow the machine, the first request once the interval has passed reads the counter again.
                    try await Task.sleep(for: .milliseconds(150))
                    #expect(try await other.api(.GET, "/api/v1/excise-numbers", token: token).status == .unauthorized, "trial \(trial)")
                }
            }
        }
    }

    @Test("Rights taken away through the API stop generation at once, and on another process within the interval", arguments: TestDatabase.available)
    func rightsAcrossProcesses(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.accessCheckMilliseconds = 100 }) { app in
            let cid = try await app.token("cid.admin")
            let paul = try await app.token("paul.martin")
            try await withSecondInstance(of: app) { other in
                #expect(try await app.generate(paul, type: "DAA").status == .created)
                #expect(try await other.generate(paul, type: "DAA").status == .created)
                let taken = try await app.api(.PUT, "/api/v1/excise-numbers/FR007328E0001/rights/paul.martin", token: cid, body: ["rights": [String]()])
                #expect(taken.status == .ok)
                #expect(try await app.generate(paul, type: "DAA").status != .created)
                try await Task.sleep(for: .milliseconds(150))
                #expect(try await other.generate(paul, type: "DAA").status != .created)
                // Given back: allowed again, on both.
                #expect(try await other.api(.PUT, "/api/v1/excise-numbers/FR007328E0001/rights/paul.martin", token: cid,
                                            body: ["rights": ["issue-daa", "search-daa"]]).status == .ok)
                #expect(try await other.generate(paul, type: "DAA").status == .created)
                try await Task.sleep(for: .milliseconds(150))
                #expect(try await app.generate(paul, type: "DAA").status == .created)
            }
        }
    }

    @Test("Changes written straight into the database count too: the triggers move the counter", arguments: TestDatabase.available)
    func directWrites(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.accessCheckMilliseconds = 50 }) { app in
            let version = { try await AccessVersionStore(db: app.db).current() }
            let paul = try await app.token("paul.martin")
            #expect(try await app.generate(paul, type: "DAA").status == .created)

            // A new token (every sign-in) does not move it: sign-ins do not empty the caches.
            let before = try await version()
            _ = try await app.token("sophie.durand")
            #expect(try await version() == before)

            // A right removed by hand.
            try await sql(app).raw("DELETE FROM rights WHERE user_id = (SELECT id FROM users WHERE login = 'paul.martin')").run()
            #expect(try await version() > before)
            try await Task.sleep(for: .milliseconds(100))
            #expect(try await app.generate(paul, type: "DAA").status != .created)

            // An account made an officer (with no office): its principal is read again, and it sees nothing.
            let marie = try await app.token("marie.laurent")
            let mine = try await app.api(.GET, "/api/v1/excise-numbers", token: marie)
            #expect(mine.status == .ok && mine.array.count == 2)
            let beforeMove = try await version()
            try await sql(app).raw("UPDATE users SET role = 'officer' WHERE login = 'marie.laurent'").run()
            #expect(try await version() > beforeMove)
            try await Task.sleep(for: .milliseconds(100))
            #expect(try await app.api(.GET, "/api/v1/excise-numbers", token: marie).array.isEmpty)

            // A token deleted by hand.
            try await sql(app).raw("DELETE FROM tokens WHERE user_id = (SELECT id FROM users WHERE login = 'paul.martin')").run()
            try await Task.sleep(for: .milliseconds(100))
            #expect(try await app.api(.GET, "/api/v1/excise-numbers", token: paul).status == .unauthorized)
        }
    }

    @Test("A kept token is refused once past its expiry, without the database saying so", arguments: TestDatabase.available)
    func expiryOfAKeptToken(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let token = try await app.token("paul.martin")
            let cache = app.secours.access
            #expect(try await cache.principal(holding: token, now: Date(), on: app.db)?.login == "paul.martin")
            let later = Date().addingTimeInterval(app.secours.settings.tokenLifetime + 60)
            #expect(try await cache.principal(holding: token, now: later, on: app.db) == nil)
            #expect(try await cache.principal(holding: "not-a-token", now: Date(), on: app.db) == nil)
        }
    }

    @Test("With the interval at 0 nothing is kept: a change by hand counts on the next request", arguments: TestDatabase.available)
    func turnedOff(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.accessCheckMilliseconds = 0 }) { app in
            let paul = try await app.token("paul.martin")
            #expect(try await app.api(.GET, "/api/v1/excise-numbers", token: paul).status == .ok)
            try await sql(app).raw("DELETE FROM tokens WHERE user_id = (SELECT id FROM users WHERE login = 'paul.martin')").run()
            #expect(try await app.api(.GET, "/api/v1/excise-numbers", token: paul).status == .unauthorized)
        }
    }

    @Test("A signed-in page follows a change of the account's rights made by hand", arguments: TestDatabase.available)
    func sessions(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.accessCheckMilliseconds = 50 }) { app in
            let web = WebSession(app)
            try await web.signIn("paul.martin")
            #expect(try await web.get("/generer").html.contains("FR007328E0001"))
            try await sql(app).raw("UPDATE users SET role = 'officer' WHERE login = 'paul.martin'").run()
            // An officer with no office: no excise number to generate on any more.
            try await Task.sleep(for: .milliseconds(100))
            #expect(!(try await web.get("/generer").html.contains("FR007328E0001")))
        }
    }
}
