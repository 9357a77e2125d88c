import Fluent
import SecoursCore
import SQLKit

/// Lets one SQLite write transaction run at a time in this process.
///
/// SQLite allows a single writer; sqlite-nio retries a busy database by spinning on a thread of
/// the shared thread pool. Two transactions of one process racing for the lock can therefore
/// keep both pool threads busy while the lock holder waits for a thread. Queuing writers here
/// first avoids that; other processes on the same file are still serialised by SQLite itself.
/// PostgreSQL needs no gate: its row locks queue writers properly.
actor WriteGate {
    static let sqlite = WriteGate()

    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}

extension Database {
    /// A transaction that, on SQLite, first waits its turn at the process's write gate.
    ///
    /// On SQLite the body's connection is inside a `BEGIN IMMEDIATE` Fluent does not know of: a
    /// store method that opens its own transaction (`EpisodeStore.create`, `apply`, `close`…) must
    /// not be called from the body; call the variants that write within the caller's transaction
    /// (`EpisodeStore.insert`, `add`, `OfficeNoticeStore.post`).
    func writeTransaction<T: Sendable>(_ given: @escaping @Sendable (Database) async throws -> T) async throws -> T {
        // The body runs where the driver schedules it, outside the request's task: it keeps the
        // request's language, so that an error it composes reads in the caller's.
        let language = Language.current
        let body: @Sendable (Database) async throws -> T = { db in try await Language.$current.withValue(language) { try await given(db) } }
        guard (self as? SQLDatabase)?.dialect.name == "sqlite" else {
            return try await transaction(body)
        }
        await WriteGate.sqlite.acquire()
        do {
            let result = try await withConnection { conn in
                let sql = conn as! SQLDatabase
                // Waits (with back-off) for a writer of another process instead of sqlite-nio's
                // default busy handler, which retries at once in a loop.
                try await sql.raw("PRAGMA busy_timeout = 10000").run()
                // IMMEDIATE: the write lock is taken at the start, waiting for another process's
                // writer. A deferred transaction that reads first and then writes fails at once
                // with SQLITE_BUSY when another process committed in between; and what it read
                // before writing could already be stale.
                try await sql.raw("BEGIN IMMEDIATE").run()
                do {
                    let value = try await body(conn)
                    try await sql.raw("COMMIT").run()
                    return value
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    throw error
                }
            }
            await WriteGate.sqlite.release()
            return result
        } catch {
            await WriteGate.sqlite.release()
            throw error
        }
    }
}
