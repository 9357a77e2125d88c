import Fluent
import Foundation
import SQLKit
import Vapor

/// Every statement on `login_attempts`, the sign-in attempts `LoginThrottle` counts.
struct LoginAttemptStore {
    let db: Database

    private var sql: SQLDatabase { get throws { try db.sqlDatabase } }

    /// Inside a write transaction: serialises the keys' attempts until it ends. SQLite's
    /// `BEGIN IMMEDIATE` already holds the write lock; PostgreSQL takes an advisory lock per key,
    /// in sorted order so that two transactions cannot deadlock.
    func lock(_ keys: [String]) async throws {
        let sql = try sql
        guard sql.dialect.name != "sqlite" else { return }
        for key in keys.sorted() {
            _ = try await sql.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "login_attempts/" + key))) AS locked").all()
        }
    }

    /// How many attempts `key` made after `since`, and when the oldest of them was.
    func attempts(of key: String, since: Date) async throws -> (count: Int, oldest: Date?) {
        let row = try await sql.raw("""
            SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_attempts WHERE key = \(bind: key) AND at > \(bind: since)
            """).first()
        return (try row?.decode(column: "n", as: Int.self) ?? 0, try row?.decode(column: "oldest", as: Date?.self))
    }

    func record(id: UUID, key: String, at: Date) async throws {
        try await sql.insert(into: "login_attempts").columns("id", "key", "at").values(SQLBind(id), SQLBind(key), SQLBind(at)).run()
    }

    /// Removes every attempt of `key` and the one attempt `id`.
    func forget(key: String, attempt id: UUID) async throws {
        try await sql.delete(from: "login_attempts").where("key", .equal, key).run()
        try await sql.delete(from: "login_attempts").where("id", .equal, id).run()
    }

    func purge(before: Date) async throws {
        try await sql.delete(from: "login_attempts").where("at", .lessThan, before).run()
    }
}
