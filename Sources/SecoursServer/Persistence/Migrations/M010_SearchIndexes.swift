import Fluent
import Foundation
import SQLKit

/// Indexes for the search (R-GPS-8) on large tables: one per filtered or sorted column, and for
/// `contains`/`starts`/`ends` a trigram index — pg_trgm GIN indexes on PostgreSQL, an FTS5
/// trigram table kept in step by triggers on SQLite.
struct M010_SearchIndexes: AsyncMigration {
    /// Each filter column is indexed together with `registered_at`, the default sort: a search
    /// then walks the index in order and stops at the page, instead of sorting every match.
    static let columns = ["dispatch_date", "registration_date", "status", "actor_type", "type",
                          "registration_mode", "cancellation_reason", "reactivation_reason"]

    func prepare(on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        try await sql.create(index: "documents_registered_at").on("documents").column("registered_at").run()
        for column in Self.columns {
            try await sql.create(index: "documents_\(column)").on("documents").column(column).column("registered_at").run()
        }
        try await sql.raw("CREATE INDEX documents_transport_upper ON documents (UPPER(transport))").run()
        if sql.dialect.name == "sqlite" {
            try await sql.raw("""
                CREATE VIRTUAL TABLE documents_fts USING fts5(number, excise_number, transport,
                  content='documents', content_rowid='rowid', tokenize='trigram')
                """).run()
            try await sql.raw("""
                CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
                  INSERT INTO documents_fts(rowid, number, excise_number, transport) VALUES (new.rowid, new.number, new.excise_number, new.transport);
                END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
                  INSERT INTO documents_fts(documents_fts, rowid, number, excise_number, transport) VALUES ('delete', old.rowid, old.number, old.excise_number, old.transport);
                END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER documents_fts_update AFTER UPDATE OF number, excise_number, transport ON documents BEGIN
                  INSERT INTO documents_fts(documents_fts, rowid, number, excise_number, transport) VALUES ('delete', old.rowid, old.number, old.excise_number, old.transport);
                  INSERT INTO documents_fts(rowid, number, excise_number, transport) VALUES (new.rowid, new.number, new.excise_number, new.transport);
                END
                """).run()
            try await sql.raw("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')").run()
        } else {
            // pg_trgm is a trusted extension: the database owner may create it.
            try await sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm").run()
            try await sql.raw("CREATE INDEX documents_number_trgm ON documents USING gin (number gin_trgm_ops)").run()
            try await sql.raw("CREATE INDEX documents_excise_trgm ON documents USING gin (excise_number gin_trgm_ops)").run()
            try await sql.raw("CREATE INDEX documents_transport_trgm ON documents USING gin (UPPER(transport) gin_trgm_ops)").run()
        }
    }

    func revert(on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            for t in ["documents_fts_insert", "documents_fts_delete", "documents_fts_update"] { try await sql.raw("DROP TRIGGER IF EXISTS \(ident: t)").run() }
            try await sql.raw("DROP TABLE IF EXISTS documents_fts").run()
        } else {
            for i in ["documents_number_trgm", "documents_excise_trgm", "documents_transport_trgm"] { try await sql.raw("DROP INDEX IF EXISTS \(ident: i)").run() }
        }
        for column in Self.columns { try await sql.drop(index: "documents_\(column)").run() }
        try await sql.drop(index: "documents_registered_at").run()
        try await sql.drop(index: "documents_transport_upper").run()
    }
}
