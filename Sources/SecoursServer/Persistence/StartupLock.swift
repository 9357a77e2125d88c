import FluentPostgresDriver
import Foundation
import Vapor
#if canImport(Glibc)
import Glibc
#endif

/// Migrations and the first data (bootstrap account, demo data) run under a lock that spans
/// processes, so that several servers started together on one database wait for each other instead
/// of failing on a half-made schema: a PostgreSQL advisory lock held on one connection, or, for
/// SQLite, an exclusive `flock` on a file beside the database.
enum StartupLock {
    /// An arbitrary key for `pg_advisory_lock`: "Secours" in ASCII.
    static let advisoryKey: Int64 = 0x53_6563_6F75_7273

    static func run(_ app: Application, _ settings: Settings, _ body: @escaping @Sendable () async throws -> Void) async throws {
        switch settings.database {
        case let .sqlite(path):
            try await withFileLock(app, path + ".startup-lock", body)
        case .postgres:
            guard let pg = app.db(.psql) as? PostgresDatabase else { return try await body() }
            try await pg.withConnection { conn in
                conn.eventLoop.makeFutureWithTask {
                    _ = try await conn.sql().raw("SELECT pg_advisory_lock(\(bind: advisoryKey))").all()
                    do {
                        try await body()
                    } catch {
                        _ = try? await conn.sql().raw("SELECT pg_advisory_unlock(\(bind: advisoryKey))").all()
                        throw error
                    }
                    _ = try await conn.sql().raw("SELECT pg_advisory_unlock(\(bind: advisoryKey))").all()
                }
            }.get()
        }
    }

    private static func withFileLock(_ app: Application, _ path: String, _ body: @Sendable () async throws -> Void) async throws {
        #if canImport(Glibc)
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Abort(.internalServerError, reason: "cannot open \(path) to serialise the start") }
        defer { close(fd) }
        // Blocking: wait on the thread pool, not on an event loop.
        try await app.threadPool.runIfActive { guard flock(fd, LOCK_EX) == 0 else { throw Abort(.internalServerError, reason: "cannot lock \(path)") } }
        defer { flock(fd, LOCK_UN) }
        try await body()
        #else
        try await body()
        #endif
    }
}
