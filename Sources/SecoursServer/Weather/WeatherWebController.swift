import Foundation
import SecoursCore
import Vapor

/// « Météo des téléservices » (R-MET): public page and Atom feed; the CID publishes, adds
/// bulletins to and ends alerts from the same page.
struct WeatherWebController {
    struct Row: Encodable {
        let service: String
        let cells: [Cell]
    }

    struct Cell: Encodable {
        let mode: String
        let state: String
        let label: String
    }

    struct AlertView: Encodable {
        let reference: String
        let level: String
        let levelLabel: String
        let title: String
        let description: String
        let coverage: String
        let started: String
        let ended: String?
        let bulletins: [BulletinView]
        let bulletinAction: String
        let endAction: String
        /// The ids of the alert's fields: the new bulletin, the closing message, the confirmation
        /// of the end.
        let bulletinField: String
        let endField: String
        let confirmField: String
        /// What was typed in the alert's refused form, and the messages beside its fields.
        var bulletinText = ""
        var bulletinError: String?
        var endText = ""
        var endError: String?
        var confirmed = false
        var confirmError: String?
    }

    struct BulletinView: Encodable {
        let at: String
        let text: String
        let closing: Bool
    }

    /// A radio button or a check box of the publication form, with the id its label and the
    /// error summary point at.
    struct Choice: Encodable {
        let id: String
        let value: String
        let label: String
        let selected: Bool
    }

    struct Content: Encodable {
        let modes: [String]
        let rows: [Row]
        let current: [AlertView]
        let past: [AlertView]
        let canPublish: Bool
        let services: [Choice]
        let modeOptions: [Choice]
        let levels: [Choice]
        let values: [String: String]
        /// The publication form's messages, by field.
        let errors: [String: String]
        /// The heading of the error summary, when a form was refused.
        let summaryTitle: String?
        let summaryItems: [FormErrorLink]
        let feed: String
        let publishAction: String
    }

    /// The form of the page a refusal comes from: its messages show beside its own fields, and
    /// what was typed in it stays.
    enum Refused {
        case publish
        case bulletin(reference: String, text: String)
        case end(reference: String, text: String, confirmed: Bool)
    }

    func page(req: Request) async throws -> View {
        try await render(req, values: [:], error: nil)
    }

    /// An id usable as a fragment, from an option's value (`DTI+` → `modes-dti-plus`).
    static func choiceID(_ field: String, _ value: String) -> String {
        field + "-" + value.lowercased().replacingOccurrences(of: "+", with: "-plus")
    }

