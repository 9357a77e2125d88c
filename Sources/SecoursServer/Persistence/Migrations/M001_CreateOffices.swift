import Fluent

/// Customs offices of attachment (R-ACC-1).
struct M001_CreateOffices: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("offices")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("email", .string, .required)
            .unique(on: "code")
            .create()
    }

    func revert(on db: Database) async throws { try await db.schema("offices").delete() }
}
