import Fluent

/// API bearer tokens, stored as digests.
struct M006_CreateTokens: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("tokens")
            .id()
            .field("digest", .string, .required)
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("expires_at", .datetime, .required)
            .unique(on: "digest")
            .create()
    }

    func revert(on db: Database) async throws { try await db.schema("tokens").delete() }
}
