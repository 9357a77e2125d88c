import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// Runs a `SearchQuery` (R-GPS-8) inside the principal's scope, in plain SQL so that it reads the
/// same on SQLite and PostgreSQL.
///
/// A search is planned rather than left to the database alone, because the planners misjudge the
/// search's usual shape (recent documents first, criteria correlated with time):
/// - the total is counted first, capped at `countLimit`, through the most selective indexes;
/// - when it is large, the newest documents of the scope are read in sort order and
///   filtered: when they hold the whole page, that page is exact and nothing else is read;
/// - otherwise the matches are taken through their indexes and sorted (the sort index is kept
///   out of that plan for date ranges, so that old matches never mean walking the whole table).
struct DocumentSearch {
    let db: Database
    let principal: Principal
    /// How many of the newest documents (in the requested order) the first look reads.
    var probeDepth = 10_000

    static let exportLimit = 100_000

    /// Counting stops here: past it the total reads "more than", which keeps a search that
    /// matches most of a large table as fast as a narrow one.
    static let countLimit = 10_000

    /// Above this many matches the newest documents are looked at first.
    static let probeThreshold = 2_000

    struct Page {
        let items: [DocumentDTO]
        /// Exact up to `countLimit`; `countLimit + 1` means "more than `countLimit`".
        let total: Int
        var totalCapped: Bool { total > DocumentSearch.countLimit }
    }

    /// One criterion in SQL, in the forms the plan needs.
    struct Condition {
        /// Through the index that narrows it most (a range, a trigram list).
        var selective: SQLQueryString
        /// Tested row by row, on `documents` or on the probe's rows.
        var walked: SQLQueryString
        /// A bound on `registered_at`: it also narrows the probe's walk.
        var bound = false
        /// On SQLite, a common text pattern that the count reads from the FTS5 table as it streams.
        var streamed: (column: String, pattern: String)?
    }

    struct Plan {
        let scope: SQLQueryString
        let conditions: [Condition]
        let sqlite: Bool
        /// A date range: its matches are read through its index and sorted, since walking the sort
        /// index to them may cross most of the table (dates follow registration). Equalities keep
        /// the sort index: theirs are composite indexes that already give the order.
        let sortsMatches: Bool
    }

    func run(_ q: SearchQuery) async throws -> Page {
        let sql = try sqlDatabase()
        let plan = try await plan(q)
        let total = try await count(plan, sql)
        var rows: [SQLRow]?
        if total > Self.probeThreshold { rows = try await probe(plan, q, sql) }
        if rows == nil {
            // The page's keys first, then its rows: the sort then carries keys, not whole documents.
            let key: SQLQueryString = plan.sqlite ? "rowid" : "id"
            rows = try await sql.raw("""
                SELECT * FROM documents WHERE \(key) IN (
                  SELECT documents.\(key) FROM documents WHERE \(Self.conjunction(plan.scope, plan.conditions.map(\.selective)))
                  ORDER BY \(Self.order(q, walk: !plan.sortsMatches, sqlite: plan.sqlite))
                  LIMIT \(literal: q.perPage) OFFSET \(literal: (q.page - 1) * q.perPage))
                ORDER BY \(Self.order(q, walk: true, sqlite: plan.sqlite))
                """).all()
        }
        return Page(items: try (rows ?? []).map(DocumentDTO.init(row:)), total: total)
    }

    /// Every result (up to `exportLimit`), for the CSV export.
    func all(_ q: SearchQuery) async throws -> [DocumentDTO] {
        let sql = try sqlDatabase()
        let plan = try await plan(q)
        let rows = try await sql.raw("""
            SELECT * FROM documents WHERE \(Self.conjunction(plan.scope, plan.conditions.map(\.selective)))
            ORDER BY \(Self.order(q, walk: true, sqlite: plan.sqlite)) LIMIT \(literal: Self.exportLimit)
            """).all()
        return try rows.map(DocumentDTO.init(row:))
    }

