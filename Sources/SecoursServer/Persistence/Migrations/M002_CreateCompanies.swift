import Fluent

/// Companies that own excise numbers (R-ACC-1).
struct M002_CreateCompanies: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("companies")
            .id()
            .field("siren", .string, .required)
            .field("name", .string, .required)
            .field("address", .string, .required)
            .unique(on: "siren")
            .create()
    }

    func revert(on db: Database) async throws { try await db.schema("companies").delete() }
}
