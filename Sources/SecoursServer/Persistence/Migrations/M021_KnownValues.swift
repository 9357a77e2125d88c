import Fluent
import SQLKit

/// Every column a model types with one of SecoursCore's vocabularies (a status, a role, a kind…)
/// accepts only the values known when the migration was written, so that no stored row can hold a
/// value the models cannot read: PostgreSQL with a CHECK constraint per column, SQLite (which
/// cannot add one to an existing table) with a trigger before insert and before update of the
/// column. Rows already stored are checked first, on both databases alike: one unknown value stops
/// the migration with the table, the column and the values to mend. (Reason codes and the alerts'
/// comma-separated services and modes are free text in the models, and not checked here.)
///
/// The lists are frozen here on purpose: a value added to a vocabulary later needs a migration
/// that replaces the column's check (`drop` then `add` with the new list). `KnownValuesTests`
/// fails while a vocabulary and its list differ.
struct M021_KnownValues: AsyncMigration {
    struct Column: Sendable {
        let table: String
        let column: String
        let values: [String]
        var name: String { "\(table)_\(column)_known" }
    }

    static let actorTypes = ["operator", "customs-officer", "edi-provider", "system"]
    static let services = ["GAMMA", "GAMMA2", "GPS", "DELTA-G", "DELTA-X", "DELTA-H7", "PORTAIL"]
    static let documentKinds = ["craps", "lrn"]
    static let documentTypes = ["DAE", "DSA"]

    static let columns: [Column] = [
        Column(table: "documents", column: "kind", values: documentKinds),
        Column(table: "documents", column: "type", values: documentTypes),
        Column(table: "documents", column: "registration_mode", values: ["normal", "a-posteriori"]),
        Column(table: "documents", column: "actor_type", values: actorTypes),
        Column(table: "documents", column: "status", values: ["active", "inactive", "cancelled", "reintegrated"]),
        Column(table: "document_history", column: "action",
               values: ["creation", "registration", "import", "cancellation", "inactivation", "reactivation", "reintegration", "edit", "note"]),
        Column(table: "document_history", column: "actor_type", values: actorTypes),
        Column(table: "episodes", column: "service", values: services),
        Column(table: "episodes", column: "basis",
               values: ["alert", "sau-diagnosis", "office-authorisation", "office-silence", "edi-provider-incident", "self-trigger", "offline-outage"]),
        Column(table: "episodes", column: "status", values: ["requested", "open", "refused", "closed"]),
        Column(table: "episode_events", column: "kind",
               values: ["requested", "opened", "authorised", "refused", "opened-by-silence", "evidence", "closed"]),
        Column(table: "episode_events", column: "actor_type", values: actorTypes),
        Column(table: "assistance_requests", column: "service", values: services),
        Column(table: "communications", column: "type", values: documentTypes),
        Column(table: "office_notices", column: "kind", values: ["authorisation-request", "episode-declared", "self-trigger", "communication"]),
        Column(table: "users", column: "role", values: ["operator", "officer", "cid", "edi", "system"]),
        Column(table: "rights", column: "right",
               values: ["prepare-daa", "prepare-dsa", "issue-daa", "issue-dsa", "discharge-daa", "search-daa", "search-dsa"]),
        Column(table: "excise_numbers", column: "mode", values: ["DTI", "DTI+", "EDI"]),
        Column(table: "alerts", column: "level", values: ["red", "black"]),
        Column(table: "reservations", column: "kind", values: documentKinds),
    ]

    struct UnknownValues: Error, CustomStringConvertible {
        let column: Column
        let values: [String]
        var description: String {
            "\(column.table).\(column.column) holds values the service does not know (\(values.joined(separator: ", "))): "
                + "mend those rows, then start again"
        }
    }

    func prepare(on db: Database) async throws {
        let sql = try db.sqlDatabase
        for c in Self.columns {
            let unknown = try await sql.raw("""
                SELECT DISTINCT \(ident: c.column) AS value FROM \(ident: c.table)
                WHERE \(ident: c.column) NOT IN (\(unsafeRaw: Self.list(c))) LIMIT 10
                """).all().map { try $0.decode(column: "value", as: String.self) }
            guard unknown.isEmpty else { throw UnknownValues(column: c, values: unknown) }
        }
        for c in Self.columns { try await Self.add(c, on: sql) }
    }

    static func list(_ c: Column) -> String {
        c.values.map { "'\($0.replacingOccurrences(of: "'", with: "''"))'" }.joined(separator: ", ")
    }

    func revert(on db: Database) async throws {
        let sql = try db.sqlDatabase
        for c in Self.columns { try await Self.drop(c, on: sql) }
    }

    static func add(_ c: Column, on sql: SQLDatabase) async throws {
        let list = list(c)
        if sql.dialect.name == "sqlite" {
            for (event, when) in [("INSERT", "INSERT"), ("UPDATE", "UPDATE OF \"\(c.column)\"")] {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: c.name)_\(unsafeRaw: event.lowercased()) BEFORE \(unsafeRaw: when) ON \(ident: c.table)
                    WHEN NEW.\(ident: c.column) NOT IN (\(unsafeRaw: list))
                    BEGIN SELECT RAISE(ABORT, '\(unsafeRaw: c.table).\(unsafeRaw: c.column): unknown value'); END
                    """).run()
            }
        } else {
            try await sql.raw("""
                ALTER TABLE \(ident: c.table) ADD CONSTRAINT \(ident: c.name) CHECK (\(ident: c.column) IN (\(unsafeRaw: list)))
                """).run()
        }
    }

    static func drop(_ c: Column, on sql: SQLDatabase) async throws {
        if sql.dialect.name == "sqlite" {
            for event in ["insert", "update"] { try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: c.name)_\(unsafeRaw: event)").run() }
        } else {
            try await sql.raw("ALTER TABLE \(ident: c.table) DROP CONSTRAINT IF EXISTS \(ident: c.name)").run()
        }
    }
}
