import Fluent
import SQLKit

/// Fallback documents and their history (R-DOC-1, R-DOC-6). The number is unique for ever
/// (R-NUM-5).
struct M008_CreateDocuments: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("documents")
            .id()
            .field("number", .string, .required)
            .field("kind", .string, .required)
            .field("type", .string, .required)
            .field("excise_number", .string, .required)
            .field("year", .int, .required)
            .field("sequence", .int, .required)
            .field("transport", .string, .required)
            .field("dispatch_date", .string, .required)
            .field("dispatch_time", .string, .required)
            .field("registered_at", .datetime, .required)
            .field("registration_date", .string, .required)
            .field("registration_mode", .string, .required)
            .field("actor_type", .string, .required)
            .field("actor_login", .string, .required)
            .field("status", .string, .required)
            .field("cancellation_reason", .string)
            .field("cancellation_comment", .string)
            .field("reactivation_reason", .string)
            .field("reactivation_comment", .string)
            .field("arc", .string)
            .unique(on: "number")
            .create()
        try await db.schema("document_history")
            .id()
            .field("document_id", .uuid, .required, .references("documents", "id"))
            .field("at", .datetime, .required)
            .field("action", .string, .required)
            .field("actor_type", .string, .required)
            .field("actor_login", .string, .required)
            .field("details", .string, .required)
            .create()
        guard let sql = db as? SQLDatabase else { return }
        try await sql.create(index: "documents_excise_registered").on("documents")
            .column("excise_number").column("registered_at").run()
        try await sql.create(index: "history_document").on("document_history").column("document_id").run()
    }

    func revert(on db: Database) async throws {
        try await db.schema("document_history").delete()
        try await db.schema("documents").delete()
    }
}
