import Fluent
import SQLKit

/// What the live feed (`LiveFeedStore`) and the episode page read by time or by episode:
/// notices and episode events of every office since a moment, and the numbers generated under
/// an episode.
struct M020_LiveFeedIndexes: AsyncMigration {
    func prepare(on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        try await sql.create(index: "office_notices_at").on("office_notices").column("at").run()
        try await sql.create(index: "episode_events_at").on("episode_events").column("at").run()
        try await sql.create(index: "documents_covered_by_episode").on("documents").column("covered_by_episode").run()
    }

    func revert(on db: Database) async throws {
        guard let sql = db as? SQLDatabase else { return }
        try await sql.drop(index: "office_notices_at").run()
        try await sql.drop(index: "episode_events_at").run()
        try await sql.drop(index: "documents_covered_by_episode").run()
    }
}
