import Fluent
import SQLKit
import Vapor

/// The counter of `access_version` (M022): it moves with every change of tokens, accounts,
/// rights and excise numbers that could change who may do what.
struct AccessVersionStore {
    let db: Database

    func current() async throws -> Int64 {
        guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError, reason: "SQL database required") }
        guard let row = try await sql.raw("SELECT version FROM access_version WHERE id = 1").first() else { return -1 }
        return try row.decode(column: "version", as: Int64.self)
    }
}
