import Fluent

/// The annual sequence per (excise number, year), shared by generated and manual numbers
/// (R-NUM-4). One row, updated in place inside the transaction that stores the document, so a
/// failed request leaves no gap.
struct M007_CreateSequences: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("sequences")
            .field("excise_number", .string, .required)
            .field("year", .int, .required)
            .field("last_used", .int, .required)
            .unique(on: "excise_number", "year")
            .create()
    }

    func revert(on db: Database) async throws { try await db.schema("sequences").delete() }
}