    /// The capped count. On SQLite a common text pattern is read from the FTS5 table as a stream
    /// joined to the documents, which stops at the cap instead of listing every match first.
    private func count(_ plan: Plan, _ sql: SQLDatabase) async throws -> Int {
        let query: SQLQueryString
        if let i = plan.conditions.firstIndex(where: { $0.streamed != nil }), let fts = plan.conditions[i].streamed {
            var others = plan.conditions.map(\.selective)
            others.remove(at: i)
            let condition = Self.conjunction(plan.scope, ["documents_fts.\(ident: fts.column) LIKE \(bind: fts.pattern)"] + others)
            query = """
                SELECT COUNT(*) AS n FROM (SELECT 1 FROM documents_fts JOIN documents ON documents.rowid = documents_fts.rowid
                WHERE \(condition) LIMIT \(literal: Self.countLimit + 1)) AS matching
                """
        } else {
            query = """
                SELECT COUNT(*) AS n FROM (SELECT 1 FROM documents WHERE \(Self.conjunction(plan.scope, plan.conditions.map(\.selective)))
                LIMIT \(literal: Self.countLimit + 1)) AS matching
                """
        }
        return try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The page taken from the newest documents of the scope (within the
    /// `registered_at` bounds), or nil when they do not hold all of it.
    private func probe(_ plan: Plan, _ q: SearchQuery, _ sql: SQLDatabase) async throws -> [SQLRow]? {
        let offset = (q.page - 1) * q.perPage
        guard offset + q.perPage <= probeDepth else { return nil }
        let inner = Self.conjunction(plan.scope, plan.conditions.filter(\.bound).map(\.walked))
        let outer = Self.conjunction("1 = 1", plan.conditions.filter { !$0.bound }.map(\.walked))
        let order = Self.order(q, walk: true, sqlite: plan.sqlite)
        let rows = try await sql.raw("""
            SELECT * FROM (SELECT * FROM documents WHERE \(inner) ORDER BY \(order) LIMIT \(literal: probeDepth)) AS documents
            WHERE \(outer) ORDER BY \(order) LIMIT \(literal: q.perPage) OFFSET \(literal: offset)
            """).all()
        return rows.count == q.perPage ? rows : nil
    }

    /// The scope and the conditions, ANDed.
    static func conjunction(_ scope: SQLQueryString, _ conditions: [SQLQueryString]) -> SQLQueryString {
        ([scope] + conditions).map { "(\($0))" as SQLQueryString }.joined(separator: " AND ")
    }

    /// The requested sort, then the number so that pages never overlap. Off the walk, each key
    /// is wrapped in a no-op expression so that the planner sorts the matches instead of walking
    /// the sort index.
    static func order(_ q: SearchQuery, walk: Bool, sqlite: Bool) -> SQLQueryString {
        let direction = q.descending ? "DESC" : "ASC"
        func key(_ column: String) -> SQLQueryString {
            if walk { return "documents.\(ident: column)" }
            if sqlite { return "+documents.\(ident: column)" }
            return column == "registered_at" ? "(documents.\(ident: column) + INTERVAL '0 seconds')" : "(documents.\(ident: column) || '')"
        }
        return "\(key(q.sort.column)) \(unsafeRaw: direction), \(key("number")) \(unsafeRaw: direction)"
    }

    private func sqlDatabase() throws -> SQLDatabase {
        guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError, reason: "SQL database required") }
        return sql
    }

    private func plan(_ q: SearchQuery) async throws -> Plan {
        let sql = try sqlDatabase()
        let sqlite = sql.dialect.name == "sqlite"
        let broadScope = Access.reach(principal.role) != .rightsHeld
        var conditions: [Condition] = []
        for c in q.criteria {
            var condition = Self.condition(c, sqlite: sqlite)
            if sqlite, let pattern = Self.trigramPattern(c) {
                // Through FTS5 when the pattern is rare; when it is common, row by row on the scope's
                // own index for a narrow scope, and for a broad one streamed by the count.
                let fts: SQLQueryString = "documents.rowid IN (SELECT rowid FROM documents_fts WHERE \(ident: c.field.column) LIKE \(bind: pattern))"
                let matches = try await sql.raw("""
                    SELECT COUNT(*) AS n FROM (SELECT rowid FROM documents_fts WHERE \(ident: c.field.column) LIKE \(bind: pattern)
                    LIMIT \(literal: Self.probeThreshold)) AS matching
                    """).first()?.decode(column: "n", as: Int.self) ?? 0
                if matches < Self.probeThreshold {
                    condition.selective = fts
                } else if broadScope {
                    condition.selective = fts
                    condition.streamed = (c.field.column, pattern)
                }
            }
            conditions.append(condition)
        }
        return Plan(scope: try await scopeClause(), conditions: conditions, sqlite: sqlite,
                    sortsMatches: q.criteria.contains { $0.op == .before || $0.op == .after })
    }

