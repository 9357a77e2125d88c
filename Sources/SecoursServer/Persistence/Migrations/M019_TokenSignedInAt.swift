import Fluent

/// When the password sign-in behind a token took place, kept through renewals, so that renewing
/// a token never carries it past `SECOURS_SIGN_IN_MAX_DAYS`. Older tokens have none: their
/// sign-in is taken as their expiry less one token lifetime.
struct M019_TokenSignedInAt: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("tokens").field("signed_in_at", .datetime).update()
    }

    func revert(on db: Database) async throws {
        try await db.schema("tokens").deleteField("signed_in_at").update()
    }
}
