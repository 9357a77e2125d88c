import Fluent
import SecoursCore
import SQLKit
import Vapor

/// Gathers the facts `Access` decides on, from the database.
struct Scope {
    let db: Database
    let principal: Principal
    /// The process's access cache; without it every check reads the database.
    var access: AccessCache? = nil

    init(db: Database, principal: Principal, access: AccessCache? = nil) {
        self.db = db
        self.principal = principal
        self.access = access
    }

    /// The excise number and what the principal may do with it, or nil when it does not exist.
    func facts(for number: String) async throws -> (model: ExciseNumberModel, facts: Access.Facts)? {
        let holder = principal.role.holdsRights ? principal.id : nil
        let found: (model: ExciseNumberModel, rights: [Right])?
        if let access {
            found = try await access.number(number, rightsOf: holder, on: db).map { ($0.model, $0.rights) }
        } else {
            found = try await ExciseNumberStore(db: db).number(number, rightsOf: holder)
        }
        guard let (model, granted) = found else { return nil }
        let rights = Set(granted)
        return (model, .init(role: principal.role, rights: rights, sameOffice: principal.officeID == model.$office.id))
    }

    /// The excise numbers the principal can see at all, with its rights on each.
    func visibleExciseNumbers() async throws -> [(model: ExciseNumberModel, rights: Set<Right>)] {
        switch Access.reach(principal.role) {
        case .everything:
            return try await ExciseNumberStore(db: db).all().map { ($0, Set(Right.allCases)) }
        case .office:
            guard let office = principal.officeID else { return [] }
            return try await ExciseNumberStore(db: db).all(ofOffice: office).map { ($0, Set(Right.allCases)) }
        case .rightsHeld:
            let rows = try await ExciseNumberStore(db: db).rights(of: principal.id)
            var byNumber: [String: (ExciseNumberModel, Set<Right>)] = [:]
            for row in rows {
                let right = row.right
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