    /// The FTS5 trigram pattern of a text criterion the trigram table serves (three characters or
    /// more, nothing LIKE would read as a wildcard), on SQLite; `starts` goes through B-trees.
    static func trigramPattern(_ c: SearchQuery.Criterion) -> String? {
        guard [.ends, .contains].contains(c.op), c.value.count >= 3, !c.value.contains(where: { "%_\\\"".contains($0) }) else { return nil }
        return "%" + c.value + (c.op == .ends ? "" : "%")
    }

    static func condition(_ c: SearchQuery.Criterion, sqlite: Bool) -> Condition {
        let column: SQLQueryString = c.field == .transport ? "UPPER(documents.transport)" : "documents.\(ident: c.field.column)"
        // A registration date is the Paris day of `registered_at`: the same range on the instant
        // is exact and uses the sort index itself.
        if c.field == .registrationDate, let day = ParisDay(text: c.value) {
            let range: SQLQueryString = switch c.op {
            case .before: "documents.registered_at < \(bind: day.start)"
            case .after: "documents.registered_at >= \(bind: day.next.start)"
            default: "documents.registered_at >= \(bind: day.start) AND documents.registered_at < \(bind: day.next.start)"
            }
            return Condition(selective: range, walked: range, bound: true)
        }
        // A prefix is a range of a B-tree index (SQLite: the column or UPPER(transport);
        // PostgreSQL: LIKE on the text_pattern_ops indexes does the same).
        if sqlite, c.op == .starts, let last = c.value.unicodeScalars.last, let next = Unicode.Scalar(last.value + 1) {
            let upper = String(c.value.unicodeScalars.dropLast()) + String(Character(next))
            let range: SQLQueryString = "\(column) >= \(bind: c.value) AND \(column) < \(bind: upper)"
            return Condition(selective: range, walked: range)
        }
        let escaped = escape(c.value)
        let plain: SQLQueryString = switch c.op {
        case .eq: "\(column) = \(bind: c.value)"
        case .starts: "\(column) LIKE \(bind: escaped + "%") ESCAPE '\\'"
        case .ends: "\(column) LIKE \(bind: "%" + escaped) ESCAPE '\\'"
        case .contains: "\(column) LIKE \(bind: "%" + escaped + "%") ESCAPE '\\'"
        case .before: "\(column) < \(bind: c.value)"
        case .after: "\(column) > \(bind: c.value)"
        }
        // pg_trgm skips punctuation, so a plate's ending ("7-XY") is served by a B-tree on the
        // reversed plate instead.
        if !sqlite, c.op == .ends, c.field == .transport {
            let reversed = escape(String(String.UnicodeScalarView(c.value.unicodeScalars.reversed())))
            let suffix: SQLQueryString = "reverse(UPPER(documents.transport)) LIKE \(bind: reversed + "%") ESCAPE '\\'"
            return Condition(selective: suffix, walked: suffix)
        }
        return Condition(selective: plain, walked: plain)
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    /// The documents the principal may see: all for the CID and GAMMA, its office's for an
    /// officer, and for operators and EDI providers the types they hold a search or issue right
    /// for, excise number by excise number.
    func scopeClause() async throws -> SQLQueryString {
        switch Access.reach(principal.role) {
        case .everything:
            return "1 = 1"
        case .office:
            guard let office = principal.officeID else { return "1 = 0" }
            return "documents.excise_number IN (SELECT number FROM excise_numbers WHERE office_id = \(bind: office))"
        case .rightsHeld:
            let visible = try await Scope(db: db, principal: principal).visibleExciseNumbers()
            var byTypes: [[DocumentType]: [String]] = [:]
            for (model, rights) in visible {
                let facts = Access.Facts(role: principal.role, rights: rights, sameOffice: false)
                let types = DocumentType.allCases.filter { Access.allows(.search($0), facts) || Access.allows(.issue($0), facts) }
                if !types.isEmpty { byTypes[types, default: []].append(model.number) }
            }
            guard !byTypes.isEmpty else { return "1 = 0" }
            let groups: [SQLQueryString] = byTypes.map { types, numbers in
                let inList: SQLQueryString = "documents.excise_number IN (\(binds: numbers))"
                if types.count == DocumentType.allCases.count { return inList }
                return "\(inList) AND documents.type IN (\(binds: types.map(\.rawValue)))"
            }
            return groups.map { "(\($0))" as SQLQueryString }.joined(separator: " OR ")
        }
    }
}
