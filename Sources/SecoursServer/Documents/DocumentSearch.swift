import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// Runs a `SearchQuery` (R-GPS-8) inside the principal's scope, in plain SQL so that it reads the
/// same on SQLite and PostgreSQL.
struct DocumentSearch {
    let db: Database
    let principal: Principal

    static let exportLimit = 100_000

    /// Counting stops here: past it the total reads "more than", which keeps a search that
    /// matches most of a large table as fast as a narrow one.
    static let countLimit = 10_000

    struct Page {
        let items: [DocumentDTO]
        /// Exact up to `countLimit`; `countLimit + 1` means "more than `countLimit`".
        let total: Int
        var totalCapped: Bool { total > DocumentSearch.countLimit }
    }

    func run(_ q: SearchQuery) async throws -> Page {
        let sql = try sqlDatabase()
        let condition = try await whereClause(q)
        let rows = try await sql.raw("""
            SELECT * FROM documents WHERE \(condition) ORDER BY \(Self.order(q))
            LIMIT \(literal: q.perPage) OFFSET \(literal: (q.page - 1) * q.perPage)
            """).all()
        let total = try await sql.raw("""
            SELECT COUNT(*) AS n FROM (SELECT 1 FROM documents WHERE \(condition) LIMIT \(literal: Self.countLimit + 1)) AS matching
            """).first()?.decode(column: "n", as: Int.self) ?? 0
        return Page(items: try rows.map(DocumentDTO.init(row:)), total: total)
    }

    /// Every result (up to `exportLimit`), for the CSV export.
    func all(_ q: SearchQuery) async throws -> [DocumentDTO] {
        let sql = try sqlDatabase()
        let condition = try await whereClause(q)
        let rows = try await sql.raw("""
            SELECT * FROM documents WHERE \(condition)
            ORDER BY \(Self.order(q)) LIMIT \(literal: Self.exportLimit)
            """).all()
        return try rows.map(DocumentDTO.init(row:))
    }

    /// The requested sort, then the number so that pages never overlap.
    static func order(_ q: SearchQuery) -> SQLQueryString {
        let direction = q.descending ? "DESC" : "ASC"
        return "\(ident: q.sort.column) \(unsafeRaw: direction), number \(unsafeRaw: direction)"
    }

    private func sqlDatabase() throws -> SQLDatabase {
        guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError, reason: "SQL database required") }
        return sql
    }

    private func whereClause(_ q: SearchQuery) async throws -> SQLQueryString {
        var parts: [SQLQueryString] = [try await scopeClause()]
        let sqlite = try sqlDatabase().dialect.name == "sqlite"
        for c in q.criteria { parts.append(Self.condition(c, sqlite: sqlite)) }
        return parts.map { "(\($0))" as SQLQueryString }.joined(separator: " AND ")
    }

    static func condition(_ c: SearchQuery.Criterion, sqlite: Bool) -> SQLQueryString {
        // A prefix of a number (uppercase letters and digits only) is a range of the B-tree index.
        if sqlite, c.op == .starts, c.field == .number || c.field == .exciseNumber, let last = c.value.unicodeScalars.last,
           let next = Unicode.Scalar(last.value + 1) {
            let upper = String(c.value.unicodeScalars.dropLast()) + String(Character(next))
            return "\(ident: c.field.column) >= \(bind: c.value) AND \(ident: c.field.column) < \(bind: upper)"
        }
        // On SQLite, text comparators of three characters or more go through the FTS5 trigram
        // table (case-insensitive, like the search); PostgreSQL's pg_trgm indexes serve LIKE itself.
        if sqlite, [.starts, .ends, .contains].contains(c.op), c.value.count >= 3,
           !c.value.contains(where: { "%_\\\"".contains($0) }) {
            let pattern = (c.op == .starts ? "" : "%") + c.value + (c.op == .ends ? "" : "%")
            return "rowid IN (SELECT rowid FROM documents_fts WHERE \(ident: c.field.column) LIKE \(bind: pattern))"
        }
        let column: SQLQueryString = c.field == .transport ? "UPPER(\(ident: c.field.column))" : "\(ident: c.field.column)"
        let escaped = c.value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        switch c.op {
        case .eq: return "\(column) = \(bind: c.value)"
        case .starts: return "\(column) LIKE \(bind: escaped + "%") ESCAPE '\\'"
        case .ends: return "\(column) LIKE \(bind: "%" + escaped) ESCAPE '\\'"
        case .contains: return "\(column) LIKE \(bind: "%" + escaped + "%") ESCAPE '\\'"
        case .before: return "\(column) < \(bind: c.value)"
        case .after: return "\(column) > \(bind: c.value)"
        }
    }

    /// The documents the principal may see: all for the CID and GAMMA, its office's for an
    /// officer, and for operators and EDI providers the types they hold a search or issue right
    /// for, excise number by excise number.
    private func scopeClause() async throws -> SQLQueryString {
        switch principal.role {
        case .cid, .system:
            return "1 = 1"
        case .officer:
            guard let office = principal.officeID else { return "1 = 0" }
            return "excise_number IN (SELECT number FROM excise_numbers WHERE office_id = \(bind: office))"
        case .operator, .edi:
            let visible = try await Scope(db: db, principal: principal).visibleExciseNumbers()
            var byTypes: [[DocumentType]: [String]] = [:]
            for (model, rights) in visible {
                let facts = Access.Facts(role: principal.role, rights: rights, sameOffice: false)
                let types = DocumentType.allCases.filter { Access.allows(.search($0), facts) || Access.allows(.issue($0), facts) }
                if !types.isEmpty { byTypes[types, default: []].append(model.number) }
            }
            guard !byTypes.isEmpty else { return "1 = 0" }
            let groups: [SQLQueryString] = byTypes.map { types, numbers in
                let inList: SQLQueryString = "excise_number IN (\(binds: numbers))"
                if types.count == DocumentType.allCases.count { return inList }
                return "\(inList) AND type IN (\(binds: types.map(\.rawValue)))"
            }
            return groups.map { "(\($0))" as SQLQueryString }.joined(separator: " OR ")
        }
    }
}

