import Fluent
import Foundation
import SQLKit

/// R-NUM-4, R-NUM-5, R-NUM-8 and R-DIAG-2 enforced by the database itself, whatever path writes:
///
/// - one fallback document per (excise number, year, sequence) for GAMMA numbers
///   (`documents_one_per_sequence`);
/// - at most one requested or open episode per (excise number, service)
///   (`episodes_one_active`).
///
/// A database written before these constraints may already hold two documents on one sequence
/// (both numbers were handed to operators, so neither can be dropped) or two active episodes.
/// The later documents of a shared sequence get a `sequence_rank` of 1, 2… and a history line that
/// says so; every new document has rank 0, so the index refuses any new duplicate. The later
/// active episodes are closed by the service with an event naming the one kept.
struct M015_IntegrityConstraints: AsyncMigration {
    func prepare(on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        try await db.schema("documents").field("sequence_rank", .int, .required, .sql(.default(0))).update()
        try await rankDuplicateSequences(sql)
        try await closeDuplicateEpisodes(sql)
        try await createIndexes(sql)
    }

    func createIndexes(_ sql: SQLDatabase) async throws {
        try await sql.raw("""
            CREATE UNIQUE INDEX documents_one_per_sequence ON documents (excise_number, year, sequence, sequence_rank) WHERE kind = 'craps'
            """).run()
        try await sql.raw("""
            CREATE UNIQUE INDEX episodes_one_active ON episodes (excise_number, service) WHERE status IN ('requested', 'open')
            """).run()
    }

    func revert(on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        try await sql.raw("DROP INDEX episodes_one_active").run()
        try await sql.raw("DROP INDEX documents_one_per_sequence").run()
        try await db.schema("documents").deleteField("sequence_rank").update()
    }

    func rankDuplicateSequences(_ sql: SQLDatabase) async throws {
        let rows = try await sql.raw("""
            SELECT d.id, d.number, d.excise_number, d.year, d.sequence FROM documents d
            WHERE d.kind = 'craps' AND EXISTS (SELECT 1 FROM documents o WHERE o.kind = 'craps' AND o.excise_number = d.excise_number
                AND o.year = d.year AND o.sequence = d.sequence AND o.id <> d.id)
            ORDER BY d.excise_number, d.year, d.sequence, d.registered_at, d.number
            """).all()
        var first: [String: String] = [:]
        var rank: [String: Int] = [:]
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            let number = try row.decode(column: "number", as: String.self)
            let key = "\(try row.decode(column: "excise_number", as: String.self))/\(try row.decode(column: "year", as: Int.self))/\(try row.decode(column: "sequence", as: Int.self))"
            guard let kept = first[key] else {
                first[key] = number
                rank[key] = 0
                continue
            }
            let r = rank[key]! + 1
            rank[key] = r
            try await sql.raw("UPDATE documents SET sequence_rank = \(bind: r) WHERE id = \(bind: id)").run()
            try await sql.raw("""
                INSERT INTO document_history (id, document_id, at, action, actor_type, actor_login, details)
                VALUES (\(bind: UUID()), \(bind: id), \(bind: Date()), 'note', 'system', 'système',
                        \(bind: "Séquence partagée avec le document \(kept), enregistré avant la contrainte d'unicité : les deux numéros restent valables et suivis."))
                """).run()
        }
    }

    func closeDuplicateEpisodes(_ sql: SQLDatabase) async throws {
        let rows = try await sql.raw("""
            SELECT id, excise_number, service FROM episodes WHERE status IN ('requested', 'open')
            ORDER BY excise_number, service, requested_at, id
            """).all()
        var kept: [String: UUID] = [:]
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            let key = "\(try row.decode(column: "excise_number", as: String.self))/\(try row.decode(column: "service", as: String.self))"
            guard let first = kept[key] else {
                kept[key] = id
                continue
            }
            let now = Date()
            try await sql.raw("UPDATE episodes SET status = 'closed', ended_at = \(bind: now) WHERE id = \(bind: id)").run()
            try await sql.raw("""
                INSERT INTO episode_events (id, episode_id, at, kind, actor_type, actor_login, details)
                VALUES (\(bind: UUID()), \(bind: id), \(bind: now), 'closed', 'system', 'système',
                        \(bind: "Fermé par le service : doublon de l'épisode \(first.uuidString.lowercased()), ouvert avant lui pour le même numéro d'accise et le même téléservice."))
                """).run()
        }
    }
}
