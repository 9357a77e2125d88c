import Fluent
import SecoursCore
import Vapor

/// The GPS pages: home, "Générer un numéro", summary and document detail.
struct DocumentsWebController {
    struct ExciseRow: Encodable {
        let number: String
        let mode: String
        let office: String
        let rights: [String]
        let canIssue: Bool
    }

    struct HomeContent: Encodable {
        let exciseNumbers: [ExciseRow]
        let canGenerate: Bool
        let blankForms: [Option]
    }

    /// The blank forms to download (R-GPS-10).
    static let blankForms: [Option] = [
        Option(value: SiteURL.blankForm(.dae, gamma2: false).path, label: "DAA / DAE — GAMMA", selected: false),
        Option(value: SiteURL.blankForm(.dsa, gamma2: false).path, label: "DSA — GAMMA", selected: false),
        Option(value: SiteURL.blankForm(.dae, gamma2: true).path, label: "DAE — GAMMA 2 (LRN de secours)", selected: false),
        Option(value: SiteURL.blankForm(.dsa, gamma2: true).path, label: "DSA — GAMMA 2 (LRN de secours)", selected: false),
    ]

    func home(req: Request) async throws -> View {
        let p = try req.principal()
        let scope = Scope(db: req.db, principal: p)
        let list = try await scope.visibleExciseNumbers()
        let offices = try await OrganisationStore(db: req.db).officesByID().mapValues { "\($0.code) – \($0.name)" }
        let rows = list.map { e in
            ExciseRow(number: e.model.number, mode: e.model.mode.rawValue, office: offices[e.model.$office.id] ?? "",
                      rights: p.role.holdsRights ? e.rights.sorted().map(\.label) : ["Tous (\(p.role.label))"],
                      canIssue: !scope.issuableTypes(e).isEmpty)
        }
        return try await req.view.render("home", Page(req, title: "Accueil GPS",
                                                      content: HomeContent(exciseNumbers: rows, canGenerate: rows.contains { $0.canIssue },
                                                                           blankForms: Self.blankForms)))
    }

    struct GenerateContent: Encodable {
        let types: [Option]
        let exciseNumbers: [Option]
        let transport: String
        let dispatchDate: String
        let dispatchTime: String
        let errors: [String: String]
        let summary: String?
        /// Where to go when nothing covers the generation: the diagnosis, as a button.
        let diagnose: String?
        let today: String
    }

    func generateForm(req: Request) async throws -> View {
        let now = req.application.secours.now()
        return try await renderForm(req, values: GenerationRequest(type: nil, exciseNumber: nil, transport: nil,
                                                                  dispatchDate: ParisDay(now).iso, dispatchTime: ParisTime(now).text),
                                    error: nil)
    }

    func generate(req: Request) async throws -> Response {
        let values = try req.content.decode(GenerationRequest.self)
        let now = req.application.secours.now()
        return try await req.submitForm({
            let valid = try values.validate(now: now)
            let doc = try await DocumentService(req).generate(valid, now: now)
            return req.redirect(to: SiteURL.summary(doc.number).path, redirectType: .normal)
        }, rerender: { e in
            try await renderForm(req, values: values, error: e)
        })
    }

    private func renderForm(_ req: Request, values: GenerationRequest, error: SecoursError?) async throws -> View {
        let p = try req.principal()
        let list = try await Scope(db: req.db, principal: p).issuableExciseNumbers()
        let selectedType = values.type.flatMap { DocumentType(code: $0) }
        let types = DocumentType.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == selectedType) }
        let chosen = values.exciseNumber.map(TypedNumber.key)
        let excises = list.map { e in
            Option(value: e.model.number, label: "\(e.model.number) (\(e.model.mode.rawValue))",
                   selected: e.model.number == chosen || list.count == 1)
        }
        let errors = error?.messagesByField ?? [:]
        let summary = error.map { e in e.fields.isEmpty ? e.message : Messages.Documents.notGenerated }
        let content = GenerateContent(types: types, exciseNumbers: excises, transport: values.transport ?? "",
                                      dispatchDate: values.dispatchDate ?? "", dispatchTime: values.dispatchTime ?? "",
                                      errors: errors, summary: summary,
                                      diagnose: error?.code == "fallback_not_open" ? SiteURL.diagnosis("gamma").path : nil,
                                      today: ParisDay(req.application.secours.now()).iso)
        return try await req.view.render("generate", Page(req, title: Messages.Documents.generateTitle, content: content))
    }

    struct Actions: Encodable {
        let cancel: String?
        let reactivate: String?
        let reintegrate: String?
        let cancellationReasons: [Option]
        let reactivationReasons: [Option]
    }

    struct DocumentContent: Encodable {
        let document: DocumentView
        let history: [HistoryView]
        let actions: Actions?
        let error: String?
    }

    func summary(req: Request) async throws -> View {
        let doc = try await DocumentService(req).find(req.parameters.require("number"))
        return try await req.view.render("summary", Page(req, title: Messages.Documents.summaryTitle,
                                                        content: DocumentContent(document: DocumentView(doc), history: [], actions: nil, error: nil)))
    }

    func detail(req: Request) async throws -> View {
        try await renderDetail(req, number: req.parameters.require("number"), error: nil)
    }

    /// The document page, with the moves the principal may make from its current status.
    func renderDetail(_ req: Request, number: String, error: SecoursError?) async throws -> View {
        let service = try DocumentService(req)
        let (doc, type, facts) = try await service.findWithFacts(number)
        let history = try await service.history(of: doc).map(HistoryView.init)
        let allowed = Set(StatusMove.allCases.filter { (try? doc.status.applying($0)) != nil && Access.allows($0, of: type, facts) })
        let actions = Actions(
            cancel: allowed.contains(.cancel) ? SiteURL.move(doc.number, .cancel).path : nil,
            reactivate: allowed.contains(.reactivate) ? SiteURL.move(doc.number, .reactivate).path : nil,
            reintegrate: allowed.contains(.reintegrate) ? SiteURL.move(doc.number, .reintegrate).path : nil,
            cancellationReasons: CancellationReason.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) },
            reactivationReasons: ReactivationReason.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) })
        let message = error?.summary
        return try await req.view.render("document", Page(req, title: "Document \(doc.number)",
                                                         content: DocumentContent(document: DocumentView(doc), history: history, actions: actions, error: message)))
    }
}
