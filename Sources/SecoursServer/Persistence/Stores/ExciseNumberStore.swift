import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// The reads of `excise_numbers` with `rights` that scope checks make: one excise number with
/// what one account holds on it, and the lists an account can see.
struct ExciseNumberStore {
    let db: Database

    /// The excise number `number` and the rights `userID` holds on it, or nil
    /// when no such excise number exists. Runs on every document read and write: one query.
    func number(_ number: String, rightsOf userID: UUID?) async throws -> (model: ExciseNumberModel, rights: [Right])? {
        let sql = try db.sqlDatabase
        // An account that holds no rights rows joins none (a UUID no row has).
        let holder = userID ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let rows = try await sql.raw("""
            SELECT e.id, e.number, e.company_id, e.office_id, e.mode, r.\(ident: "right") AS granted
            FROM excise_numbers e
            LEFT JOIN rights r ON r.excise_number_id = e.id AND r.user_id = \(bind: holder)
            WHERE e.number = \(bind: number)
            """).all()
        guard let first = rows.first else { return nil }
        let model = ExciseNumberModel(number: try first.decode(column: "number", as: String.self),
                                      companyID: try first.decode(column: "company_id", as: UUID.self),
                                      officeID: try first.decode(column: "office_id", as: UUID.self),
                                      mode: try first.decode(column: "mode", as: TransmissionMode.self))
        model.id = try first.decode(column: "id", as: UUID.self)
        return (model, try rows.compactMap { try $0.decode(column: "granted", as: Right?.self) })
    }

    /// Every excise number, in number order.
    func all() async throws -> [ExciseNumberModel] {
        try await ExciseNumberModel.query(on: db).sort(\.$number).all()
    }

    /// The excise numbers an office follows, in number order.
    func all(ofOffice office: UUID) async throws -> [ExciseNumberModel] {
        try await ExciseNumberModel.query(on: db).filter(\.$office.$id == office).sort(\.$number).all()
    }

    /// The rights rows of an account, each with its excise number.
    func rights(of userID: UUID) async throws -> [RightModel] {
        try await RightModel.query(on: db).filter(\.$user.$id == userID).with(\.$exciseNumber).all()
    }
}
