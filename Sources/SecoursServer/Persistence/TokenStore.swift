import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// Every statement on `tokens`: issuing one after a password sign-in, renewing one without the
/// password, revoking one, and purging the expired. Only the SHA-256 digest of a token is stored.
struct TokenStore {
    let db: Database

    struct Issued: Sendable {
        let token: String
        let expiresAt: Date
    }

    private var sql: SQLDatabase { get throws { try db.sqlDatabase } }

    /// Who `token` signs in, nil when the token is unknown or expired at `now`: one query, the
    /// token joined to its account (every API request passes here).
    func principal(holding token: String, now: Date) async throws -> Principal? {
        try await holder(digest: TokenDigest.of(token), now: now)?.principal
    }

    /// The same by the token's digest, with when the token expires.
    func holder(digest: String, now: Date) async throws -> (principal: Principal, expiresAt: Date)? {
        guard let row = try await sql.raw("""
            SELECT u.id, u.login, u.role, u.company_id, u.office_id, u.company_admin, t.expires_at
            FROM tokens t JOIN users u ON u.id = t.user_id
            WHERE t.digest = \(bind: digest) AND t.expires_at > \(bind: now)
            """).first()
        else { return nil }
        let principal = try Principal(id: row.decode(column: "id", as: UUID.self), login: row.decode(column: "login", as: String.self),
                                      role: row.decode(column: "role", as: Role.self), companyID: row.decode(column: "company_id", as: UUID?.self),
                                      officeID: row.decode(column: "office_id", as: UUID?.self),
                                      companyAdmin: row.decode(column: "company_admin", as: Bool.self))
        return (principal, try row.decode(column: "expires_at", as: Date.self))
    }

    /// Deletes the tokens past their expiry at `now`; returns how many.
    @discardableResult
    func purgeExpired(now: Date) async throws -> Int {
        try await sql.raw("DELETE FROM tokens WHERE expires_at <= \(bind: now) RETURNING id").all().count
    }

    /// A new token for `userID`, signed in with the password at `now`.
    func issue(userID: UUID, now: Date, lifetime: TimeInterval) async throws -> Issued {
        let token = TokenDigest.newToken()
        let expiresAt = now.addingTimeInterval(lifetime)
        try await sql.raw("""
            INSERT INTO tokens (id, digest, user_id, expires_at, signed_in_at)
            VALUES (\(bind: UUID()), \(bind: TokenDigest.of(token)), \(bind: userID), \(bind: expiresAt), \(bind: now))
            """).run()
        return Issued(token: token, expiresAt: expiresAt)
    }

    /// New tokens for many accounts at once (`secours-fixtures rush`), by account.
    func issue(userIDs: [UUID], now: Date, lifetime: TimeInterval) async throws -> [UUID: Issued] {
        var issued: [UUID: Issued] = [:]
        let expiresAt = now.addingTimeInterval(lifetime)
        for chunk in stride(from: 0, to: userIDs.count, by: 500).map({ Array(userIDs[$0..<min($0 + 500, userIDs.count)]) }) {
            guard !chunk.isEmpty else { continue }
            var rows: [SQLQueryString] = []
            for id in chunk {
                let token = TokenDigest.newToken()
                issued[id] = Issued(token: token, expiresAt: expiresAt)
                rows.append("(\(bind: UUID()), \(bind: TokenDigest.of(token)), \(bind: id), \(bind: expiresAt), \(bind: now))")
            }
            try await sql.raw("INSERT INTO tokens (id, digest, user_id, expires_at, signed_in_at) VALUES \(rows.joined(separator: ", "))").run()
        }
        return issued
    }

    enum Renewal: Sendable {
        case renewed(Issued)
        /// The token is unknown, expired, or was renewed or revoked already.
        case unknown
        /// The password sign-in behind it is older than the longest a sign-in lasts.
        case signInTooOld
    }

    /// Replaces an unexpired token by a new one, in one transaction: the old one is deleted
    /// first, so of two renewals of the same token one only succeeds, and a renewed token is
    /// never good again. The new one expires one lifetime from now, but never later than
    /// `maxAge` after the password sign-in.
    func renew(_ token: String, now: Date, lifetime: TimeInterval, maxAge: TimeInterval) async throws -> Renewal {
        /// Thrown to roll the deletion back: a token refused for its age stays as it was.
        struct TooOld: Error {}
        do {
            return try await renewing(token, now: now, lifetime: lifetime, maxAge: maxAge)
        } catch is TooOld {
            return .signInTooOld
        }

        func renewing(_ token: String, now: Date, lifetime: TimeInterval, maxAge: TimeInterval) async throws -> Renewal {
        try await db.transaction { db in
            guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError, reason: "SQL database required") }
            guard let row = try await sql.raw("""
                DELETE FROM tokens WHERE digest = \(bind: TokenDigest.of(token)) AND expires_at > \(bind: now)
                RETURNING user_id, expires_at, signed_in_at
                """).first() else { return .unknown }
            let userID = try row.decode(column: "user_id", as: UUID.self)
            let expired = try row.decode(column: "expires_at", as: Date.self)
            let signedIn = try row.decode(column: "signed_in_at", as: Date?.self) ?? expired.addingTimeInterval(-lifetime)
            let limit = signedIn.addingTimeInterval(maxAge)
            guard limit > now else { throw TooOld() }
            let fresh = TokenDigest.newToken()
            let expiresAt = min(now.addingTimeInterval(lifetime), limit)
            try await sql.raw("""
                INSERT INTO tokens (id, digest, user_id, expires_at, signed_in_at)
                VALUES (\(bind: UUID()), \(bind: TokenDigest.of(fresh)), \(bind: userID), \(bind: expiresAt), \(bind: signedIn))
                """).run()
            return .renewed(Issued(token: fresh, expiresAt: expiresAt))
        }
        }
    }

    /// Revokes the token (signing out of the API).
    func revoke(_ token: String) async throws {
        try await sql.raw("DELETE FROM tokens WHERE digest = \(bind: TokenDigest.of(token))").run()
    }
}
