import Fluent

/// Excise numbers with their company, office of attachment and transmission mode (R-ACC-1).
struct M003_CreateExciseNumbers: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("excise_numbers")
            .id()
            .field("number", .string, .required)
            .field("company_id", .uuid, .required, .references("companies", "id"))
            .field("office_id", .uuid, .required, .references("offices", "id"))
            .field("mode", .string, .required)
            .unique(on: "number")
            .create()
    }

    func revert(on db: Database) async throws { try await db.schema("excise_numbers").delete() }
}
