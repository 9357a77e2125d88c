import Fluent
import SQLKit

/// R-NUM-6: the serial of a GAMMA 2 fallback LRN follows one continuous sequence per operator
/// (excise number), whatever the date part, so the database refuses a second LRN with the same
/// serial for the same excise number (`documents_one_per_lrn_serial`), as the offline toolkit's
/// journal does (`entries_lrn_serial`). The LRN's serial is kept in `sequence`, its date part's
/// year in `year`. No path stored an LRN before this migration, so there is nothing to rank.
struct M017_LRNSerialUnique: AsyncMigration {
    func prepare(on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        try await sql.raw("""
            CREATE UNIQUE INDEX documents_one_per_lrn_serial ON documents (excise_number, sequence) WHERE kind = 'lrn'
            """).run()
    }

    func revert(on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        try await sql.raw("DROP INDEX documents_one_per_lrn_serial").run()
    }
}
