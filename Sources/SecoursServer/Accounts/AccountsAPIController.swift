import Fluent
import SecoursCore
import SQLKit
import Vapor

/// `/api/v1/auth/token` and the CID's administration endpoints.
struct AccountsAPIController {
    struct TokenRequest: Content { let login: String?; let password: String? }
    struct TokenResponse: Content { let token: String; let expiresAt: Date }

    func token(req: Request) async throws -> TokenResponse {
        let body = try req.content.decode(TokenRequest.self)
        let service = AccountService(req: req)
        let user = try await service.authenticate(login: body.login, password: body.password)
        let issued = try await service.issueToken(for: user)
        return TokenResponse(token: issued.token, expiresAt: issued.expiresAt)
    }

    /// `POST /api/v1/auth/token/refresh`: a new token for the one the request carries, which is
    /// no longer good; no password, within `SECOURS_SIGN_IN_MAX_DAYS` of the password sign-in.
    func refresh(req: Request) async throws -> TokenResponse {
        _ = try req.principal()
        guard let bearer = req.headers.bearerAuthorization else { throw SecoursError.unauthenticated }
        let issued = try await AccountService(req: req).renewToken(bearer.token)
        return TokenResponse(token: issued.token, expiresAt: issued.expiresAt)
    }

    /// `DELETE /api/v1/auth/token`: revokes the token the request carries (signing out of the API).
    func revoke(req: Request) async throws -> HTTPStatus {
        _ = try req.principal()
        guard let bearer = req.headers.bearerAuthorization else { throw SecoursError.unauthenticated }
        try await TokenStore(db: req.db).revoke(bearer.token)
        req.application.secours.access.forget()
        return .noContent
    }

    struct OfficeRequest: Content { let code: String?; let name: String?; let email: String? }
    struct OfficeDTO: Content { let code: String; let name: String; let email: String }

    func createOffice(req: Request) async throws -> Response {
        let b = try req.content.decode(OfficeRequest.self)
        let o = try await AccountService(req: req).createOffice(code: b.code, name: b.name, email: b.email)
        return try await OfficeDTO(code: o.code, name: o.name, email: o.email).encodeResponse(status: .created, for: req)
    }

    struct CompanyRequest: Content { let siren: String?; let name: String?; let address: String? }
    struct CompanyDTO: Content { let id: UUID; let siren: String; let name: String; let address: String }

    func createCompany(req: Request) async throws -> Response {
        let b = try req.content.decode(CompanyRequest.self)
        let c = try await AccountService(req: req).createCompany(siren: b.siren, name: b.name, address: b.address)
        return try await CompanyDTO(id: c.requireID(), siren: c.siren, name: c.name, address: c.address)
            .encodeResponse(status: .created, for: req)
    }

    struct ExciseRequest: Content { let number: String?; let companyId: String?; let officeCode: String?; let mode: String? }
    struct ExciseDTO: Content {
        let number: String
        let companyId: UUID
        let officeCode: String
        let mode: String
        let rights: [String]?
    }

    func createExciseNumber(req: Request) async throws -> Response {
        let b = try req.content.decode(ExciseRequest.self)
        let e = try await AccountService(req: req).createExciseNumber(number: b.number, companyID: b.companyId, officeCode: b.officeCode, mode: b.mode)
        return try await ExciseDTO(number: e.number, companyId: e.$company.id, officeCode: try AccountRules.officeCode(b.officeCode, field: "officeCode"), mode: e.mode.rawValue, rights: nil)
            .encodeResponse(status: .created, for: req)
    }

    /// The excise numbers the caller can see, with its rights on each.
    func listExciseNumbers(req: Request) async throws -> [ExciseDTO] {
        let p = try req.principal()
        let list = try await Scope(db: req.db, principal: p).visibleExciseNumbers()
        let codes = try await OrganisationStore(db: req.db).officesByID().mapValues(\.code)
        return list.map { e in
            ExciseDTO(number: e.model.number, companyId: e.model.$company.id, officeCode: codes[e.model.$office.id] ?? "",
                      mode: e.model.mode.rawValue, rights: e.rights.sorted().map(\.rawValue))
        }
    }

    struct UserRequest: Content {
        let login: String?
        let email: String?
        let password: String?
        let role: String?
        let companyId: String?
        let officeCode: String?
        let companyAdmin: Bool?
    }
    struct UserDTO: Content { let id: UUID; let login: String; let email: String; let role: String; let companyId: UUID?; let companyAdmin: Bool }

    func createUser(req: Request) async throws -> Response {
        let b = try req.content.decode(UserRequest.self)
        let u = try await AccountService(req: req).createUser(login: b.login, email: b.email, password: b.password, role: b.role,
                                                             companyID: b.companyId, officeCode: b.officeCode, companyAdmin: b.companyAdmin)
        return try await UserDTO(id: u.requireID(), login: u.login, email: u.email, role: u.role.rawValue, companyId: u.$company.id, companyAdmin: u.companyAdmin)
            .encodeResponse(status: .created, for: req)
    }

    struct RightsRequest: Content { let rights: [String]? }
    struct RightsDTO: Content { let exciseNumber: String; let login: String; let rights: [String] }

    func setRights(req: Request) async throws -> RightsDTO {
        let number = try req.parameters.require("number")
        let login = try req.parameters.require("login")
        let b = try req.content.decode(RightsRequest.self)
        let rights = try await AccountService(req: req).setRights(number: number, login: login, rights: b.rights)
        return RightsDTO(exciseNumber: number.uppercased(), login: login.lowercased(), rights: rights.map(\.rawValue))
    }
}
