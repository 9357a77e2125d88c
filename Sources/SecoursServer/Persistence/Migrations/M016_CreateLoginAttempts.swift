import Fluent
import SQLKit

/// R-NF-3: sign-in attempts, counted in the database so that the limit holds under parallel
/// requests and across server processes (`LoginThrottle`).
struct M016_CreateLoginAttempts: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("login_attempts")
            .id()
            .field("key", .string, .required)
            .field("at", .datetime, .required)
            .create()
        if let sql = db as? SQLDatabase {
            try await sql.create(index: "login_attempts_key_at").on("login_attempts").column("key").column("at").run()
        }
    }

    func revert(on db: Database) async throws { try await db.schema("login_attempts").delete() }
}
