import Fluent
import SQLKit

/// R-DIAG-3 and R-OFF-1: self-triggering assistance requests, manual numbers communicated to the
/// office, and the office's notices.
struct M014_CreateAssistanceAndOffice: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("assistance_requests")
            .id()
            .field("reference", .string, .required)
            .field("excise_number", .string, .required)
            .field("office_id", .uuid, .required, .references("offices", "id"))
            .field("service", .string, .required)
            .field("eori", .string, .required)
            .field("company_name", .string, .required)
            .field("address", .string, .required)
            .field("phone", .string, .required)
            .field("switched_at", .datetime, .required)
            .field("reasons", .string, .required)
            .field("registered_at", .datetime, .required)
            .field("registered_by", .string, .required)
            .field("closed_at", .datetime)
            .field("episode_id", .uuid, .required, .references("episodes", "id"))
            .unique(on: "reference")
            .create()
        try await db.schema("communications")
            .id()
            .field("excise_number", .string, .required)
            .field("office_id", .uuid, .required, .references("offices", "id"))
            .field("number", .string, .required)
            .field("type", .string, .required)
            .field("transport", .string, .required)
            .field("dispatch_date", .string, .required)
            .field("dispatch_time", .string, .required)
            .field("communicated_at", .datetime, .required)
            .field("communicated_by", .string, .required)
            .unique(on: "number")
            .create()
        try await db.schema("office_notices")
            .id()
            .field("office_id", .uuid, .required, .references("offices", "id"))
            .field("at", .datetime, .required)
            .field("kind", .string, .required)
            .field("excise_number", .string, .required)
            .field("text", .string, .required)
            .field("link", .string, .required)
            .field("read_at", .datetime)
            .field("mailed_at", .datetime)
            .create()
        if let sql = db as? SQLDatabase {
            try await sql.create(index: "assistance_excise_service").on("assistance_requests").column("excise_number").column("service").run()
            try await sql.create(index: "communications_office").on("communications").column("office_id").column("communicated_at").run()
            try await sql.create(index: "office_notices_office").on("office_notices").column("office_id").column("at").run()
        }
    }

    func revert(on db: Database) async throws {
        try await db.schema("office_notices").delete()
        try await db.schema("communications").delete()
        try await db.schema("assistance_requests").delete()
    }
}
