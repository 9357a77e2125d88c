import Fluent
import Foundation
import SecoursCore
import Vapor

/// Offices, companies, excise numbers, accounts and their rights (tables `offices`, `companies`,
/// `excise_numbers`, `users`, `rights`): what the CID administers and sign-in reads.
struct OrganisationStore {
    let db: Database

    // MARK: Offices

    /// Every office, by id.
    func officesByID() async throws -> [UUID: OfficeModel] {
        Dictionary(uniqueKeysWithValues: try await OfficeModel.query(on: db).all().compactMap { o in o.id.map { ($0, o) } })
    }

    func office(code: String) async throws -> OfficeModel? {
        try await OfficeModel.query(on: db).filter(\.$code == code).first()
    }

    func office(_ id: UUID) async throws -> OfficeModel? {
        try await OfficeModel.find(id, on: db)
    }

    // MARK: Companies

    func company(siren: String) async throws -> CompanyModel? {
        try await CompanyModel.query(on: db).filter(\.$siren == siren).first()
    }

    func company(_ id: UUID) async throws -> CompanyModel? {
        try await CompanyModel.find(id, on: db)
    }

    // MARK: Excise numbers

    func exciseNumber(_ number: String) async throws -> ExciseNumberModel? {
        try await ExciseNumberModel.query(on: db).filter(\.$number == number).first()
    }

    // MARK: Accounts

    func user(login: String) async throws -> UserModel? {
        try await UserModel.query(on: db).filter(\.$login == login).first()
    }

    func user(_ id: UUID) async throws -> UserModel? {
        try await UserModel.find(id, on: db)
    }

    /// Whether any account holds `role`.
    func exists(role: Role) async throws -> Bool {
        try await UserModel.query(on: db).filter(\.$role == role).first() != nil
    }

    /// Whether the database holds no office and no company yet.
    func isEmpty() async throws -> Bool {
        let offices = try await OfficeModel.query(on: db).count()
        let companies = try await CompanyModel.query(on: db).count()
        return offices == 0 && companies == 0
    }

    /// Stores a new row (office, company, excise number or account); a taken unique key fails
    /// with the constraint error.
    func create(_ model: some Model) async throws {
        try await model.create(on: db)
    }

    /// Saves a changed row (an account whose password hash was rewritten).
    func save(_ model: some Model) async throws {
        try await model.save(on: db)
    }

    /// Replaces what `userID` holds on `exciseNumberID` by `rights`, in one transaction.
    func replaceRights(of userID: UUID, on exciseNumberID: UUID, with rights: [Right]) async throws {
        try await db.transaction { tx in
            try await RightModel.query(on: tx).filter(\.$user.$id == userID).filter(\.$exciseNumber.$id == exciseNumberID).delete()
            for r in rights {
                try await RightModel(userID: userID, exciseNumberID: exciseNumberID, right: r).create(on: tx)
            }
        }
    }
}
