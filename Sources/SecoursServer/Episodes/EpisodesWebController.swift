import Foundation
import SecoursCore
import Vapor

/// « Mes épisodes de secours »: the list in scope, the declaration or request form (reached from
/// the diagnosis' conclusion), and each episode's page with its evidence log and actions.
struct EpisodesWebController {
    struct Row: Encodable {
        let url: String
        let exciseNumber: String
        let service: String
        let basis: String
        let status: String
        let statusLabel: String
        let requested: String
        let deadline: String?
        let minutesLeft: Int?
    }

    struct ListContent: Encodable {
        let rows: [Row]
        let canDeclare: Bool
        let exciseNumbers: [Option]
        let bases: [Option]
        let services: [Option]
        let values: [String: String]
        let errors: [String: String]
        let action: String
    }

    static func row(_ e: EpisodeModel, now: Date) -> Row {
        Row(url: SiteURL.episode(e.id!).path, exciseNumber: e.exciseNumber, service: e.service.label,
            basis: e.basis.label, status: e.status.rawValue, statusLabel: e.status.label,
            requested: ParisCalendar.display(e.requestedAt), deadline: e.status == .requested ? e.deadline.map(ParisCalendar.display) : nil,
            minutesLeft: e.status == .requested ? e.deadline.map { max(0, Int(($0.timeIntervalSince(now) / 60).rounded(.up))) } : nil)
    }

    func list(req: Request) async throws -> View {
        let q = EpisodeRequest(exciseNumber: req.query[String.self, at: "exciseNumber"], service: req.query[String.self, at: "service"],
                               basis: req.query[String.self, at: "basis"], reference: req.query[String.self, at: "reference"], reason: nil)
        return try await renderList(req, q, error: nil)
    }

