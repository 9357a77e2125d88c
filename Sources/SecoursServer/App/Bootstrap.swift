import Fluent
import SecoursCore
import Vapor

/// Data created on start: the first CID account (`SECOURS_BOOTSTRAP_ADMIN`) and, with `--demo`,
/// a demonstration data set when the database is empty.
struct Bootstrap {
    let app: Application

    func run(settings: Settings) async throws {
        if let admin = settings.bootstrapAdmin { try await bootstrapAdmin(login: admin.login, password: admin.password) }
        if settings.demo { try await DemoData(app: app).fillIfEmpty() }
    }

    func bootstrapAdmin(login: String, password: String) async throws {
        guard try await !OrganisationStore(db: app.db).exists(role: .cid) else { return }
        let login = try AccountRules.login(login)
        let password = try AccountRules.password(password, login: login)
        let hash = try await app.password.async.hash(password)
        try await OrganisationStore(db: app.db).create(UserModel(login: login, email: "\(login)@cid.invalid", passwordHash: hash, role: .cid,
                                                                 companyID: nil, officeID: nil, companyAdmin: false))
        app.logger.notice("bootstrap CID account created", metadata: ["login": .string(login)])
    }
}

/// The demonstration data set (`Resources/Demo/demo-data.json`): one office, two companies with
/// their excise numbers, one account of each kind with its rights, a current alert and an open
/// episode, so that a newcomer can click through at once. The data is a file, not code: change
/// it there.
struct DemoData {
    let app: Application

    struct DataSet: Decodable {
        struct Office: Decodable { let code: String, name: String, email: String }
        struct Company: Decodable { let siren: String, name: String, address: String }
        struct Excise: Decodable { let number: String, company: String, office: String, mode: TransmissionMode }
        /// Every right (`"all"`) or those listed.
        enum Grant: Decodable {
            case all
            case some([Right])
            init(from decoder: Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let word = try? c.decode(String.self), word == "all" { self = .all } else { self = .some(try c.decode([Right].self)) }
            }
            var rights: [Right] { if case let .some(list) = self { list } else { Right.allCases } }
        }
        struct Account: Decodable {
            let login: String, role: Role, description: String
            let company: String?, office: String?, companyAdmin: Bool?
            let rights: [String: Grant]?
        }
        struct Alert: Decodable {
            let level: AlertLevel, services: [OnlineService], modes: [TransmissionMode], publishedBy: String, title: String, description: String
        }
        struct Episode: Decodable {
            let exciseNumber: String, service: OnlineService, basis: EpisodeBasis, reference: String, reason: String, openedBy: String
        }
        let password: String
        let offices: [Office]
        let companies: [Company]
        let exciseNumbers: [Excise]
        let accounts: [Account]
        let alert: Alert
        let episode: Episode
        let announcement: String
    }

    static let url = Bundle.module.bundleURL.appendingPathComponent("Resources/Demo/demo-data.json")

    /// The data set shipped with the service (a packaging fault if it cannot be read).
    static let dataSet: DataSet = {
        do { return try JSONDecoder().decode(DataSet.self, from: Data(contentsOf: url)) } catch {
            fatalError("the demonstration data set \(url.path) cannot be read: \(error)")
        }
    }()

    static var password: String { dataSet.password }

    func fillIfEmpty() async throws {
        let store = OrganisationStore(db: app.db)
        guard try await store.isEmpty() else {
            app.logger.notice("demo data not added: the database already holds offices or companies")
            return
        }
        let set = Self.dataSet
        let hash = try await app.password.async.hash(set.password)

        var offices: [String: OfficeModel] = [:]
        for o in set.offices {
            let model = OfficeModel(code: o.code, name: o.name, email: o.email)
            try await store.create(model)
            offices[o.code] = model
        }
        var companies: [String: CompanyModel] = [:]
        for c in set.companies {
            let model = CompanyModel(siren: c.siren, name: c.name, address: c.address)
            try await store.create(model)
            companies[c.siren] = model
        }
        var excises: [String: ExciseNumberModel] = [:]
        for e in set.exciseNumbers {
            guard let company = companies[e.company], let office = offices[e.office] else { throw DataSetError(what: e.number) }
            let model = ExciseNumberModel(number: e.number, companyID: try company.requireID(), officeID: try office.requireID(), mode: e.mode)
            try await store.create(model)
            excises[e.number] = model
        }
        for a in set.accounts {
            // A CID account made by SECOURS_BOOTSTRAP_ADMIN under the same login is kept.
            if try await store.user(login: a.login) != nil { continue }
            let company = try a.company.map { try companies[$0] ?? { throw DataSetError(what: a.login) }() }
            let office = try a.office.map { try offices[$0] ?? { throw DataSetError(what: a.login) }() }
            let user = UserModel(login: a.login, email: "\(a.login)@exemple.invalid", passwordHash: hash, role: a.role,
                                 companyID: try company?.requireID(), officeID: try office?.requireID(), companyAdmin: a.companyAdmin ?? false)
            try await store.create(user)
            for (number, grant) in (a.rights ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let excise = excises[number] else { throw DataSetError(what: "\(a.login) → \(number)") }
                try await store.replaceRights(of: user.requireID(), on: excise.requireID(), with: grant.rights)
            }
        }

        // So that numbers can be generated at once (R-DIAG-2): a current alert and an open episode.
        let now = app.secours.now()
        let alert = AlertModel()
        alert.reference = DayReference.alert.make(day: ParisDay(now), ordinal: 1)
        alert.level = set.alert.level
        let coverage = AlertCoverage(services: set.alert.services, modes: set.alert.modes)
        alert.services = coverage.storedServices
        alert.modes = coverage.storedModes
        alert.title = set.alert.title
        alert.description = set.alert.description
        alert.startedAt = now
        alert.publishedAt = now
        alert.publishedBy = set.alert.publishedBy
        try await AlertStore(db: app.db).create(alert)

        let e = set.episode
        guard let excise = excises[e.exciseNumber] else { throw DataSetError(what: e.exciseNumber) }
        let episode = EpisodeModel()
        episode.id = UUID()
        episode.exciseNumber = e.exciseNumber
        episode.officeID = excise.$office.id
        episode.service = e.service
        episode.basis = e.basis
        episode.status = .open
        episode.reference = e.reference
        episode.reason = e.reason
        episode.requestedAt = now
        episode.startedAt = now
        episode.openedBy = e.openedBy
        try await EpisodeStore(db: app.db).create(episode, events: [
            EpisodeEventModel(episodeID: episode.id!, at: now, kind: EpisodeStart(basis: e.basis, declaredByOffice: false).event, actorType: .operator,
                              actorLogin: e.openedBy, details: Messages.Episodes.declared(basis: e.basis, reference: e.reference, reason: ""))])

        var lines = [set.announcement + set.password]
        for a in set.accounts { lines.append("  \(a.login.padding(toLength: 16, withPad: " ", startingAt: 0)) \(a.description)") }
        // Straight to standard output, unbuffered, so the logins show at once even when piped;
        // not when the logs are turned down to warnings (the tests).
        guard app.logger.logLevel <= .notice else { return }
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    struct DataSetError: Error, CustomStringConvertible {
        let what: String
        var description: String { "the demonstration data set names an unknown office, company or excise number (\(what))" }
    }
}
