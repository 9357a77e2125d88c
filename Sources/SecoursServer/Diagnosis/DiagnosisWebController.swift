import SecoursCore
import Vapor

/// « Je diagnostique ma panne » (R-DIAG-1): one question per page, answers carried in the address
/// (`?r=emit.dti.no`), so that the browser's back button, bookmarks and pages without JavaScript
/// all work. The alert questions are answered from the live alerts.
struct DiagnosisWebController {
    struct FlowLink: Encodable {
        let title: String
        let url: String
    }

    struct TrailView: Encodable {
        let question: String
        let answer: String
    }

    struct QuestionView: Encodable {
        let text: String
        let help: String?
        let answers: [Option]
    }

    struct ConclusionView: Encodable {
        let verdict: String
        let title: String
        let text: String
        let actions: [String]
        let basis: String?
        let alerts: [String]
    }

    struct Content: Encodable {
        let flows: [FlowLink]
        let flowTitle: String?
        let action: String
        let path: String
        let trail: [TrailView]
        let question: QuestionView?
        let conclusion: ConclusionView?
        let back: String?
        let restart: String?
        let weather: String
        let generate: String?
        /// The next step in Secours itself: declare the episode, ask the office, file the self-trigger.
        let next: FlowLink?
    }

    /// Where a conclusion leads in Secours.
    static func next(_ c: DiagnosisFlow.Conclusion, service: OnlineService?, alerts: [String]) -> FlowLink? {
        let svc = "service=" + (service ?? .gamma).rawValue
        switch (c.verdict, c.basis) {
        case (.askOffice, _):
            return FlowLink(title: Messages.Diagnosis.askOffice, url: SiteURL.episodes.path + "?basis=office-authorisation&" + svc)
        case (.authorised, .sauDiagnosis?):
            return FlowLink(title: Messages.Diagnosis.recordSAUDiagnosis, url: SiteURL.episodes.path + "?basis=sau-diagnosis&" + svc)
        case (.authorised, .ediProviderIncident?):
            return FlowLink(title: Messages.Diagnosis.recordProviderIncident, url: SiteURL.episodes.path + "?basis=edi-provider-incident&" + svc)
        case (.authorised, .alert?):
            return FlowLink(title: Messages.Diagnosis.keepTrace,
                            url: SiteURL.episodes.path + "?basis=alert&" + svc + (alerts.first.map { "&reference=" + $0 } ?? ""))
        case (.selfTrigger, _):
            return FlowLink(title: Messages.Diagnosis.fileAssistanceRequest, url: SiteURL.assistanceRequests.path + "?" + svc)
        default:
            return nil
        }
    }

    func page(req: Request) async throws -> Response {
        let flows = DiagnosisFlow.all.map { FlowLink(title: $0.title, url: SiteURL.diagnosis($0.id).path) }
        guard let id = req.parameters.get("flow") else {
            let content = Content(flows: flows, flowTitle: nil, action: "", path: "", trail: [], question: nil, conclusion: nil, back: nil,
                                  restart: nil, weather: SiteURL.weather.path, generate: nil, next: nil)
            return try await req.view.render("diagnosis", Page(req, title: Messages.Diagnosis.pageTitle, content: content)).encodeResponse(for: req)
        }
        guard let flow = DiagnosisFlow.named(id) else {
            throw SecoursError(kind: .notFound, code: "not_found", message: Messages.Diagnosis.unknownFlow(id))
        }
        let base = SiteURL.diagnosis(flow.id).path
        var answers = (req.query[String.self, at: "r"] ?? "").split(separator: ".").map(String.init)
        // A form posts its choice as `a`: it joins the path, and the address becomes the canonical one.
        if let a = req.query[String.self, at: "a"], !a.isEmpty {
            answers.append(a)
            return req.redirect(to: base + "?r=" + answers.joined(separator: "."), redirectType: .normal)
        }
        guard answers.count <= 32, answers.allSatisfy({ $0.count <= 32 }) else {
            throw SecoursError(kind: .malformed, code: "bad_request", message: Messages.Diagnosis.pathTooLong)
        }
        let current = try await req.application.secours.alerts.current(on: req.db)
        let outcome: DiagnosisFlow.Outcome
        do {
            outcome = try flow.run(answers) { service, mode in
                current.filter { $0.coverage.covers(service, mode) }.map(\.reference)
            }
        } catch {
            // The page, not the bare error: its next step is the flow's first question.
            return try await ErrorPage(status: 400, title: Messages.Service.statusTitle(400), message: Messages.Diagnosis.unknownPath,
                                       next: .init(label: Messages.Diagnosis.restart, url: base)).render(req, status: .badRequest)
        }
        let path = answers.joined(separator: ".")
        let content = Content(
            flows: flows, flowTitle: flow.title, action: base, path: path,
            trail: outcome.trail.map { TrailView(question: $0.question, answer: $0.answer) },
            question: outcome.question.map { q in
                QuestionView(text: q.text, help: q.help, answers: q.answers.map { Option(value: $0.id, label: $0.label, selected: false) })
            },
            conclusion: outcome.conclusion.map { c in
                ConclusionView(verdict: c.verdict.rawValue, title: c.title, text: c.text, actions: c.actions, basis: c.basis?.label, alerts: outcome.alerts)
            },
            back: answers.isEmpty ? nil : base + (answers.count > 1 ? "?r=" + answers.dropLast().joined(separator: ".") : ""),
            restart: answers.isEmpty ? nil : base, weather: SiteURL.weather.path,
            generate: outcome.conclusion?.verdict == .authorised && flow.service == .gamma ? SiteURL.generate.path : nil,
            next: outcome.conclusion.flatMap { Self.next($0, service: outcome.service, alerts: outcome.alerts) })
        return try await req.view.render("diagnosis", Page(req, title: Messages.Diagnosis.flowPageTitle(flow.title), content: content)).encodeResponse(for: req)
    }
}