extension DocumentDTO {
    init(row: SQLRow) throws {
        self.init(
            number: try row.decode(column: "number", as: String.self),
            kind: try row.decode(column: "kind", as: String.self),
            type: try row.decode(column: "type", as: String.self),
            exciseNumber: try row.decode(column: "excise_number", as: String.self),
            transport: try row.decode(column: "transport", as: String.self),
            dispatchDate: try row.decode(column: "dispatch_date", as: String.self),
            dispatchTime: try row.decode(column: "dispatch_time", as: String.self),
            registeredAt: try row.decode(column: "registered_at", as: Date.self),
            registrationDate: try row.decode(column: "registration_date", as: String.self),
            registrationMode: try row.decode(column: "registration_mode", as: String.self),
            actorType: try row.decode(column: "actor_type", as: String.self),
            actorLogin: try row.decode(column: "actor_login", as: String.self),
            status: try row.decode(column: "status", as: String.self),
            cancellationReason: try row.decode(column: "cancellation_reason", as: String?.self),
            cancellationComment: try row.decode(column: "cancellation_comment", as: String?.self),
            reactivationReason: try row.decode(column: "reactivation_reason", as: String?.self),
            reactivationComment: try row.decode(column: "reactivation_comment", as: String?.self),
            arc: try row.decode(column: "arc", as: String?.self))
    }
}

/// CSV export of search results: `;`-separated with a UTF-8 byte order mark, as spreadsheets set
/// up for French expect; every field quoted.
enum DocumentCSV {
    static let columns = ["number", "type", "exciseNumber", "transport", "dispatchDate", "dispatchTime", "registeredAt",
                          "registrationMode", "actorType", "actorLogin", "status", "cancellationReason", "reactivationReason", "arc"]

    static func render(_ docs: [DocumentDTO]) -> String {
        let iso = ISO8601DateFormatter()
        var out = "\u{FEFF}" + columns.joined(separator: ";") + "\r\n"
        for d in docs {
            let fields = [d.number, d.type, d.exciseNumber, d.transport, d.dispatchDate, d.dispatchTime, iso.string(from: d.registeredAt),
                          d.registrationMode, d.actorType, d.actorLogin, d.status, d.cancellationReason ?? "", d.reactivationReason ?? "", d.arc ?? ""]
            out += fields.map(quote).joined(separator: ";") + "\r\n"
        }
        return out
    }

    /// Quotes a field, doubling quotes, and defuses spreadsheet formulas (a leading = + - @).
    static func quote(_ s: String) -> String {
        var v = s
        if let first = v.first, "=+-@".contains(first) { v = "'" + v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension Request {
    /// The query string as ordered name/value pairs (repeated names kept), percent-decoded.
    var queryPairs: [(name: String, value: String)] {
        guard let query = url.query, !query.isEmpty else { return [] }
        return query.split(separator: "&").map { part in
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            return (decode(kv[0]), kv.count > 1 ? decode(kv[1]) : "")
        }
    }

    /// CSV when asked by `format=csv` or an `Accept: text/csv` header.
    var wantsCSV: Bool {
        queryPairs.contains { $0.name == "format" && $0.value.lowercased() == "csv" }
            || headers.accept.mediaTypes.contains(where: { $0.type == "text" && $0.subType == "csv" })
    }
}
