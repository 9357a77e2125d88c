import Fluent

/// Rights per (account, excise number) (R-ACC-2).
struct M005_CreateRights: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("rights")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("excise_number_id", .uuid, .required, .references("excise_numbers", "id", onDelete: .cascade))
            .field("right", .string, .required)
            .unique(on: "user_id", "excise_number_id", "right")
            .create()
    }

    func revert(on db: Database) async throws { try await db.schema("rights").delete() }
}
