import Fluent

/// Personal accounts (R-ACC-2/3).
struct M004_CreateUsers: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("users")
            .id()
            .field("login", .string, .required)
            .field("email", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("company_id", .uuid, .references("companies", "id"))
            .field("office_id", .uuid, .references("offices", "id"))
            .field("company_admin", .bool, .required)
            .field("created_at", .datetime)
            .unique(on: "login")
            .create()
    }

    func revert(on db: Database) async throws { try await db.schema("users").delete() }
}
