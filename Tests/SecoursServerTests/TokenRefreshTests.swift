import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import SecoursServer

/// `POST /api/v1/auth/token/refresh`: a token is renewed without the password, the old one is no
/// longer good, two renewals of one token give one new token, and no renewal goes past
/// `SECOURS_SIGN_IN_MAX_DAYS` after the password sign-in.
@Suite("Token renewal")
struct TokenRefreshTests {
    static func tokenCount(_ app: Application) async throws -> Int {
        let sql = try #require(app.db as? SQLDatabase)
        return try #require(try await sql.raw("SELECT COUNT(*) AS n FROM tokens").first()).decode(column: "n", as: Int.self)
    }

    @Test(arguments: TestDatabase.available)
    func aRenewedTokenReplacesTheOldOneWithTheSameScope(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let sophie = try await app.token("sophie.durand")
            let marie = try await app.token("marie.laurent")
            let generated = try await app.generate(marie)
            #expect(generated.status == .created)
            let number = try #require(generated.object["number"] as? String)

            let before = try await app.api(.GET, "/api/v1/toolkit/state", token: sophie)
            #expect(before.status == .ok)
            let renewed = try await app.api(.POST, "/api/v1/auth/token/refresh", token: sophie)
            #expect(renewed.status == .ok)
            #expect(renewed.headers.first(name: .cacheControl)?.contains("no-store") == true)
            let fresh = try #require(renewed.object["token"] as? String)
            #expect(fresh != sophie)
            // The old one is no longer good, for anything; the new one is, with the same scope:
            // the other company's document stays out of sight.
            #expect(try await app.api(.GET, "/api/v1/toolkit/state", token: sophie).status == .unauthorized)
            #expect(try await app.api(.POST, "/api/v1/auth/token/refresh", token: sophie).status == .unauthorized)
            let state = try await app.api(.GET, "/api/v1/toolkit/state", token: fresh)
            #expect(state.status == .ok)
            #expect(state.object["account"] as? [String: Any] != nil)
            #expect((state.object["account"] as? [String: Any])?["login"] as? String == "sophie.durand")
            #expect(try await app.api(.GET, "/api/v1/documents/\(number)", token: fresh).status == .notFound)
            #expect(try await app.api(.GET, "/api/v1/documents/\(number)", token: marie).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.available)
    func badRenewalsAreRefusedAndChangeNothing(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            _ = try await app.token("marie.laurent")
            let count = try await Self.tokenCount(app)
            for token in [nil, "", "pas-un-jeton", String(repeating: "A", count: 43)] as [String?] {
                let r = try await app.api(.POST, "/api/v1/auth/token/refresh", token: token)
                #expect(r.status == .unauthorized, "\(token ?? "none"): \(r.status)")
                #expect(r.errorCode == "unauthenticated")
            }
            #expect(try await Self.tokenCount(app) == count)
        }
    }

    /// Real concurrent requests on a socket, several trials: of the renewals of one token, one
    /// only succeeds, and its token is the one that works.
    @Test(arguments: TestDatabase.available)
    func concurrentRenewalsOfOneTokenGiveOneToken(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            try await withLiveServer(app) { server in
                for trial in 0..<5 {
                    let token = try await app.token("paul.martin")
                    let answers = try await withThrowingTaskGroup(of: LiveServer.Answer.self) { group in
                        for _ in 0..<12 { group.addTask { try await server.send(.POST, "/api/v1/auth/token/refresh", token: token) } }
                        var all: [LiveServer.Answer] = []
                        for try await a in group { all.append(a) }
                        return all
                    }
                    let renewed = answers.filter { $0.status == 200 }
                    #expect(renewed.count == 1, "trial \(trial): \(answers.map(\.status))")
                    #expect(answers.allSatisfy { $0.status == 200 || $0.status == 401 }, "trial \(trial): \(answers.map(\.status))")
                    let fresh = try #require(renewed.first?.object["token"] as? String)
                    #expect(try await server.send(.GET, "/api/v1/toolkit/state", token: fresh).status == 200)
                    #expect(try await server.send(.GET, "/api/v1/toolkit/state", token: token).status == 401)
                }
            }
        }
    }

    /// A renewal never goes past the longest a password sign-in lasts; a token whose sign-in is
    /// older is refused with its own reason and stays as it was.
    @Test(arguments: TestDatabase.available)
    func noRenewalPastTheLongestSignIn(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.signInMaxAge = 3600; $0.tokenLifetime = 12 * 3600 }) { app in
            let token = try await app.token("marie.laurent")
            let renewed = try await app.api(.POST, "/api/v1/auth/token/refresh", token: token)
            #expect(renewed.status == .ok)
            let expires = try #require((renewed.object["expiresAt"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
            // One hour after the sign-in at most, not twelve.
            #expect(expires <= Date().addingTimeInterval(3600 + 5))
            #expect(expires > Date().addingTimeInterval(3600 - 120))

            // A token from before sign-ins were recorded, issued eleven hours ago: its sign-in
            // is taken as its expiry less one lifetime, more than an hour ago.
            let sql = try #require(app.db as? SQLDatabase)
            let legacy = TokenDigest.newToken()
            let user = try #require(try await sql.raw("SELECT id FROM users WHERE login = 'paul.martin'").first()).decode(column: "id", as: UUID.self)
            try await sql.raw("""
                INSERT INTO tokens (id, digest, user_id, expires_at) VALUES (\(bind: UUID()), \(bind: TokenDigest.of(legacy)), \(bind: user), \(bind: Date().addingTimeInterval(3600)))
                """).run()
            let refused = try await app.api(.POST, "/api/v1/auth/token/refresh", token: legacy)
            #expect(refused.status == .unauthorized)
            #expect(refused.errorCode == "sign_in_too_old")
            #expect(refused.errorMessage?.contains("reconnectez-vous") == true)
            // Still good until its own expiry.
            #expect(try await app.api(.GET, "/api/v1/toolkit/state", token: legacy).status == .ok)
        }
    }

    @Test func theLongestSignInIsASetting() throws {
        #expect(try Settings.fromEnvironment(["SECOURS_SIGN_IN_MAX_DAYS": "30"]).signInMaxAge == 30 * 86_400)
        #expect(Settings().signInMaxAge == 7 * 86_400)
        for bad in ["0", "91", "une semaine"] {
            #expect(throws: (any Error).self) { try Settings.fromEnvironment(["SECOURS_SIGN_IN_MAX_DAYS": bad]) }
        }
    }
}
