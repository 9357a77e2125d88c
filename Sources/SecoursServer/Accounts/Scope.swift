import Fluent
import SecoursCore
import SQLKit
import Vapor

/// Gathers the facts `Access` decides on, from the database.
struct Scope {
    let db: Database
    let principal: Principal

    /// The excise number and what the principal may do with it, or nil when it does not exist.
    func facts(for number: String) async throws -> (model: ExciseNumberModel, facts: Access.Facts)? {
        guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError, reason: "SQL database required") }
        // On every document read and write: one plain SQL query, the excise number with the
        // principal's rights on it (other roles hold no rights rows).
        let userID = principal.role.holdsRights ? principal.id : UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let rows = try await sql.raw("""
            SELECT e.id, e.number, e.company_id, e.office_id, e.mode, r.\(ident: "right") AS granted
            FROM excise_numbers e
            LEFT JOIN rights r ON r.excise_number_id = e.id AND r.user_id = \(bind: userID)
            WHERE e.number = \(bind: number)
            """).all()
        guard let first = rows.first else { return nil }
        let model = ExciseNumberModel(number: try first.decode(column: "number", as: String.self),
                                      companyID: try first.decode(column: "company_id", as: UUID.self),
                                      officeID: try first.decode(column: "office_id", as: UUID.self),
                                      mode: try first.decode(column: "mode", as: String.self))
        model.id = try first.decode(column: "id", as: UUID.self)
        let rights = Set(try rows.compactMap { try $0.decode(column: "granted", as: String?.self) }.compactMap(Right.init(rawValue:)))
        return (model, .init(role: principal.role, rights: rights, sameOffice: principal.officeID == model.$office.id))
    }

    /// The excise numbers the principal can see at all, with its rights on each.
    func visibleExciseNumbers() async throws -> [(model: ExciseNumberModel, rights: Set<Right>)] {
        switch Access.reach(principal.role) {
        case .everything:
            return try await ExciseNumberModel.query(on: db).sort(\.$number).all().map { ($0, Set(Right.allCases)) }
        case .office:
            guard let office = principal.officeID else { return [] }
            return try await ExciseNumberModel.query(on: db).filter(\.$office.$id == office).sort(\.$number).all()
                .map { ($0, Set(Right.allCases)) }
        case .rightsHeld:
            let rows = try await RightModel.query(on: db).filter(\.$user.$id == principal.id).with(\.$exciseNumber).all()
            var byNumber: [String: (ExciseNumberModel, Set<Right>)] = [:]
            for row in rows {
                guard let right = Right(rawValue: row.right) else { continue }
                byNumber[row.exciseNumber.number, default: (row.exciseNumber, [])].1.insert(right)
            }
            return byNumber.keys.sorted().map { byNumber[$0]! }
        }
    }

    /// The document types the principal may issue on a visible excise number.
    func issuableTypes(_ e: (model: ExciseNumberModel, rights: Set<Right>)) -> [DocumentType] {
        let facts = Access.Facts(role: principal.role, rights: e.rights, sameOffice: principal.officeID == e.model.$office.id)
        return DocumentType.allCases.filter { Access.allows(.issue($0), facts) }
    }

    /// The excise numbers on which the principal may issue at least one type of document.
    func issuableExciseNumbers() async throws -> [(model: ExciseNumberModel, rights: Set<Right>)] {
        try await visibleExciseNumbers().filter { !issuableTypes($0).isEmpty }
    }

    /// Whose fallback records (episodes, assistance requests, communications) the principal sees:
    /// the CID all; an officer its office's; an operator or EDI provider those of the excise
    /// numbers it may issue on; GAMMA's system account none.
    enum Records {
        case all
        case office(UUID)
        case exciseNumbers([String])
        case none
    }

    func records() async throws -> Records {
        switch Access.recordReach(principal.role) {
        case .all: return .all
        case .office: return principal.officeID.map(Records.office) ?? .none
        case .issuableExciseNumbers:
            let mine = try await issuableExciseNumbers().map(\.model.number)
            return mine.isEmpty ? .none : .exciseNumbers(mine)
        case .none: return .none
        }
    }

    /// Whether a record of `exciseNumber`, attached to `officeID`, is within `records()`.
    func sees(exciseNumber: String, officeID: UUID) async throws -> Bool {
        switch try await records() {
        case .all: true
        case let .office(id): id == officeID
        case let .exciseNumbers(numbers): numbers.contains(exciseNumber)
        case .none: false
        }
    }
}
