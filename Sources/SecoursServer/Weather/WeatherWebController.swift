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
    }

    struct BulletinView: Encodable {
        let at: String
        let text: String
        let closing: Bool
    }

    struct Content: Encodable {
        let modes: [String]
        let rows: [Row]
        let current: [AlertView]
        let past: [AlertView]
        let canPublish: Bool
        let services: [Option]
        let modeOptions: [Option]
        let levels: [Option]
        let values: [String: String]
        let errors: [String: String]
        let error: String?
        let feed: String
        let publishAction: String
    }

    func page(req: Request) async throws -> View {
        try await render(req, values: [:], error: nil)
    }

    func render(_ req: Request, values: [String: String], error: SecoursError?, checked: (services: [String], modes: [String]) = ([], [])) async throws -> View {
        let (current, past) = try await AlertService(db: req.db).board()
        let weather = AlertService.weather(current)
        let rows = OnlineService.allCases.map { s in
            Row(service: s.label, cells: TransmissionMode.allCases.map { m in
                let state = weather.state(s, m)
                return Cell(mode: m.rawValue, state: state.rawValue, label: state.label)
            })
        }
        let isCID = req.auth.get(Principal.self).map { Access.allows(.manageAlerts, $0.actor) } ?? false
        let fieldErrors = error?.messagesByField ?? [:]
        let message = error.flatMap { $0.fields.isEmpty ? $0.message : nil }
        let content = Content(
            modes: TransmissionMode.allCases.map(\.rawValue), rows: rows,
            current: current.map(Self.view), past: past.map(Self.view), canPublish: isCID,
            services: OnlineService.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: checked.services.contains($0.rawValue)) },
            modeOptions: TransmissionMode.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: checked.modes.contains($0.rawValue)) },
            levels: AlertLevel.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: values["level"] == $0.rawValue) },
            values: values, errors: fieldErrors, error: message, feed: SiteURL.weatherFeed.path, publishAction: SiteURL.alerts.path)
        return try await req.view.render("weather", Page(req, title: Messages.Weather.pageTitle, content: content))
    }

    static func view(_ e: AlertService.Entry) -> AlertView {
        let coverage = e.alert.coverage
        return AlertView(
            reference: e.alert.reference, level: e.alert.level.rawValue, levelLabel: e.alert.level.label, title: e.alert.title,
            description: e.alert.description,
            coverage: coverage.services.map(\.label).joined(separator: ", ") + " — " + coverage.modes.map(\.rawValue).joined(separator: ", "),
            started: ParisCalendar.french(e.alert.startedAt), ended: e.alert.endedAt.map(ParisCalendar.french),
            bulletins: e.bulletins.reversed().map { BulletinView(at: ParisCalendar.french($0.at), text: $0.text, closing: $0.closing) },
            bulletinAction: SiteURL.alertBulletin(e.alert.reference).path, endAction: SiteURL.alertEnd(e.alert.reference).path)
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
        try await act(req) { service, principal, now in
            _ = try await service.addBulletin(req.parameters.require("reference"), text: req.content.decode(TextForm.self).text, by: principal, now: now)
        }
    }

    func end(req: Request) async throws -> Response {
        try await act(req) { service, principal, now in
            _ = try await service.end(req.parameters.require("reference"), text: req.content.decode(TextForm.self).text, by: principal, now: now)
        }
    }

    private func act(_ req: Request, _ body: (AlertService, Principal, Date) async throws -> Void) async throws -> Response {
        try await req.submitForm({
            try await body(AlertService(db: req.db), req.principal(), req.application.secours.now())
            await req.application.secours.alertsChanged()
            return req.redirect(to: SiteURL.weather.path, redirectType: .normal)
        }, rerender: { e in
            try await render(req, values: [:], error: SecoursError(kind: e.kind, code: e.code, message: e.summary))
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
