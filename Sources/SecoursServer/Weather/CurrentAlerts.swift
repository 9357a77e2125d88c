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
    }

    private var cached: (at: Date, alerts: [Alert])?
    let lifetime: TimeInterval

    init(lifetime: TimeInterval = 1) { self.lifetime = lifetime }

    func current(on db: Database) async throws -> [Alert] {
        let now = Date()
        if let cached, now.timeIntervalSince(cached.at) < lifetime, now >= cached.at { return cached.alerts }
        let alerts = try await AlertModel.query(on: db).filter(\.$endedAt == nil).sort(\.$startedAt).all()
            .map { Alert(reference: $0.reference, coverage: $0.coverage) }
        cached = (now, alerts)
        return alerts
    }

    func forget() { cached = nil }
}
