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

/// One office, two companies with their excise numbers, and one account of each kind.
struct DemoData {
    let app: Application
    static let password = "secours-demo-2026"

    struct Account {
        let login: String
        let description: String
    }

    static let accounts: [Account] = [
        .init(login: "cid.admin", description: "Centre informatique douanier (administration)"),
        .init(login: "agent.bordeaux", description: "Agent du bureau de Bordeaux (FR000690)"),
        .init(login: "marie.laurent", description: "Opératrice, Château Les Graves (administratrice de la société)"),
        .init(login: "paul.martin", description: "Opérateur, Château Les Graves (DAA seulement)"),
        .init(login: "sophie.durand", description: "Opératrice, Distillerie de l'Estuaire"),
        .init(login: "edi.transvin", description: "Prestataire EDI de la Distillerie de l'Estuaire"),
    ]

    func fillIfEmpty() async throws {
        let store = OrganisationStore(db: app.db)
        guard try await store.isEmpty() else {
            app.logger.notice("demo data not added: the database already holds offices or companies")
            return
        }
        let hash = try await app.password.async.hash(Self.password)

        let bordeaux = OfficeModel(code: "FR000690", name: "Bureau de douane de Bordeaux", email: "bureau.bordeaux@douane.invalid")
        try await store.create(bordeaux)
        let graves = CompanyModel(siren: "732829320", name: "SCEA Château Les Graves", address: "12 chemin des Vignes, 33720 Podensac")
        let estuaire = CompanyModel(siren: "552100554", name: "Distillerie de l'Estuaire SAS", address: "3 quai des Chais, 33000 Bordeaux")
        try await store.create(graves)
        try await store.create(estuaire)
        let e1 = ExciseNumberModel(number: "FR007328E0001", companyID: try graves.requireID(), officeID: try bordeaux.requireID(), mode: .dti)
        let e2 = ExciseNumberModel(number: "FR007328E0002", companyID: try graves.requireID(), officeID: try bordeaux.requireID(), mode: .dtiPlus)
        let e3 = ExciseNumberModel(number: "FR009990F0005", companyID: try estuaire.requireID(), officeID: try bordeaux.requireID(), mode: .edi)
        for e in [e1, e2, e3] { try await store.create(e) }

        func user(_ login: String, _ role: Role, company: CompanyModel? = nil, office: OfficeModel? = nil, admin: Bool = false) async throws -> UserModel {
            let u = UserModel(login: login, email: "\(login)@exemple.invalid", passwordHash: hash, role: role,
                              companyID: try company?.requireID(), officeID: try office?.requireID(), companyAdmin: admin)
            try await store.create(u)
            return u
        }
        if try await store.user(login: "cid.admin") == nil {
            _ = try await user("cid.admin", .cid)
        }
        _ = try await user("agent.bordeaux", .officer, office: bordeaux)
        let marie = try await user("marie.laurent", .operator, company: graves, admin: true)
        let paul = try await user("paul.martin", .operator, company: graves)
        let sophie = try await user("sophie.durand", .operator, company: estuaire)
        let edi = try await user("edi.transvin", .edi)

        func grant(_ u: UserModel, _ e: ExciseNumberModel, _ rights: [Right]) async throws {
            try await store.replaceRights(of: u.requireID(), on: e.requireID(), with: rights)
        }
        try await grant(marie, e1, Right.allCases)
        try await grant(marie, e2, Right.allCases)
        try await grant(paul, e1, [.issueDAA, .searchDAA])
        try await grant(sophie, e3, Right.allCases)
        try await grant(edi, e3, [.issueDAA, .issueDSA, .searchDAA, .searchDSA])

        // So that numbers can be generated at once (R-DIAG-2): a demonstration alert on GAMMA in DTI
        // and DTI+, and for the EDI excise number an episode opened on a SAU diagnosis.
        let now = app.secours.now()
        let alert = AlertModel()
        alert.reference = DayReference.alert.make(day: ParisDay(now), ordinal: 1)
        alert.level = .red
        alert.services = OnlineService.gamma.rawValue
        alert.modes = [TransmissionMode.dti, .dtiPlus].map(\.rawValue).joined(separator: ",")
        alert.title = "Alerte de démonstration : GAMMA indisponible en DTI et DTI+"
        alert.description = "Alerte publiée avec les données de démonstration, pour que l'on puisse générer des numéros de secours. Le CID (cid.admin) peut la terminer sur cette page."
        alert.startedAt = now
        alert.publishedAt = now
        alert.publishedBy = "cid.admin"
        try await AlertStore(db: app.db).create(alert)
        let episode = EpisodeModel()
        episode.id = UUID()
        episode.exciseNumber = e3.number
        episode.officeID = try bordeaux.requireID()
        episode.service = .gamma
        episode.basis = .sauDiagnosis
        episode.status = .open
        episode.reference = "SAU-DEMO-0001"
        episode.reason = "Démonstration : le SAU a constaté une panne de GAMMA EDI."
        episode.requestedAt = now
        episode.startedAt = now
        episode.openedBy = "sophie.durand"
        try await EpisodeStore(db: app.db).create(episode, events: [
            EpisodeEventModel(episodeID: episode.id!, at: now, kind: .opened, actorType: .operator, actorLogin: "sophie.durand",
                              details: Messages.Episodes.declared(basis: .sauDiagnosis, reference: "SAU-DEMO-0001", reason: ""))])

        var lines = ["Données de démonstration créées. Mot de passe de tous les comptes : \(Self.password)"]
        for a in Self.accounts { lines.append("  \(a.login.padding(toLength: 16, withPad: " ", startingAt: 0)) \(a.description)") }
        // Straight to standard output, unbuffered, so the logins show at once even when piped;
        // not when the logs are turned down to warnings (the tests).
        guard app.logger.logLevel <= .notice else { return }
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