    func render(_ req: Request, values: [String: String], error: SecoursError?, checked: (services: [String], modes: [String]) = ([], []),
                refused: Refused = .publish) async throws -> View {
        let (current, past) = try await AlertService(db: req.db).board()
        let weather = AlertService.weather(current)
        let rows = OnlineService.allCases.map { s in
            Row(service: s.label, cells: TransmissionMode.allCases.map { m in
                let state = weather.state(s, m)
                return Cell(mode: m.rawValue, state: state.rawValue, label: state.label)
            })
        }
        let isCID = req.auth.get(Principal.self).map { Access.allows(.manageAlerts, $0.actor) } ?? false
        let services = OnlineService.allCases.map {
            Choice(id: Self.choiceID("services", $0.rawValue), value: $0.rawValue, label: $0.label, selected: checked.services.contains($0.rawValue))
        }
        let modeOptions = TransmissionMode.allCases.map {
            Choice(id: Self.choiceID("modes", $0.rawValue), value: $0.rawValue, label: $0.rawValue, selected: checked.modes.contains($0.rawValue))
        }
        let levels = AlertLevel.allCases.map {
            Choice(id: Self.choiceID("level", $0.rawValue), value: $0.rawValue, label: $0.label, selected: values["level"] == $0.rawValue)
        }
        let fieldErrors = error?.messagesByField ?? [:]
        var currentViews = current.map(Self.view)
        // Where each field of the refused form is, for the summary's links.
        var anchors: [String: String] = [:]
        var publishErrors: [String: String] = [:]
        switch refused {
        case .publish:
            publishErrors = fieldErrors
            anchors = ["title": "title", "description": "description", "startedAt": "startedAt"]
            anchors["level"] = levels.first?.id
            anchors["services"] = services.first?.id
            anchors["modes"] = modeOptions.first?.id
        case .bulletin(let reference, let text):
            if let i = currentViews.firstIndex(where: { $0.reference == reference }) {
                currentViews[i].bulletinText = text
                currentViews[i].bulletinError = fieldErrors["text"]
                anchors["text"] = currentViews[i].bulletinField
            }
        case .end(let reference, let text, let confirmed):
            if let i = currentViews.firstIndex(where: { $0.reference == reference }) {
                currentViews[i].endText = text
                currentViews[i].confirmed = confirmed
                currentViews[i].endError = fieldErrors["text"]
                currentViews[i].confirmError = fieldErrors["confirm"]
                anchors["text"] = currentViews[i].endField
                anchors["confirm"] = currentViews[i].confirmField
            }
        }
        // Without a field, the refusal's message alone; otherwise one line per field, linked.
        let items = error.map { $0.fields.isEmpty ? [FormErrorLink(href: nil, message: $0.message)] : FormErrorLink.list($0, anchors: anchors) } ?? []
        let content = Content(
            modes: TransmissionMode.allCases.map(\.rawValue), rows: rows,
            current: currentViews, past: past.map(Self.view), canPublish: isCID,
            services: services, modeOptions: modeOptions, levels: levels,
            values: values, errors: publishErrors,
            summaryTitle: error == nil ? nil : Messages.Weather.errorSummary(items.count), summaryItems: items,
            feed: SiteURL.weatherFeed.path, publishAction: SiteURL.alerts.path)
        return try await req.view.render("weather", Page(req, title: Messages.Weather.pageTitle, content: content))
    }

    static func view(_ e: AlertService.Entry) -> AlertView {
        let coverage = e.alert.coverage
        let reference = e.alert.reference
        return AlertView(
            reference: reference, level: e.alert.level.rawValue, levelLabel: e.alert.level.label, title: e.alert.title,
            description: e.alert.description,
            coverage: coverage.services.map(\.label).joined(separator: ", ") + " — " + coverage.modes.map(\.rawValue).joined(separator: ", "),
            started: ParisCalendar.display(e.alert.startedAt), ended: e.alert.endedAt.map(ParisCalendar.display),
            bulletins: e.bulletins.reversed().map { BulletinView(at: ParisCalendar.display($0.at), text: $0.text, closing: $0.closing) },
            bulletinAction: SiteURL.alertBulletin(reference).path, endAction: SiteURL.alertEnd(reference).path,
            bulletinField: "bip-\(reference)", endField: "fin-\(reference)", confirmField: "fin-confirm-\(reference)")
    }


    struct PublishForm: Decodable {
        var level: String?
        var services: [String]?
        var modes: [String]?
        var title: String?
        var description: String?
        /// `datetime-local`, Paris time; empty for now.
        var startedAt: String?
    }