    func renderList(_ req: Request, _ v: EpisodeRequest, error: SecoursError?) async throws -> View {
        let service = try EpisodeService(req)
        let now = req.application.secours.now()
        let episodes = try await service.list(now: now)
        let principal = try req.principal()
        let excises = Access.reach(principal.role) == .everything ? [] : try await service.scope.issuableExciseNumbers().map(\.model.number)
        let errors = error?.formMessages ?? [:]
        let content = ListContent(
            rows: episodes.map { Self.row($0, now: now) }, canDeclare: !excises.isEmpty,
            exciseNumbers: excises.map { Option(value: $0, label: $0, selected: $0 == v.exciseNumber?.uppercased()) },
            bases: EpisodeRequest.declarable.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == (v.basis ?? EpisodeBasis.officeAuthorisation.rawValue)) },
            services: OnlineService.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == (v.service?.uppercased() ?? OnlineService.gamma.rawValue)) },
            values: ["reference": v.reference ?? "", "reason": v.reason ?? ""], errors: errors, action: SiteURL.episodes.path)
        return try await req.view.render("episodes", Page(req, title: Messages.Episodes.listTitle, content: content))
    }

    func create(req: Request) async throws -> Response {
        let form = try req.content.decode(EpisodeRequest.self)
        return try await req.submitForm({
            let e = try await EpisodeService(req).create(try form.validate(), now: req.application.secours.now())
            return req.redirect(to: SiteURL.episode(e.id!).path, redirectType: .normal)
        }, rerender: { e in
            try await renderList(req, form, error: e)
        })
    }

    struct EventView: Encodable {
        let at: String
        let kind: String
        let actor: String
        let details: String
    }

    struct DetailContent: Encodable {
        let episode: Row
        let reference: String?
        let reason: String
        let started: String?
        let ended: String?
        let openedBy: String
        let events: [EventView]
        let canAct: Bool
        let canDecide: Bool
        let error: String?
        /// The refused form's fields, each linked to its place.
        let errorLinks: [FormErrorLink]
        let evidenceAction: String
        let endAction: String
        let decisionAction: String
        /// Numbers generated under the episode, newest first.
        let documents: [OfficeConsoleController.DocumentRow]
        let live: String
        let liveSince: Int64
        /// The decision form as it was sent, when it was refused.
        var kept: DecisionForm? = nil
    }

    func detail(req: Request) async throws -> View {
        try await renderDetail(req, error: nil)
    }

    func renderDetail(_ req: Request, error: SecoursError?) async throws -> View {
        let service = try EpisodeService(req)
        let now = req.application.secours.now()
        let e = try await service.find(req.parameters.require("id"), now: now)
        let p = try req.principal()
        let active = e.status.isActive
        let mayAct = Access.allows(.actOnEpisode(sameOffice: p.officeID == e.officeID), p.actor)
        let events = try await service.events(of: e).map { ev in
            EventView(at: ParisCalendar.display(ev.at), kind: ev.kind.label,
                      actor: "\(ev.actorType.label) (\(ev.actorLogin))", details: ev.details)
        }
        let rule = InactivationRule(days: req.application.secours.settings.inactivationDays)
        let documents = try await service.documents(of: e, limit: 100).map { OfficeConsoleController.row($0, rule: rule, now: now) }
        var content = DetailContent(
            episode: Self.row(e, now: now), reference: e.reference, reason: e.reason, started: e.startedAt.map(ParisCalendar.display),
            ended: e.endedAt.map(ParisCalendar.display), openedBy: e.openedBy, events: events, canAct: mayAct && active,
            canDecide: Access.allows(.decideEpisode(sameOffice: p.officeID == e.officeID), p.actor) && e.status == .requested,
            error: error?.summary, errorLinks: FormErrorLink.list(error, anchors: Self.fieldAnchors(posted: req.url.path, episode: e.id!)),
            evidenceAction: SiteURL.episodeAction(e.id!, .evidence).path, endAction: SiteURL.episodeAction(e.id!, .end).path,
            decisionAction: SiteURL.episodeAction(e.id!, .decision).path,
            documents: documents, live: SiteURL.episodeLive(e.id!).path, liveSince: Int64((now.timeIntervalSince1970 * 1000).rounded()))
        // A refused answer keeps the choice made and the comment typed.
        content.kept = error == nil ? nil : try? req.content.decode(DecisionForm.self)
        return try await req.view.render("episode", Page(req, title: Messages.Episodes.pageTitle, content: content))
    }

    /// Where each field of the form that was posted sits on the page (two forms have a `text`).
    static func fieldAnchors(posted path: String, episode: UUID) -> [String: String] {
        switch path.lowercased() {
        case SiteURL.episodeAction(episode, .decision).path: ["decision": "decision-authorise", "comment": "comment"]
        case SiteURL.episodeAction(episode, .evidence).path: ["text": "text"]
        case SiteURL.episodeAction(episode, .end).path: ["text": "end-text"]
        default: [:]
        }
    }

    /// The episode page's live events, for whoever may see the episode.
    func live(req: Request) async throws -> Response {
        let e = try await EpisodeService(req).find(req.parameters.require("id"), now: req.application.secours.now())
        return LiveFeed.answer(req, .episode(e.id!))
    }

    struct TextForm: Decodable { var text: String? }
    struct DecisionForm: Codable {
        var decision: String?
        var comment: String?
    }

    func addEvidence(req: Request) async throws -> Response {
        try await act(req) { s, id, now in _ = try await s.addEvidence(id, text: try req.content.decode(TextForm.self).text, now: now) }
    }

    func end(req: Request) async throws -> Response {
        try await act(req) { s, id, now in _ = try await s.end(id, comment: try req.content.decode(TextForm.self).text, now: now) }
    }

    func decide(req: Request) async throws -> Response {
        try await act(req) { s, id, now in
            let form = try req.content.decode(DecisionForm.self)
            guard let decision = form.decision.flatMap(EpisodeService.Decision.init(rawValue:)) else {
                throw SecoursError.invalid(field: "decision", message: Messages.Episodes.chooseDecision)
            }
            _ = try await s.decide(id, decision, comment: form.comment, now: now)
        }
    }

    private func act(_ req: Request, _ body: (EpisodeService, String, Date) async throws -> Void) async throws -> Response {
        let id = try req.parameters.require("id")
        return try await req.submitForm({
            try await body(EpisodeService(req), id, req.application.secours.now())
            return req.redirect(to: UUID(uuidString: id).map { SiteURL.episode($0).path } ?? SiteURL.episodes.path, redirectType: .normal)
        }, rerender: { e in
            try await renderDetail(req, error: e)
        })
    }
}
