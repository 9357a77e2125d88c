import Fluent
import SQLKit

/// PostgreSQL: B-tree indexes for the beginning and the end of a transport registration. pg_trgm
/// ignores punctuation, so "7-XY" at the end of a plate is nearly as common as its trigrams;
/// `text_pattern_ops` serves `LIKE 'AB-1%'` whatever the database's collation, and the same on the
/// reversed plate serves its ending. They replace the plain `UPPER(transport)` index, since
/// `text_pattern_ops` also serves equality. The plate itself is included so that a count reads the
/// index alone. (SQLite ranges over its `UPPER(transport)` index and
/// reads endings from its FTS5 table.)
struct M011_TransportPatternIndexes: AsyncMigration {
    func prepare(on db: Database) async throws {
        guard let sql = db as? SQLDatabase, sql.dialect.name != "sqlite" else { return }
        try await sql.raw("CREATE INDEX documents_transport_prefix ON documents (UPPER(transport) text_pattern_ops) INCLUDE (transport)").run()
        try await sql.raw("CREATE INDEX documents_transport_suffix ON documents (reverse(UPPER(transport)) text_pattern_ops) INCLUDE (transport)").run()
        try await sql.raw("DROP INDEX IF EXISTS documents_transport_upper").run()
    }

    func revert(on db: Database) async throws {
        guard let sql = db as? SQLDatabase, sql.dialect.name != "sqlite" else { return }
        try await sql.raw("CREATE INDEX documents_transport_upper ON documents (UPPER(transport))").run()
        try await sql.raw("DROP INDEX IF EXISTS documents_transport_prefix").run()
        try await sql.raw("DROP INDEX IF EXISTS documents_transport_suffix").run()
    }
}
