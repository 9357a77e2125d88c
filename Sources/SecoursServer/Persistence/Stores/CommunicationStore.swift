import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// The manual numbers communicated to the office (table `communications`).
struct CommunicationStore {
    let db: Database

    /// Those of `numbers` already communicated (1,000 per query).
    func communicated(among numbers: [String]) async throws -> Set<String> {
        let sql = try db.sqlDatabase
        var found: Set<String> = []
        for chunk in numbers.chunked(1000) {
            for row in try await sql.raw("SELECT number FROM communications WHERE number IN (\(binds: Array(chunk)))").all() {
                found.insert(try row.decode(column: "number", as: String.self))
            }
        }
        return found
    }

    /// Records manual numbers communicated (each with when and to which office), 200 per statement.
    func insert(_ rows: [(number: RegistrationRequest.Valid, at: Date, office: UUID)], by login: String) async throws {
        let sql = try db.sqlDatabase
        for chunk in rows.chunked(200) {
            var insert = sql.insert(into: CommunicationModel.schema).columns(
                "id", "excise_number", "office_id", "number", "type", "transport", "dispatch_date", "dispatch_time", "communicated_at", "communicated_by")
            for (v, at, office) in chunk {
                insert = insert.values(SQLBind(UUID()), SQLBind(v.exciseNumber.value), SQLBind(office), SQLBind(v.number.value), SQLBind(v.type.rawValue),
                                       SQLBind(v.transport), SQLBind(v.dispatch.day.iso), SQLBind(v.dispatch.time.text), SQLBind(at), SQLBind(login))
            }
            try await insert.run()
        }
    }

    /// Stores one communication with the office's notice, in one transaction.
    func create(_ c: CommunicationModel, notice: OfficeNoticeModel) async throws {
        try await db.transaction { tx in
            try await c.create(on: tx)
            try await notice.create(on: tx)
        }
    }

    /// Communications of the records given, newest first.
    func list(_ records: Scope.Records, limit: Int) async throws -> [CommunicationModel] {
        guard let q = CommunicationModel.query(on: db).within(records, office: \.$officeID, exciseNumber: \.$exciseNumber) else { return [] }
        return try await q.sort(\.$communicatedAt, .descending).limit(limit).all()
    }
}
