import Fluent
import SecoursCore
import SQLKit
import Vapor

/// The annual sequences (R-NUM-4).
struct SequenceStore {
    let db: Database

    /// Takes the next `count` numbers of each (excise number, year) in one statement and returns
    /// the last number taken of each, keyed `EXCISE/YEAR`. Must run inside the transaction that
    /// stores the documents: the rows stay locked until it commits, so concurrent requests and
    /// other server processes wait and never get the same value, and a rollback gives the
    /// numbers back. Rows are locked in the order given.
    func advance(_ items: [(exciseNumber: String, year: Int, count: Int)]) async throws -> [String: Int] {
        let sql = try db.sqlDatabase
        guard !items.isEmpty else { return [:] }
        var query: SQLQueryString = "INSERT INTO sequences (excise_number, year, last_used) VALUES "
        for (i, item) in items.enumerated() {
            if i > 0 { query += ", " }
            query += "(\(bind: item.exciseNumber), \(bind: item.year), \(bind: item.count))"
        }
        query += """
             ON CONFLICT (excise_number, year) DO UPDATE SET last_used = sequences.last_used + excluded.last_used
             RETURNING excise_number, year, last_used
            """
        var result: [String: Int] = [:]
        for row in try await sql.raw(query).all() {
            let last = try row.decode(column: "last_used", as: Int.self)
            guard last <= FallbackNumber.maxSequence else { throw SecoursError.sequenceExhausted }
            result["\(try row.decode(column: "excise_number", as: String.self))/\(try row.decode(column: "year", as: Int.self))"] = last
        }
        return result
    }

    /// Raises the row to the highest sequence the documents of (excise number, year) hold.
    func catchUp(exciseNumber: String, year: Int) async throws {
        let sql = try db.sqlDatabase
        let row = try await sql.raw("""
            SELECT COALESCE(MAX(sequence), 0) AS highest FROM documents
            WHERE kind = 'craps' AND excise_number = \(bind: exciseNumber) AND year = \(bind: year)
            """).first()
        let highest = try row?.decode(column: "highest", as: Int.self) ?? 0
        try await raise(exciseNumber: exciseNumber, year: year, to: highest)
    }

    /// The highest number used or held of (kind, excise number, year): the counter row, or the
    /// documents when they are ahead of it (LRN serials registered before any reserve).
    func lastUsed(kind: DocumentKind, exciseNumber: String, year: Int) async throws -> Int {
        let sql = try db.sqlDatabase
        let counterYear = kind == .lrn ? ReservationStore.lrnYear : year
        var query: SQLQueryString = """
            SELECT MAX(n) AS highest FROM (
                SELECT last_used AS n FROM sequences WHERE excise_number = \(bind: exciseNumber) AND year = \(bind: counterYear)
                UNION ALL SELECT MAX(sequence) AS n FROM documents WHERE kind = \(bind: kind.rawValue) AND excise_number = \(bind: exciseNumber)
            """
        if kind == .craps { query += " AND year = \(bind: year)" }
        query += ") used"
        return try await sql.raw(query).first()?.decode(column: "highest", as: Int?.self) ?? 0
    }

    /// The last sequence number used, 0 when none.
    func last(exciseNumber: String, year: Int) async throws -> Int {
        guard let sql = db as? SQLDatabase else { return 0 }
        let row = try await sql.raw("SELECT last_used FROM sequences WHERE excise_number = \(bind: exciseNumber) AND year = \(bind: year)").first()
        return try row?.decode(column: "last_used", as: Int.self) ?? 0
    }
}

extension SequenceStore {
    /// After a manual number is registered: the annual sequence continues after the highest
    /// number used, generated or manual (R-NUM-4).
    func raise(exciseNumber: String, year: Int, to sequence: Int) async throws {
        let sql = try db.sqlDatabase
        let larger = sql.dialect.name == "sqlite" ? "MAX" : "GREATEST"
        try await sql.raw("""
            INSERT INTO sequences (excise_number, year, last_used) VALUES (\(bind: exciseNumber), \(bind: year), \(bind: sequence))
            ON CONFLICT (excise_number, year) DO UPDATE SET last_used = \(unsafeRaw: larger)(sequences.last_used, excluded.last_used)
            """).run()
    }
}
