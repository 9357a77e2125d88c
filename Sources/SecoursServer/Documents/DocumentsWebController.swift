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
        let outage: OutageBanner?
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
                      rights: p.role.holdsRights ? e.rights.sorted().map(\.label) : [Messages.Documents.allRights(role: p.role.label)],
                      canIssue: !scope.issuableTypes(e).isEmpty)
        }
        return try await req.view.render("home", Page(req, title: Messages.Documents.homeTitle,
                                                      content: HomeContent(exciseNumbers: rows, canGenerate: rows.contains { $0.canIssue },
                                                                           blankForms: Self.blankForms,
                                                                           outage: try await OutageBanner.current(req))))
    }

    struct GenerateContent: Encodable {
        let types: [Option]
        let exciseNumbers: [Option]
        let transport: String
        let dispatchDate: String
        let dispatchTime: String
        /// The time the form was prefilled with: left as it is, it means « now » (`keepingDefaultTime`).
        let defaultTime: String?
        let errors: [String: String]
        let summary: String?
        /// The refused fields, each linked from the summary at the top of the form.
        let errorLinks: [FormErrorLink]
        /// Where to go when nothing covers the generation: the diagnosis, as a button.
        let diagnose: String?
        /// An active number already made for the same movement, and the way to confirm a second.
        let sameMovement: SameMovement?
        let today: String
        let latest: String
        let typesLimited: Bool
    }

    struct SameMovement: Encodable {
        let number: String
        let url: String
    }

    /// The first control of each field of the generation and registration forms (the type's
    /// radio buttons are `type-DAE`, `type-DSA`: the first one offered).
    static func fieldAnchors(firstType: DocumentType = .dae) -> [String: String] {
        ["type": "type-\(firstType.rawValue)", "exciseNumber": "exciseNumber", "transport": "transport",
         "dispatchDate": "dispatchDate", "dispatchTime": "dispatchTime", "number": "number"]
    }

    struct GenerateExtras: Content {
        /// The prefilled time the form was shown with.
        let _defaultTime: String?
        /// « Générer quand même un second numéro », after the same-movement warning.
        let _confirmSecond: String?
    }

    func generateForm(req: Request) async throws -> View {
        let now = req.application.secours.now()
        return try await renderForm(req, values: GenerationRequest(type: nil, exciseNumber: nil, transport: nil,
                                                                  dispatchDate: ParisDay(now).iso, dispatchTime: ParisTime(now).text),
                                    defaultTime: ParisTime(now).text, error: nil, now: now)
    }

    func generate(req: Request) async throws -> Response {
        let now = req.application.secours.now()
        let extras = try? req.content.decode(GenerateExtras.self)
        let sent = try req.content.decode(GenerationRequest.self)
        let values = sent.keepingDefaultTime(extras?._defaultTime, now: now)
        // Left as prefilled, the time keeps following the clock on the form shown again.
        let defaultTime = extras?._defaultTime != nil && sent.dispatchTime == extras?._defaultTime ? values.dispatchTime : extras?._defaultTime
        var earlier: DocumentModel?
        return try await req.submitForm({
            let valid = try values.validate(now: now)
            if extras?._confirmSecond != "1" {
                earlier = try await sameMovement(req, valid)
                if let earlier { throw SecoursError(kind: .conflict, code: "same_movement", message: Messages.Documents.sameMovement(earlier.number)) }
            }
            let doc = try await DocumentService(req).generate(valid, now: now)
            return req.redirect(to: SiteURL.summary(doc.number).path, redirectType: .normal)
        }, rerender: { e in
            try await renderForm(req, values: values, defaultTime: defaultTime, error: e, now: now,
                                 sameMovement: e.code == "same_movement" ? earlier : nil)
        })
    }

    /// An active number of the principal's own excise numbers for the same vehicle, type and
    /// dispatch moment, if any (only on excise numbers the principal may issue on: nothing is
    /// learnt of anyone else's).
    private func sameMovement(_ req: Request, _ valid: GenerationRequest.Valid) async throws -> DocumentModel? {
        let p = try req.principal()
        let issuable = try await Scope(db: req.db, principal: p).issuableExciseNumbers()
        guard issuable.contains(where: { $0.model.number == valid.exciseNumber.value }) else { return nil }
        return try await DocumentStore(db: req.db).active(exciseNumber: valid.exciseNumber.value, type: valid.type, dispatch: valid.dispatch)
            .first { TransportIdentification.sameVehicle($0.transport, valid.transport) }
    }

    private func renderForm(_ req: Request, values: GenerationRequest, defaultTime: String?, error: SecoursError?, now: Date,
                            sameMovement earlier: DocumentModel? = nil) async throws -> View {
        let p = try req.principal()
        let scope = Scope(db: req.db, principal: p)
        let list = try await scope.issuableExciseNumbers()
        // Only the types some excise number of the account may issue (an account without the DSA
        // right is not offered the DSA, to be refused after submitting).
        let issuable = Set(list.flatMap { scope.issuableTypes($0) })
        let offered = DocumentType.allCases.filter { issuable.contains($0) }
        let selectedType = values.type.flatMap { DocumentType(code: $0) } ?? (offered.count == 1 ? offered.first : nil)
        let types = offered.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == selectedType) }
        let chosen = values.exciseNumber.map(TypedNumber.key)
        let excises = list.map { e in
            Option(value: e.model.number, label: "\(e.model.number) (\(e.model.mode.rawValue))",
                   selected: e.model.number == chosen || list.count == 1)
        }
        let errors = error?.messagesByField ?? [:]
        let summary = error.map { e in e.fields.isEmpty ? e.message : Messages.Documents.notGenerated }
        let links = FormErrorLink.list(error, anchors: Self.fieldAnchors(firstType: offered.first ?? .dae))
        let content = GenerateContent(types: types, exciseNumbers: excises, transport: values.transport ?? "",
                                      dispatchDate: values.dispatchDate ?? "", dispatchTime: values.dispatchTime ?? "",
                                      defaultTime: defaultTime, errors: errors, summary: summary, errorLinks: links,
                                      diagnose: error?.code == "fallback_not_open" ? SiteURL.diagnosis("gamma").path : nil,
                                      sameMovement: earlier.map { SameMovement(number: $0.number, url: SiteURL.document($0.number).path) },
                                      today: ParisDay(now).iso,
                                      latest: ParisDay(now.addingTimeInterval(Double(GenerationRequest.maxDaysAhead) * 86_400)).iso,
                                      typesLimited: offered.count < DocumentType.allCases.count)
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
        /// What was just done (`?fait=`), said at the top of the page.
        var done: String? = nil
        /// What to do next with a document in this status.
        var next: String? = nil
        /// A refused move's form, open again with what was typed.
        var kept: KeptMove? = nil
        /// The refused move's fields, each linked to its place in that move's form.
        var errorLinks: [FormErrorLink] = []
        /// The summary's next steps.
        var steps: SummarySteps? = nil
    }

    struct KeptMove: Encodable {
        let move: String
        let input: MoveInput?
    }

    struct SummarySteps: Encodable {
        let inactivationDays: Int
    }

    enum Done: String {
        case registered = "enregistre", cancelled = "annule", reactivated = "reactive", reintegrated = "reintegre", inactivated = "inactive"

        static func moved(_ move: StatusMove) -> Done {
            switch move {
            case .cancel: .cancelled
            case .reactivate: .reactivated
            case .reintegrate: .reintegrated
            case .inactivate: .inactivated
            }
        }

        var message: String {
            switch self {
            case .registered: Messages.Documents.doneRegistered
            case .cancelled: Messages.Documents.doneCancelled
            case .reactivated: Messages.Documents.doneReactivated
            case .reintegrated: Messages.Documents.doneReintegrated
            case .inactivated: Messages.Documents.doneInactivated
            }
        }
    }

    /// The document page, saying what was just done.
    static func done(_ number: String, _ what: Done) -> String {
        SiteURL.document(number).path + "?fait=" + what.rawValue
    }

    func summary(req: Request) async throws -> View {
        let doc = try await DocumentService(req).find(req.parameters.require("number"))
        var content = DocumentContent(document: DocumentView(doc), history: [], actions: nil, error: nil)
        content.steps = SummarySteps(inactivationDays: req.application.secours.settings.inactivationDays)
        return try await req.view.render("summary", Page(req, title: Messages.Documents.summaryTitle, content: content))
    }

    func detail(req: Request) async throws -> View {
        try await renderDetail(req, number: req.parameters.require("number"), error: nil, kept: nil)
    }

    /// Where each field of a move's form sits on the document page (three forms share names).
    static func moveFieldAnchors(_ move: String?) -> [String: String] {
        switch move.flatMap(StatusMove.init(rawValue:)) {
        case .cancel: ["reason": "cancel-reason", "comment": "cancel-comment"]
        case .reactivate: ["reason": "reactivation-reason", "comment": "reactivation-comment"]
        case .reintegrate: ["arc": "arc"]
        case .inactivate, nil: [:]
        }
    }

    /// The document page, with the moves the principal may make from its current status.
    func renderDetail(_ req: Request, number: String, error: SecoursError?, kept: KeptMove?) async throws -> View {
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
        var content = DocumentContent(document: DocumentView(doc), history: history, actions: actions, error: message)
        content.done = error == nil ? req.query[String.self, at: "fait"].flatMap(Done.init(rawValue:))?.message : nil
        content.next = Messages.Documents.nextStep(doc.status, canReintegrate: actions.reintegrate != nil, canReactivate: actions.reactivate != nil)
        content.kept = kept
        content.errorLinks = FormErrorLink.list(error, anchors: Self.moveFieldAnchors(kept?.move))
        return try await req.view.render("document", Page(req, title: Messages.Documents.documentTitle(doc.number), content: content))
    }
}