    func publish(req: Request) async throws -> Response {
        let form = try req.content.decode(PublishForm.self)
        let now = req.application.secours.now()
        let values = ["level": form.level ?? "", "title": form.title ?? "", "description": form.description ?? "", "startedAt": form.startedAt ?? ""]
        return try await req.submitForm({
            var started: Date?
            if let text = form.startedAt?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                let parts = text.split(separator: "T").map(String.init)
                guard parts.count == 2, let day = ParisDay(text: parts[0]), let time = ParisTime(text: String(parts[1].prefix(5))) else {
                    throw SecoursError.invalid(field: "startedAt", message: Messages.Weather.invalidStart)
                }
                started = DispatchMoment(day: day, time: time).date
            }
            let request = AlertRequest(level: form.level, services: form.services, modes: form.modes, title: form.title,
                                       description: form.description, startedAt: started)
            _ = try await AlertService(db: req.db).publish(try request.validate(now: now), by: req.principal(), now: now)
            await req.application.secours.alertsChanged()
            return req.redirect(to: SiteURL.weather.path, redirectType: .normal)
        }, rerender: { e in
            try await render(req, values: values, error: e, checked: (form.services ?? [], form.modes ?? []))
        })
    }

    struct TextForm: Decodable { var text: String? }

    func addBulletin(req: Request) async throws -> Response {
        let reference = try req.parameters.require("reference")
        let form = try req.content.decode(TextForm.self)
        return try await act(req, refused: .bulletin(reference: reference, text: form.text ?? "")) { service, principal, now in
            _ = try await service.addBulletin(reference, text: form.text, by: principal, now: now)
        }
    }

    /// The page's end form: the closing message, and the confirmation box (`confirm=1`) without
    /// which nothing is ended. The API ends an alert without it.
    struct EndForm: Decodable {
        var text: String?
        var confirm: String?
    }

    func end(req: Request) async throws -> Response {
        let reference = try req.parameters.require("reference")
        let form = try req.content.decode(EndForm.self)
        let confirmed = form.confirm == "1"
        return try await act(req, refused: .end(reference: reference, text: form.text ?? "", confirmed: confirmed)) { service, principal, now in
            try principal.require(.manageAlerts)
            _ = try AlertRequest.endingText(form.text, confirmed: confirmed)
            _ = try await service.end(reference, text: form.text, by: principal, now: now)
        }
    }

    private func act(_ req: Request, refused: Refused, _ body: (AlertService, Principal, Date) async throws -> Void) async throws -> Response {
        try await req.submitForm({
            try await body(AlertService(db: req.db), req.principal(), req.application.secours.now())
            await req.application.secours.alertsChanged()
            return req.redirect(to: SiteURL.weather.path, redirectType: .normal)
        }, rerender: { e in
            try await render(req, values: [:], error: e, refused: refused)
        })
    }

    /// `GET /meteo/alertes.atom`: current and recent alerts, each entry updated with its latest bulletin.
    func feed(req: Request) async throws -> Response {
        let (current, past) = try await AlertService(db: req.db).board(pastLimit: 50)
        let iso = ISO8601DateFormatter()
        // Links are absolute, from the address the feed was asked at; identifiers do not depend on it.
        let scheme = req.headers.first(name: "X-Forwarded-Proto") == "https" ? "https" : "http"
        let base = req.headers.first(name: .host).map { "\(scheme)://\($0)" } ?? ""
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                .replacingOccurrences(of: "\"", with: "&quot;")
        }
        let entries = current + past
        let updated = entries.map { e in ([e.alert.publishedAt, e.alert.endedAt].compactMap { $0 } + e.bulletins.map(\.at)).max()! }
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
              <title>\(Messages.Weather.feedTitle)</title>
              <id>urn:secours:meteo:alertes</id>
              <link rel="self" href="\(esc(base))\(SiteURL.weatherFeed.path)"/>
              <link rel="alternate" type="text/html" href="\(esc(base))\(SiteURL.weather.path)"/>
              <updated>\(iso.string(from: updated.max() ?? Date(timeIntervalSince1970: 0)))</updated>

            """
        for (e, at) in zip(entries, updated) {
            let v = Self.view(e)
            var text = Messages.Weather.entryText(level: v.levelLabel, coverage: v.coverage, started: v.started, ended: v.ended, description: v.description)
            for b in v.bulletins { text += Messages.Weather.bulletinText(closing: b.closing, at: b.at, text: b.text) }
            xml += """
                  <entry>
                    <id>urn:secours:alerte:\(esc(v.reference))</id>
                    <title>\(esc(v.reference)) – \(esc(v.levelLabel))\(v.ended == nil ? "" : Messages.Weather.endedMark) – \(esc(v.title))</title>
                    <updated>\(iso.string(from: at))</updated>
                    <published>\(iso.string(from: e.alert.publishedAt))</published>
                    <author><name>CID</name></author>
                    <link href="\(esc(base))\(SiteURL.weather.path)#\(esc(v.reference))"/>
                    <content type="text">\(esc(text))</content>
                  </entry>

                """
        }
        xml += "</feed>\n"
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "atom+xml", parameters: ["charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(string: xml))
    }
}
