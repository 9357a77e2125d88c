import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// What `secours-fixtures` writes into an empty database for the benchmarks: offices,
/// companies, excise numbers, accounts, rights, documents and API tokens, in batches, through
/// the same models and statements as the service. The data sets themselves (how many, which
/// numbers) live in the `secours-fixtures` target, outside the service.
public final class FixtureStore: Sendable {
    let app: Application
    private var db: Database { app.db }

    /// Opens the database of `settings`, migrated, with no background work running.
    public static func open(_ settings: Settings) async throws -> FixtureStore {
        var s = settings
        s.inactivationInterval = 0
        s.demo = false
        return FixtureStore(app: try await makeApplication(s))
    }

    /// A store on an application already running (the tests' own).
    public init(app: Application) { self.app = app }

    public func close() async throws { try await app.asyncShutdown() }

    /// The service's clock.
    public var now: Date { app.secours.now() }

    /// A password hashed as the service hashes it (its bcrypt cost).
    public func hash(_ password: String) async throws -> String { try await app.password.async.hash(password) }

    public struct Office: Sendable {
        public let code: String, name: String, email: String
        public init(code: String, name: String, email: String) { self.code = code; self.name = name; self.email = email }
    }

    public struct Company: Sendable {
        public let siren: String, name: String, address: String
        public init(siren: String, name: String, address: String) { self.siren = siren; self.name = name; self.address = address }
    }

    public struct Excise: Sendable {
        public let number: String, companyID: UUID, officeID: UUID, mode: TransmissionMode
        public init(number: String, companyID: UUID, officeID: UUID, mode: TransmissionMode) {
            self.number = number; self.companyID = companyID; self.officeID = officeID; self.mode = mode
        }
    }

    public struct Account: Sendable {
        public let login: String, email: String, passwordHash: String, role: Role
        public let companyID: UUID?, officeID: UUID?, companyAdmin: Bool
        public init(login: String, email: String, passwordHash: String, role: Role, companyID: UUID?, officeID: UUID?, companyAdmin: Bool) {
            self.login = login; self.email = email; self.passwordHash = passwordHash; self.role = role
            self.companyID = companyID; self.officeID = officeID; self.companyAdmin = companyAdmin
        }
    }

    /// A document as stored, without history (the search does not read it).
    public struct Document: Sendable {
        public let number: FallbackNumber, type: DocumentType, exciseNumber: ExciseNumber, year: Int, sequence: Int
        public let transport: String, registeredAt: Date, registrationMode: RegistrationMode, actorType: ActorType, status: Status
        public init(number: FallbackNumber, type: DocumentType, exciseNumber: ExciseNumber, year: Int, sequence: Int, transport: String,
                    registeredAt: Date, registrationMode: RegistrationMode, actorType: ActorType, status: Status) {
            self.number = number; self.type = type; self.exciseNumber = exciseNumber; self.year = year; self.sequence = sequence
            self.transport = transport; self.registeredAt = registeredAt; self.registrationMode = registrationMode
            self.actorType = actorType; self.status = status
        }
    }

    public func create(_ offices: [Office]) async throws -> [UUID] {
        let models = offices.map { OfficeModel(code: $0.code, name: $0.name, email: $0.email) }
        try await models.create(on: db)
        return try models.map { try $0.requireID() }
    }

    public func create(_ companies: [Company]) async throws -> [UUID] {
        let models = companies.map { CompanyModel(siren: $0.siren, name: $0.name, address: $0.address) }
        try await models.create(on: db)
        return try models.map { try $0.requireID() }
    }

    public func create(_ excises: [Excise]) async throws -> [UUID] {
        let models = excises.map { ExciseNumberModel(number: $0.number, companyID: $0.companyID, officeID: $0.officeID, mode: $0.mode) }
        try await models.create(on: db)
        return try models.map { try $0.requireID() }
    }

    public func create(_ accounts: [Account]) async throws -> [UUID] {
        let models = accounts.map {
            UserModel(login: $0.login, email: $0.email, passwordHash: $0.passwordHash, role: $0.role,
                      companyID: $0.companyID, officeID: $0.officeID, companyAdmin: $0.companyAdmin)
        }
        try await models.create(on: db)
        return try models.map { try $0.requireID() }
    }

    /// Grants each (account, excise number) pair every right in `rights`.
    public func grant(_ rights: [Right], _ pairs: [(user: UUID, excise: UUID)]) async throws {
        let models = pairs.flatMap { p in rights.map { RightModel(userID: p.user, exciseNumberID: p.excise, right: $0) } }
        for chunk in stride(from: 0, to: models.count, by: 1_000) {
            try await Array(models[chunk..<min(chunk + 1_000, models.count)]).create(on: db)
        }
    }

    /// Inserts documents in one transaction, 500 rows per statement.
    public func insert(_ documents: [Document]) async throws {
        let rows: [DocumentModel] = documents.map { f in
            let d = DocumentModel()
            d.id = UUID()
            d.number = f.number.value
            d.kind = .craps
            d.type = f.type
            d.exciseNumber = f.exciseNumber.value
            d.year = f.year
            d.sequence = f.sequence
            d.transport = f.transport
            let day = ParisDay(f.registeredAt)
            d.dispatchDate = day.iso
            d.dispatchTime = ParisTime(f.registeredAt).text
            d.registeredAt = f.registeredAt
            d.registrationDate = day.iso
            d.registrationMode = f.registrationMode
            d.actorType = f.actorType
            d.actorLogin = "bench"
            d.status = f.status
            d.coverStart = f.registeredAt
            return d
        }
        try await db.transaction { tx in
            for chunk in stride(from: 0, to: rows.count, by: 500) {
                try await DocumentStore(db: tx).insert(Array(rows[chunk..<min(chunk + 500, rows.count)]), [])
            }
        }
    }

    /// Gives the cancelled documents a reason, alternating between two.
    public func giveCancellationReasons() async throws {
        try await sql.raw("UPDATE documents SET cancellation_reason = CASE WHEN sequence % 2 = 0 THEN 'document-error' ELSE 'commercial-transaction-interrupted' END WHERE status = 'cancelled'").run()
    }

    /// API tokens for accounts that signed in before: the token of each account.
    public func issueTokens(_ userIDs: [UUID]) async throws -> [UUID: String] {
        try await TokenStore(db: db).issue(userIDs: userIDs, now: now, lifetime: app.secours.settings.tokenLifetime).mapValues(\.token)
    }

    /// As a settled production database would be: statistics (and PostgreSQL's visibility map)
    /// up to date, so that autovacuum does not work during the measures.
    public func settle(vacuum: Bool) async throws {
        let sql = try self.sql
        if sql.dialect.name == "sqlite" {
            try await sql.raw("ANALYZE").run()
        } else {
            try await sql.raw(vacuum ? "VACUUM ANALYZE documents" : "ANALYZE").run()
        }
    }

    private var sql: SQLDatabase {
        get throws {
            guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError, reason: "SQL database required") }
            return sql
        }
    }
}
