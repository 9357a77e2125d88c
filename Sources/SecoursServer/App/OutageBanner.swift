import Foundation
import SecoursCore
import Vapor

/// The current alerts, where a person starts: on the sign-in page and on the home page, so that
/// an operator whose GAMMA is down sees at once that it is known and what to do.
struct OutageBanner: Encodable {
    struct Line: Encodable {
        let level: String
        let levelLabel: String
        let services: String
        let title: String
        let since: String
    }

    let lines: [Line]
    let weather: String
    let diagnosis: String

    /// Nil when no alert is current. `fresh` reads the database rather than the one-second
    /// cache: a page kept rendered for every visitor must not keep an alert already over.
    static func current(_ req: Request, fresh: Bool = false) async throws -> OutageBanner? {
        let alerts = fresh ? try await CurrentAlerts(lifetime: 0).current(on: req.db) : try await req.application.secours.alerts.current(on: req.db)
        guard !alerts.isEmpty else { return nil }
        let lines = alerts.sorted { ($0.level, $0.startedAt) > ($1.level, $1.startedAt) }.map { a in
            Line(level: a.level.rawValue, levelLabel: a.level.label, services: a.coverage.services.map(\.label).joined(separator: ", "),
                 title: a.title, since: ParisCalendar.display(a.startedAt))
        }
        return OutageBanner(lines: lines, weather: SiteURL.weather.path, diagnosis: SiteURL.diagnosis(nil).path)
    }
}
