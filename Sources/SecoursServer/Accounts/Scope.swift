import Fluent
import SecoursCore
import Vapor

/// Gathers the facts `Access` decides on, from the database.
struct Scope {
    let db: Database
    let principal: Principal

    /// The excise number and what the principal may do with it, or nil when it does not exist.
    func facts(for number: String) async throws -> (model: ExciseNumberModel, facts: Access.Facts)? {
        // One query: the excise number with the principal's rights on it (none for other roles).
        // Other roles hold no rights rows: join on an id no account has.
        let userID = principal.role == .operator || principal.role == .edi ? principal.id : UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        let rows = try await ExciseNumberModel.query(on: db)
            .join(RightModel.self, on: \ExciseNumberModel.$id == \RightModel.$exciseNumber.$id && \RightModel.$user.$id == userID, method: .left)
            .filter(\.$number == number)
            .all()
        guard let model = rows.first else { return nil }
        let rights = Set(rows.compactMap { try? $0.joined(RightModel.self).right }.compactMap(Right.init(rawValue:)))
        return (model, .init(role: principal.role, rights: rights, sameOffice: principal.officeID == model.$office.id))
    }

    func facts(for model: ExciseNumberModel) async throws -> Access.Facts {
        var rights: Set<Right> = []
        if principal.role == .operator || principal.role == .edi {
            let rows = try await RightModel.query(on: db)
                .filter(\.$user.$id == principal.id)
                .filter(\.$exciseNumber.$id == model.requireID())
                .all()
            rights = Set(rows.compactMap { Right(rawValue: $0.right) })
        }
        return .init(role: principal.role, rights: rights, sameOffice: principal.officeID == model.$office.id)
    }

    /// The excise numbers the principal can see at all, with its rights on each.
    func visibleExciseNumbers() async throws -> [(model: ExciseNumberModel, rights: Set<Right>)] {
        switch principal.role {
        case .cid, .system:
            return try await ExciseNumberModel.query(on: db).sort(\.$number).all().map { ($0, Set(Right.allCases)) }
        case .officer:
            guard let office = principal.officeID else { return [] }
            return try await ExciseNumberModel.query(on: db).filter(\.$office.$id == office).sort(\.$number).all()
                .map { ($0, Set(Right.allCases)) }
        case .operator, .edi:
            let rows = try await RightModel.query(on: db).filter(\.$user.$id == principal.id).with(\.$exciseNumber).all()
            var byNumber: [String: (ExciseNumberModel, Set<Right>)] = [:]
            for row in rows {
                guard let right = Right(rawValue: row.right) else { continue }
                byNumber[row.exciseNumber.number, default: (row.exciseNumber, [])].1.insert(right)
            }
            return byNumber.keys.sorted().map { byNumber[$0]! }
        }
    }
}
