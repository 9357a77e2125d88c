import Fluent
import SecoursCore
import Vapor

/// The pages "Enregistrer", "Suivre mes procédures de secours", "Rechercher", and the actions of
/// the document page (annuler, réactiver, réintégrer).
struct LifecycleWebController {
    // MARK: Enregistrer

    struct RegisterContent: Encodable {
        let number: String
        let types: [Option]
        let exciseNumbers: [Option]
        let transport: String
        let dispatchDate: String
        let dispatchTime: String
        let errors: [String: String]
        let summary: String?
        /// The document already holding the number, when the principal may see it.
        var known: String? = nil
        /// The refused fields, each linked from the summary at the top of the form.
        var errorLinks: [FormErrorLink] = []
        /// R-NUM-9: the number leaves many numbers unused: the box to confirm it is shown.
        var askJump = false
    }

    func registerForm(req: Request) async throws -> View {
        try await renderRegister(req, RegistrationRequest(number: nil, type: nil, exciseNumber: nil, transport: nil, dispatchDate: nil, dispatchTime: nil), nil)
    }

    func register(req: Request) async throws -> Response {
        let values = try req.content.decode(RegistrationRequest.self)
        let now = req.application.secours.now()
        return try await req.submitForm({
            let doc = try await DocumentService(req).register(try values.validate(now: now), now: now)
            return req.redirect(to: DocumentsWebController.done(doc.number, .registered), redirectType: .normal)
        }, rerender: { e in
            try await renderRegister(req, values, e)
        })
    }

