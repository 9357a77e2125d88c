import Fluent
import SQLKit

/// One counter that every change of who may do what moves: a token renewed or revoked, an
/// account's role, company, office or administration flag, a right, an excise number's company,
/// office or mode. Database triggers move it, so no writer can forget to, in any process; each
/// process compares it with what it last read before trusting its `AccessCache`.
struct M022_AccessVersion: AsyncMigration {
    /// The table, the trigger's events, and a name for each.
    static let watched: [(table: String, name: String, event: String)] = [
        ("tokens", "update", "UPDATE"), ("tokens", "delete", "DELETE"),
        ("users", "update", "UPDATE OF login, role, company_id, office_id, company_admin"), ("users", "delete", "DELETE"),
        ("rights", "insert", "INSERT"), ("rights", "update", "UPDATE"), ("rights", "delete", "DELETE"),
        ("excise_numbers", "update", "UPDATE OF number, company_id, office_id, mode"), ("excise_numbers", "delete", "DELETE"),
    ]

    func prepare(on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        try await sql.raw("CREATE TABLE access_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)").run()
        try await sql.raw("INSERT INTO access_version (id, version) VALUES (1, 0)").run()
        let bump = "UPDATE access_version SET version = version + 1 WHERE id = 1"
        if sql.dialect.name == "sqlite" {
            for w in Self.watched {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: "access_\(w.table)_\(w.name)") AFTER \(unsafeRaw: w.event) ON \(ident: w.table)
                    FOR EACH ROW BEGIN \(unsafeRaw: bump); END
                    """).run()
            }
        } else {
            try await sql.raw("""
                CREATE FUNCTION secours_access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN \(unsafeRaw: bump); RETURN NULL; END $$
                """).run()
            for w in Self.watched {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: "access_\(w.table)_\(w.name)") AFTER \(unsafeRaw: w.event) ON \(ident: w.table)
                    FOR EACH ROW EXECUTE FUNCTION secours_access_changed()
                    """).run()
            }
        }
    }

    func revert(on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        for w in Self.watched {
            if sql.dialect.name == "sqlite" {
                try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: "access_\(w.table)_\(w.name)")").run()
            } else {
                try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: "access_\(w.table)_\(w.name)") ON \(ident: w.table)").run()
            }
        }
        if sql.dialect.name != "sqlite" { try await sql.raw("DROP FUNCTION IF EXISTS secours_access_changed()").run() }
        try await sql.raw("DROP TABLE IF EXISTS access_version").run()
    }
}
