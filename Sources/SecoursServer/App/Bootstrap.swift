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
        let hasCID = try await UserModel.query(on: app.db).filter(\.$role == Role.cid.rawValue).first() != nil
        guard !hasCID else { return }
        let login = try AccountRules.login(login)
        let password = try AccountRules.password(password, login: login)
        let hash = try await app.password.async.hash(password)
        try await UserModel(login: login, email: "\(login)@cid.invalid", passwordHash: hash, role: Role.cid.rawValue,
                            companyID: nil, officeID: nil, companyAdmin: false).create(on: app.db)
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
        let db = app.db
        let offices = try await OfficeModel.query(on: db).count()
        let companies = try await CompanyModel.query(on: db).count()
        guard offices == 0, companies == 0 else {
            app.logger.notice("demo data not added: the database already holds offices or companies")
            return
        }
        let hash = try await app.password.async.hash(Self.password)

        let bordeaux = OfficeModel(code: "FR000690", name: "Bureau de douane de Bordeaux", email: "bureau.bordeaux@douane.invalid")
        try await bordeaux.create(on: db)
        let graves = CompanyModel(siren: "732829320", name: "SCEA Château Les Graves", address: "12 chemin des Vignes, 33720 Podensac")
        let estuaire = CompanyModel(siren: "552100554", name: "Distillerie de l'Estuaire SAS", address: "3 quai des Chais, 33000 Bordeaux")
        try await graves.create(on: db)
        try await estuaire.create(on: db)
        let e1 = ExciseNumberModel(number: "FR007328E0001", companyID: try graves.requireID(), officeID: try bordeaux.requireID(), mode: TransmissionMode.dti.rawValue)
        let e2 = ExciseNumberModel(number: "FR007328E0002", companyID: try graves.requireID(), officeID: try bordeaux.requireID(), mode: TransmissionMode.dtiPlus.rawValue)
        let e3 = ExciseNumberModel(number: "FR009990F0005", companyID: try estuaire.requireID(), officeID: try bordeaux.requireID(), mode: TransmissionMode.edi.rawValue)
        for e in [e1, e2, e3] { try await e.create(on: db) }

        func user(_ login: String, _ role: Role, company: CompanyModel? = nil, office: OfficeModel? = nil, admin: Bool = false) async throws -> UserModel {
            let u = UserModel(login: login, email: "\(login)@exemple.invalid", passwordHash: hash, role: role.rawValue,
                              companyID: try company?.requireID(), officeID: try office?.requireID(), companyAdmin: admin)
            try await u.create(on: db)
            return u
        }
        if try await UserModel.query(on: db).filter(\.$login == "cid.admin").first() == nil {
            _ = try await user("cid.admin", .cid)
        }
        _ = try await user("agent.bordeaux", .officer, office: bordeaux)
        let marie = try await user("marie.laurent", .operator, company: graves, admin: true)
        let paul = try await user("paul.martin", .operator, company: graves)
        let sophie = try await user("sophie.durand", .operator, company: estuaire)
        let edi = try await user("edi.transvin", .edi)

        func grant(_ u: UserModel, _ e: ExciseNumberModel, _ rights: [Right]) async throws {
            for r in rights { try await RightModel(userID: try u.requireID(), exciseNumberID: try e.requireID(), right: r.rawValue).create(on: db) }
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
        alert.level = AlertLevel.red.rawValue
        alert.services = OnlineService.gamma.rawValue
        alert.modes = [TransmissionMode.dti, .dtiPlus].map(\.rawValue).joined(separator: ",")
        alert.title = "Alerte de démonstration : GAMMA indisponible en DTI et DTI+"
        alert.description = "Alerte publiée avec les données de démonstration, pour que l'on puisse générer des numéros de secours. Le CID (cid.admin) peut la terminer sur cette page."
        alert.startedAt = now
        alert.publishedAt = now
        alert.publishedBy = "cid.admin"
        try await alert.create(on: db)
        let episode = EpisodeModel()
        episode.id = UUID()
        episode.exciseNumber = e3.number
        episode.officeID = try bordeaux.requireID()
        episode.service = OnlineService.gamma.rawValue
        episode.basis = EpisodeBasis.sauDiagnosis.rawValue
        episode.status = EpisodeStatus.open.rawValue
        episode.reference = "SAU-DEMO-0001"
        episode.reason = "Démonstration : le SAU a constaté une panne de GAMMA EDI."
        episode.requestedAt = now
        episode.startedAt = now
        episode.openedBy = "sophie.durand"
        try await episode.create(on: db)
        try await EpisodeEventModel(episodeID: episode.id!, at: now, kind: .opened, actorType: ActorType.operator.rawValue, actorLogin: "sophie.durand",
                                    details: "Diagnostic du SAU — référence SAU-DEMO-0001").create(on: db)

        var lines = ["Données de démonstration créées. Mot de passe de tous les comptes : \(Self.password)"]
        for a in Self.accounts { lines.append("  \(a.login.padding(toLength: 16, withPad: " ", startingAt: 0)) \(a.description)") }
        // Straight to standard output, unbuffered, so the logins show at once even when piped;
        // not when the logs are turned down to warnings (the tests).
        guard app.logger.logLevel <= .notice else { return }
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
