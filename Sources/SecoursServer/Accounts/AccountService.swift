import Fluent
import SecoursCore
import Vapor

/// Sign-in (web and API alike) and the CID's administration of offices, companies, excise
/// numbers, accounts and rights.
struct AccountService {
    let req: Request

    private var db: Database { req.db }
    private var store: OrganisationStore { OrganisationStore(db: db) }

    /// Checks a login and password, with throttling per login name and per client address, once
    /// admitted by the hashing pool (a full pool refuses before anything is counted).
    func authenticate(login: String?, password: String?) async throws -> UserModel {
        let hashing = req.application.secours.hashing
        do {
            return try await hashing.admitted { try await checked(login: login, password: password, hashing: hashing) }
        } catch let e as SecoursError where e == HashingPool.busy {
            req.application.metrics.loginRefused(cause: "busy")
            throw e
        }
    }

    private func checked(login: String?, password: String?, hashing: HashingPool) async throws -> UserModel {
        let name = (login ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let state = req.application.secours
        let throttle = LoginThrottle(db: db, perAccount: state.settings.loginMaxFailures, perAddress: state.settings.loginMaxFailuresPerAddress,
                                     window: state.settings.loginWindow)
        let now = state.now()
        let reservation: LoginThrottle.Reservation
        do {
            reservation = try await throttle.reserve(login: name, address: req.remoteAddress?.ipAddress ?? "?", now: now)
        } catch let e as SecoursError {
            req.application.metrics.loginRefused(cause: "throttled")
            req.refusal = Refusal(code: e.code, reason: "too many failed sign-ins for login \(name.isEmpty ? "-" : name) or its address")
            throw e
        }
        let user = name.isEmpty ? nil : try await store.user(login: name)
        // Verify against a fixed hash when the login is unknown, so timing does not tell.
        let hash = user?.passwordHash ?? state.dummyHash
        let password = password ?? ""
        let ok = try await hashing.verify(password, created: hash)
        guard ok, let user else {
            req.application.metrics.loginRefused(cause: user == nil ? "unknown_login" : "wrong_password")
            req.refusal = Refusal(code: "invalid_credentials", reason: user == nil ? "unknown login \(name.isEmpty ? "-" : name)" : "wrong password for login \(name)")
            throw SecoursError(kind: .unauthorized, code: "invalid_credentials", message: Messages.Accounts.invalidCredentials)
        }
        try await throttle.succeeded(reservation)
        // A hash made before every byte counted is rewritten, when the password is short enough
        // for the old hash to have covered all of it.
        if !DigestBcryptHasher.isCurrent(user.passwordHash), password.utf8.count <= 72 {
            user.passwordHash = try await hashing.hash(password)
            try await store.save(user)
        }
        return user
    }

    func issueToken(for user: UserModel) async throws -> TokenStore.Issued {
        // The wall clock, as the bearer check reads it.
        try await TokenStore(db: db).issue(userID: user.requireID(), now: Date(), lifetime: req.application.secours.settings.tokenLifetime)
    }

    /// A new token for the one the request carries, without the password (R-ACC, issue of the
    /// rush: an operator stays signed in through a long outage), within `SECOURS_SIGN_IN_MAX_DAYS`
    /// of the password sign-in.
    func renewToken(_ token: String) async throws -> TokenStore.Issued {
        let settings = req.application.secours.settings
        let renewal = try await TokenStore(db: db).renew(token, now: Date(), lifetime: settings.tokenLifetime, maxAge: settings.signInMaxAge)
        // The old token is good no longer, in this process at once.
        req.application.secours.access.forget()
        switch renewal {
        case let .renewed(issued):
            return issued
        case .unknown:
            req.refusal = Refusal(code: "unauthenticated", reason: "token unknown, expired, renewed or revoked")
            throw SecoursError.unauthenticated
        case .signInTooOld:
            req.refusal = Refusal(code: "sign_in_too_old", reason: "password sign-in older than the longest a sign-in lasts")
            throw SecoursError(kind: .unauthorized, code: "sign_in_too_old",
                               message: Messages.Accounts.signInTooOld(days: Int(settings.signInMaxAge / 86_400)))
        }
    }

    // MARK: - Administration

    func requireCID() throws -> Principal {
        let p = try req.principal()
        try p.require(.administerAccounts)
        return p
    }

    func createOffice(code: String?, name: String?, email: String?) async throws -> OfficeModel {
        _ = try requireCID()
        let code = try AccountRules.officeCode(code)
        let name = try AccountRules.text(name, field: "name", label: Messages.Accounts.officeName)
        let email = try AccountRules.email(email)
        if try await store.office(code: code) != nil {
            throw SecoursError(kind: .conflict, code: "office_exists", message: Messages.Accounts.officeExists(code))
        }
        let office = OfficeModel(code: code, name: name, email: email)
        try await store.create(office)
        return office
    }

    func createCompany(siren: String?, name: String?, address: String?) async throws -> CompanyModel {
        _ = try requireCID()
        let siren = try AccountRules.siren(siren)
        let name = try AccountRules.text(name, field: "name", label: Messages.Accounts.companyName)
        let address = try AccountRules.text(address, field: "address", label: Messages.Accounts.address, max: 500)
        if try await store.company(siren: siren) != nil {
            throw SecoursError(kind: .conflict, code: "company_exists", message: Messages.Accounts.companyExists(siren: siren))
        }
        let company = CompanyModel(siren: siren, name: name, address: address)
        try await store.create(company)
        return company
    }

    func createExciseNumber(number: String?, companyID: String?, officeCode: String?, mode: String?) async throws -> ExciseNumberModel {
        _ = try requireCID()
        let excise: ExciseNumber
        do { excise = try ExciseNumber(parsing: number ?? "") } catch {
            throw SecoursError.invalid(field: "number", message: Messages.Accounts.invalidExciseNumber(error.message))
        }
        let company = try await company(companyID)
        let office = try await office(officeCode)
        guard let mode = mode.flatMap({ TransmissionMode(rawValue: $0.trimmingCharacters(in: .whitespaces).uppercased()) }) else {
            throw SecoursError.invalid(field: "mode", message: Messages.Accounts.modeRequired)
        }
        if try await store.exciseNumber(excise.value) != nil {
            throw SecoursError(kind: .conflict, code: "excise_number_exists", message: Messages.Accounts.exciseNumberExists(excise.value))
        }
        let model = ExciseNumberModel(number: excise.value, companyID: try company.requireID(), officeID: try office.requireID(), mode: mode)
        try await store.create(model)
        return model
    }

    func createUser(login: String?, email: String?, password: String?, role: String?, companyID: String?,
                    officeCode: String?, companyAdmin: Bool?) async throws -> UserModel {
        _ = try requireCID()
        let login = try AccountRules.login(login)
        let email = try AccountRules.email(email)
        let password = try AccountRules.password(password, login: login)
        guard let role = role.flatMap({ Role(rawValue: $0.trimmingCharacters(in: .whitespaces).lowercased()) }) else {
            throw SecoursError.invalid(field: "role", message: Messages.Accounts.roleRequired)
        }
        var company: CompanyModel?
        var office: OfficeModel?
        switch role.attachment {
        case .company:
            company = try await self.company(companyID)
        case .optionalCompany:
            if let companyID, !companyID.isEmpty { company = try await self.company(companyID) }
        case .office:
            office = try await self.office(officeCode)
        case .none:
            break
        }
        if companyAdmin == true, !role.mayAdministerCompany {
            throw SecoursError.invalid(field: "companyAdmin", message: Messages.Accounts.onlyOperatorAdministers)
        }
        if try await store.user(login: login) != nil {
            throw SecoursError(kind: .conflict, code: "login_taken", message: Messages.Accounts.loginTaken(login))
        }
        let hash = try await req.password.async.hash(password)
        let user = UserModel(login: login, email: email, passwordHash: hash, role: role,
                             companyID: try company?.requireID(), officeID: try office?.requireID(),
                             companyAdmin: companyAdmin ?? false)
        try await store.create(user)
        return user
    }

    /// Replaces the rights of `login` on `number`. The CID may do it for any operator or EDI
    /// account; a company administrator for its own company's excise numbers and accounts.
    func setRights(number: String, login: String, rights codes: [String]?) async throws -> [Right] {
        let p = try req.principal()
        guard let codes else { throw SecoursError.invalid(field: "rights", message: Messages.Accounts.rightsRequired) }
        var rights: Set<Right> = []
        for code in codes {
            guard let r = Right(rawValue: code) else {
                throw SecoursError.invalid(field: "rights", message: Messages.Accounts.unknownRight(code))
            }
            rights.insert(r)
        }
        guard Access.administersRights(p.actor) else { throw SecoursError.forbidden }
        guard let excise = try await store.exciseNumber(TypedNumber.key(number)),
              Access.allows(.administerRights(sameCompany: excise.$company.id == p.companyID), p.actor)
        else { throw SecoursError.notFound(Messages.Documents.exciseNumberWhat) }
        guard let user = try await store.user(login: login.lowercased()),
              Access.allows(.administerRights(sameCompany: user.$company.id == p.companyID), p.actor)
        else { throw SecoursError.notFound(Messages.Accounts.account) }
        guard user.role.holdsRights else {
            throw SecoursError(kind: .conflict, code: "rights_not_applicable", message: Messages.Accounts.rightsNotApplicable)
        }
        try await store.replaceRights(of: user.requireID(), on: excise.requireID(), with: rights.sorted())
        req.application.secours.access.forget()
        req.logger.info("rights set", metadata: ["by": .string(p.login), "for": .string(user.login), "excise": .string(excise.number)])
        return rights.sorted()
    }

    private func company(_ id: String?) async throws -> CompanyModel {
        guard let id, let uuid = UUID(uuidString: id) else {
            throw SecoursError.invalid(field: "companyId", message: Messages.Accounts.companyIDRequired)
        }
        guard let company = try await store.company(uuid) else {
            throw SecoursError.invalid(field: "companyId", message: Messages.Accounts.unknownCompany(id))
        }
        return company
    }

    private func office(_ code: String?) async throws -> OfficeModel {
        let code = try AccountRules.officeCode(code, field: "officeCode")
        guard let office = try await store.office(code: code) else {
            throw SecoursError.invalid(field: "officeCode", message: Messages.Accounts.unknownOffice(code))
        }
        return office
    }
}