    private func renderRegister(_ req: Request, _ v: RegistrationRequest, _ error: SecoursError?) async throws -> View {
        let excises = try await Scope(db: req.db, principal: req.principal()).issuableExciseNumbers().map(\.model.number).map { n in
            Option(value: n, label: n, selected: n == v.exciseNumber.map(TypedNumber.key))
        }
        let type = v.type.flatMap { DocumentType(code: $0) }
        let errors = error?.messagesByField ?? [:]
        let content = RegisterContent(
            number: v.number ?? "", types: DocumentType.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == type) },
            exciseNumbers: excises, transport: v.transport ?? "", dispatchDate: v.dispatchDate ?? "", dispatchTime: v.dispatchTime ?? "",
            errors: errors, summary: error.map { $0.fields.isEmpty ? $0.message : Messages.Documents.notRegistered })
        var shown = content
        shown.errorLinks = FormErrorLink.list(error, anchors: DocumentsWebController.fieldAnchors())
        shown.askJump = error?.code == "sequence_jump_unconfirmed"
        if error?.code == "number_already_known", let number = v.number,
           let known = try? await DocumentService(req).find(number) {
            shown.known = SiteURL.document(known.number).path
        }
        return try await req.view.render("register", Page(req, title: Messages.Documents.registerTitle, content: shown))
    }

    // MARK: Rechercher, Suivre

    struct Row: Encodable {
        let number: String
        let type: String
        let exciseNumber: String
        let transport: String
        let dispatch: String
        let registeredAt: String
        let statusLabel: String
        let status: String
        let link: String

        init(_ d: DocumentDTO) {
            number = d.number
            type = d.type
            exciseNumber = d.exciseNumber
            transport = d.transport
            dispatch = (ParisDay(text: d.dispatchDate)?.french ?? d.dispatchDate) + " " + d.dispatchTime
            registeredAt = ParisCalendar.display(d.registeredAt)
            status = d.status
            statusLabel = Status(rawValue: d.status)?.label ?? d.status
            link = SiteURL.document(d.number).path
        }
    }

    struct CriterionField: Encodable {
        let name: String
        let label: String
        let operators: [Option]
        let choices: [Option]?
        let value: String
        let isDate: Bool
        /// The only comparator, when there is no choice (« égal à »): sent, not offered.
        let only: String?
        /// Behind « Plus de critères ».
        let advanced: Bool
    }

    /// The criteria shown first; the others wait behind « Plus de critères ».
    static let mainCriteria: Set<SearchQuery.Field> = [.number, .exciseNumber, .transport, .dispatchDate, .status]

    struct Results: Encodable {
        let rows: [Row]
        let total: String
        let page: Int
        let pages: Int
        let previous: String?
        let next: String?
        let csv: String
    }

    struct SearchContent: Encodable {
        let fields: [CriterionField]
        let results: Results?
        let error: String?
        var advancedOpen = false
    }

    func search(req: Request) async throws -> Response {
        let pairs = req.queryPairs
        var fields: [CriterionField] = []
        for field in SearchQuery.Field.allCases {
            let raw = pairs.first { $0.name == field.rawValue }?.value ?? ""
            let op = pairs.first { $0.name == "_op_" + field.rawValue }?.value ?? "eq"
            fields.append(CriterionField(
                name: field.rawValue, label: field.label,
                operators: field.operators.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == op) },
                choices: field.choices.map { $0.map { Option(value: $0.code, label: $0.label, selected: $0.code == raw) } },
                value: raw, isDate: field == .dispatchDate || field == .registrationDate,
                only: field.operators.count == 1 ? field.operators.first?.rawValue : nil,
                advanced: !Self.mainCriteria.contains(field)))
        }
        let advancedOpen = fields.contains { $0.advanced && !$0.value.isEmpty }
        // The form sends each comparator apart (`_op_field`); fold them into `field=op:value`.
        let folded = pairs.filter { !$0.name.hasPrefix("_op_") }.map { pair -> (name: String, value: String) in
            guard SearchQuery.Field(rawValue: pair.name) != nil, !pair.value.isEmpty, !pair.value.contains(":"),
                  let op = pairs.first(where: { $0.name == "_op_" + pair.name })?.value else { return pair }
            return (pair.name, op + ":" + pair.value)
        }
        // « Exporter en CSV »: the same search, as a file, for the signed-in user (the API's
        // export takes bearer tokens only).
        if folded.contains(where: { $0.name == "format" && $0.value.lowercased() == "csv" }) {
            let q = try SearchQuery.parse(folded.filter { $0.name != "_go" })
            if q.format == .csv { return try await Self.csv(req, q) }
        }
        let submitted = pairs.contains { $0.name == "_go" } || pairs.contains { SearchQuery.Field(rawValue: $0.name) != nil && !$0.value.isEmpty }
        var results: Results?
        var error: String?
        var status = HTTPResponseStatus.ok
        if submitted {
            do {
                let q = try SearchQuery.parse(folded)
                results = try await self.results(req, q, base: SiteURL.search.path, pairs: folded)
            } catch let e as SecoursError where e.kind == .invalid {
                error = e.summary
                status = .unprocessableEntity
            }
        }
        let view = try await req.view.render("search", Page(req, title: "Rechercher", content: SearchContent(fields: fields, results: results, error: error, advancedOpen: advancedOpen)))
        let response = try await view.encodeResponse(for: req)
        response.status = status
        return response
    }

    struct FollowContent: Encodable {
        let exciseNumbers: [Option]
        let results: Results?
    }

    func follow(req: Request) async throws -> Response {
        let p = try req.principal()
        let visible = try await Scope(db: req.db, principal: p).visibleExciseNumbers().map(\.model.number)
        let chosen = (req.queryPairs.first { $0.name == "exciseNumber" }?.value ?? visible.first ?? "").uppercased()
        var results: Results?
        if visible.contains(chosen) {
            var q = try SearchQuery.parse(req.queryPairs.filter { $0.name == "page" || $0.name == "format" })
            q.criteria = [try SearchQuery.criterion(.exciseNumber, chosen)]
            if q.format == .csv { return try await Self.csv(req, q) }
            results = try await self.results(req, q, base: SiteURL.follow.path, pairs: [("exciseNumber", chosen)])
        }
        let options = visible.map { Option(value: $0, label: $0, selected: $0 == chosen) }
        return try await req.view.render("follow", Page(req, title: Messages.Documents.followTitle, content: FollowContent(exciseNumbers: options, results: results)))
            .encodeResponse(for: req)
    }

    private static func csv(_ req: Request, _ q: SearchQuery) async throws -> Response {
        DocumentCSV.response(DocumentCSV.render(try await DocumentSearch(db: req.db, principal: req.principal()).all(q)), filename: "documents-secours.csv")
    }

    private func results(_ req: Request, _ q: SearchQuery, base: String, pairs: [(name: String, value: String)]) async throws -> Results {
        let page = try await DocumentSearch(db: req.db, principal: req.principal()).run(q)
        let pages = max(1, (min(page.total, DocumentSearch.countLimit) + q.perPage - 1) / q.perPage) + (page.totalCapped ? 1 : 0)
        func link(_ n: Int) -> String {
            let kept = pairs.filter { $0.name != "page" && !$0.value.isEmpty } + [("page", String(n))]
            return base + "?" + kept.map { "\(escape($0.name))=\(escape($0.value))" }.joined(separator: "&")
        }
        let csvPairs = pairs.filter { $0.name != "page" && !$0.value.isEmpty && $0.name != "_go" }
        let csvQuery = (base == SiteURL.follow.path ? [("exciseNumber", q.criteria.first?.value ?? "")] : csvPairs) + [("format", "csv")]
        let total = page.totalCapped ? "Plus de \(DocumentSearch.countLimit)" : String(page.total)
        return Results(rows: page.items.map(Row.init), total: total, page: q.page, pages: pages,
                       previous: q.page > 1 ? link(q.page - 1) : nil, next: q.page < pages ? link(q.page + 1) : nil,
                       csv: base + "?" + csvQuery.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&"))
    }

    private func escape(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    // MARK: Actions of the document page

    func cancel(req: Request) async throws -> Response { try await move(req, .cancel) }
    func reactivate(req: Request) async throws -> Response { try await move(req, .reactivate) }
    func reintegrate(req: Request) async throws -> Response { try await move(req, .reintegrate) }

    private func move(_ req: Request, _ move: StatusMove) async throws -> Response {
        let number = try req.parameters.require("number")
        return try await req.submitForm({
            let doc = try await DocumentService(req).move(number, move, req.content.decode(MoveInput.self), state: req.application.secours)
            return req.redirect(to: DocumentsWebController.done(doc.number, .moved(move)), redirectType: .normal)
        }, rerender: { e in
            // The refused form stays open with what was typed.
            try await DocumentsWebController().renderDetail(req, number: number, error: e,
                                                           kept: .init(move: move.rawValue, input: try? req.content.decode(MoveInput.self)))
        })
    }
}
