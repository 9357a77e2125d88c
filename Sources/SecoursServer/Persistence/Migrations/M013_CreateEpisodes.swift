import Fluent
import SQLKit

/// R-DIAG-2: fallback episodes and their evidence log; each generated document records the
/// episode or the alert that covered it.
struct M013_CreateEpisodes: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("episodes")
            .id()
            .field("excise_number", .string, .required)
            .field("office_id", .uuid, .required, .references("offices", "id"))
            .field("service", .string, .required)
            .field("basis", .string, .required)
            .field("status", .string, .required)
            .field("reference", .string)
            .field("reason", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("deadline", .datetime)
            .field("started_at", .datetime)
            .field("ended_at", .datetime)
            .field("opened_by", .string, .required)
            .field("assistance_request_id", .uuid)
            .create()
        try await db.schema("episode_events")
            .id()
            .field("episode_id", .uuid, .required, .references("episodes", "id"))
            .field("at", .datetime, .required)
            .field("kind", .string, .required)
            .field("actor_type", .string, .required)
            .field("actor_login", .string, .required)
            .field("details", .string, .required)
            .create()
        // One column per statement: SQLite adds columns one at a time.
        try await db.schema("documents").field("covered_by_episode", .uuid).update()
        try await db.schema("documents").field("covered_by_alert", .string).update()
        if let sql = db as? SQLDatabase {
            try await sql.create(index: "episodes_excise_service").on("episodes").column("excise_number").column("service").column("status").run()
            try await sql.create(index: "episodes_office_status").on("episodes").column("office_id").column("status").run()
            try await sql.create(index: "episode_events_episode").on("episode_events").column("episode_id").column("at").run()
        }
    }

    func revert(on db: Database) async throws {
        try await db.schema("documents").deleteField("covered_by_alert").update()
        try await db.schema("documents").deleteField("covered_by_episode").update()
        try await db.schema("episode_events").delete()
        try await db.schema("episodes").delete()
    }
}
