import Fluent
import Foundation
import SecoursCore

/// The current alerts, as the generation rule reads them on every number: kept for a second, and
/// forgotten at once when this process publishes or ends one (another process sees the change
/// within the second).
actor CurrentAlerts {
    struct Alert: Sendable {
        let reference: String
        let coverage: AlertCoverage
        var level: AlertLevel = .red
        var title: String = ""
        var startedAt: Date = .distantPast
    }

    /// When they were read, on the monotonic clock: the cache's age is elapsed time, not the
    /// service's (injectable) business clock.
    private var cached: (at: ContinuousClock.Instant, alerts: [Alert])?
    let lifetime: TimeInterval

    init(lifetime: TimeInterval = 1) { self.lifetime = lifetime }

    func current(on db: Database) async throws -> [Alert] {
        let now = ContinuousClock.now
        if let cached, now - cached.at < .seconds(lifetime) { return cached.alerts }
        let alerts = try await AlertStore(db: db).current()
            .map { Alert(reference: $0.reference, coverage: $0.coverage, level: $0.level, title: $0.title, startedAt: $0.startedAt) }
        cached = (now, alerts)
        return alerts
    }

    func forget() { cached = nil }
}
