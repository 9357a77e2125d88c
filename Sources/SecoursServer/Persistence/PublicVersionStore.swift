import Fluent
import SQLKit
import Vapor

/// What the public pages show changes only when an alert is published, given a bulletin or
/// ended: this signature of the alert tables changes with each of those, in any process.
struct PublicVersionStore {
    let db: Database

    func signature() async throws -> String {
        guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError, reason: "SQL database required") }
        guard let row = try await sql.raw("""
            SELECT (SELECT COUNT(*) FROM alerts) AS published,
                   (SELECT COUNT(*) FROM alerts WHERE ended_at IS NULL) AS running,
                   (SELECT COUNT(*) FROM alert_bulletins) AS bulletins
            """).first() else { return "" }
        let published = try row.decode(column: "published", as: Int.self)
        let running = try row.decode(column: "running", as: Int.self)
        let bulletins = try row.decode(column: "bulletins", as: Int.self)
        return "\(published).\(running).\(bulletins)"
    }
}
