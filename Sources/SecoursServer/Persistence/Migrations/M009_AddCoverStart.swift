import Fluent
import Foundation
import SecoursCore
import SQLKit

/// R-DOC-5: when the legal cover of a document started (its dispatch, or its last
/// reactivation), from which its inactivation delay runs. Existing rows get their dispatch.
struct M009_AddCoverStart: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("documents").field("cover_start", .datetime).update()
        guard let sql = db as? SQLDatabase else { return }
        for row in try await sql.raw("SELECT id, dispatch_date, dispatch_time FROM documents").all() {
            let id = try row.decode(column: "id", as: UUID.self)
            guard let day = ParisDay(text: try row.decode(column: "dispatch_date", as: String.self)),
                  let time = ParisTime(text: try row.decode(column: "dispatch_time", as: String.self)) else { continue }
            try await sql.raw("UPDATE documents SET cover_start = \(bind: DispatchMoment(day: day, time: time).date) WHERE id = \(bind: id)").run()
        }
        try await sql.create(index: "documents_status_cover").on("documents").column("status").column("cover_start").run()
    }

    func revert(on db: Database) async throws {
        if let sql = db as? SQLDatabase { try await sql.drop(index: "documents_status_cover").run() }
        try await db.schema("documents").deleteField("cover_start").update()
    }
}
