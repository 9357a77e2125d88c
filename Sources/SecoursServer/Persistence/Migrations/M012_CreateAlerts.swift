import Fluent
import SQLKit

/// R-MET: the alerts of the weather page and their information bulletins.
struct M012_CreateAlerts: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("alerts")
            .id()
            .field("reference", .string, .required)
            .field("level", .string, .required)
            .field("services", .string, .required)
            .field("modes", .string, .required)
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("started_at", .datetime, .required)
            .field("ended_at", .datetime)
            .field("published_at", .datetime, .required)
            .field("published_by", .string, .required)
            .unique(on: "reference")
            .create()
        try await db.schema("alert_bulletins")
            .id()
            .field("alert_id", .uuid, .required, .references("alerts", "id"))
            .field("at", .datetime, .required)
            .field("text", .string, .required)
            .field("author", .string, .required)
            .field("closing", .bool, .required)
            .create()
        if let sql = db as? SQLDatabase {
            try await sql.create(index: "alerts_ended_started").on("alerts").column("ended_at").column("started_at").run()
            try await sql.create(index: "alert_bulletins_alert").on("alert_bulletins").column("alert_id").column("at").run()
        }
    }

    func revert(on db: Database) async throws {
        try await db.schema("alert_bulletins").delete()
        try await db.schema("alerts").delete()
    }
}
