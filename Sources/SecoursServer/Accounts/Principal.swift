import Fluent
import SecoursCore
import SQLKit
import Vapor

/// The signed-in account, as every handler sees it.
struct Principal: Authenticatable, SessionAuthenticatable, Sendable {
    let id: UUID
    let login: String
    let role: Role
    let companyID: UUID?
    let officeID: UUID?
    let companyAdmin: Bool

    var sessionID: UUID { id }

    /// The account as `Access` sees it.
    var actor: Access.Actor { Access.Actor(role: role, companyAdmin: companyAdmin, hasOffice: officeID != nil) }

    /// Refuses unless `Access` allows the action.
    func require(_ action: Access.Action) throws {
        guard Access.allows(action, actor) else { throw SecoursError.forbidden }
    }

    init(_ user: UserModel) throws {
        guard let id = user.id else { throw Abort(.internalServerError, reason: "account \(user.login) has no id") }
        self.init(id: id, login: user.login, role: user.role, companyID: user.$company.id,
                  officeID: user.$office.id, companyAdmin: user.companyAdmin)
    }

    init(id: UUID, login: String, role: Role, companyID: UUID?, officeID: UUID?, companyAdmin: Bool) {
        self.id = id
        self.login = login
        self.role = role
        self.companyID = companyID
        self.officeID = officeID
        self.companyAdmin = companyAdmin
    }
}

extension Request {
    /// The signed-in account, or a 401 in the API's words.
    func principal() throws -> Principal {
        guard let p = auth.get(Principal.self) else { throw SecoursError.unauthenticated }
        return p
    }
}

extension SecoursError {
    static var unauthenticated: SecoursError { SecoursError(kind: .unauthorized, code: "unauthenticated",
                                              message: Messages.Accounts.unauthenticated) }
    static var forbidden: SecoursError { SecoursError(kind: .forbidden, code: "forbidden",
                                        message: Messages.Accounts.forbidden) }
    /// The same answer whether the thing does not exist or is outside the caller's scope.
    static func notFound(_ what: String) -> SecoursError {
        SecoursError(kind: .notFound, code: "not_found", message: Messages.Accounts.notFound(what))
    }
    static var unsupportedMediaType: SecoursError { SecoursError(kind: .unsupportedMediaType, code: "unsupported_media_type",
                                                   message: Messages.Accounts.unsupportedMediaType) }
    static var payloadTooLarge: SecoursError { SecoursError(kind: .payloadTooLarge, code: "payload_too_large",
                                              message: Messages.Accounts.payloadTooLarge) }
}

/// Web sessions keep the account id; each request finds the account again (through the access
/// cache, which a removed account or a changed role empties).
struct SessionPrincipalAuthenticator: AsyncSessionAuthenticator {
    typealias User = Principal

    func authenticate(sessionID: UUID, for request: Request) async throws {
        guard let principal = try await request.application.secours.access.principal(account: sessionID, on: request.db) else { return }
        request.auth.login(principal)
    }
}

/// `Authorization: Bearer …` for the API; only unexpired tokens count.
struct BearerPrincipalAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        // Tokens expire on the wall clock, as they are issued.
        guard let principal = try await request.application.secours.access.principal(holding: bearer.token, now: Date(), on: request.db)
        else { return }
        request.auth.login(principal)
    }
}

enum TokenDigest {
    static func of(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hex
    }

    /// 32 random bytes, URL-safe base64.
    static func newToken() -> String {
        let bytes = [UInt8].random(count: 32)
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// The API's routes for a signed-in caller: 401 otherwise, its message composed for the request
/// (in its language), not once for all when the routes are set up.
struct SignedInGuard: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        guard request.auth.has(Principal.self) else { throw SecoursError.unauthenticated }
        return try await next.respond(to: request)
    }
}
