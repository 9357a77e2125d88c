import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// Alerts of the weather page (R-MET): read by everyone, published, updated with information
/// bulletins and ended by the CID only.
struct AlertService {
    let db: Database
    var store: AlertStore { AlertStore(db: db) }

    /// An alert and its bulletins, oldest bulletin first.
    struct Entry {
        let alert: AlertModel
        let bulletins: [AlertBulletinModel]
    }

    /// Current alerts (newest start first) and the most recent `pastLimit` ended ones.
    func board(pastLimit: Int = 20) async throws -> (current: [Entry], past: [Entry]) {
        let current = try await store.current(newestFirst: true)
        let past = try await store.ended(limit: pastLimit)
        let bulletins = try await store.bulletins(of: (current + past).compactMap(\.id))
        let byAlert = Dictionary(grouping: bulletins, by: { $0.$alert.id })
        func entries(_ list: [AlertModel]) -> [Entry] { list.map { Entry(alert: $0, bulletins: byAlert[$0.id!] ?? []) } }
        return (entries(current), entries(past))
    }

    /// The weather computed from the current alerts.
    static func weather(_ current: [Entry]) -> Weather {
        Weather(current: current.map { e in Weather.Current(level: e.alert.level, coverage: e.alert.coverage) })
    }

    func publish(_ v: AlertRequest.Valid, by p: Principal, now: Date) async throws -> Entry {
        try p.require(.manageAlerts)
        let day = ParisDay(now)
        let prefix = DayReference.alert.prefix(day)
        // The day's next ordinal; the unique reference settles a race between two publishers.
        for _ in 0..<3 {
            let sameDay = try await store.count(referencePrefix: prefix)
            let a = AlertModel()
            a.reference = DayReference.alert.make(day: day, ordinal: sameDay + 1)
            a.level = v.level
            a.services = v.coverage.storedServices
            a.modes = v.coverage.storedModes
            a.title = v.title
            a.description = v.description
            a.startedAt = v.startedAt
            a.publishedAt = now
            a.publishedBy = p.login
            do {
                try await store.create(a)
                return Entry(alert: a, bulletins: [])
            } catch let error as any DatabaseError where error.isConstraintFailure {
                continue
            }
        }
        throw SecoursError(kind: .conflict, code: "alert_reference_busy", message: Messages.Weather.referenceBusy)
    }

    func addBulletin(_ reference: String, text: String?, by p: Principal, now: Date) async throws -> Entry {
        try p.require(.manageAlerts)
        let text = try AlertRequest.bulletinText(text, required: true)!
        let alert = try await find(reference)
        guard alert.endedAt == nil else {
            throw SecoursError(kind: .conflict, code: "alert_ended", message: Messages.Weather.endedPublishNew(alert.reference))
        }
        try await store.add(AlertBulletinModel(alertID: alert.requireID(), at: now, text: text, author: p.login, closing: false))
        return try await entry(alert)
    }

    func end(_ reference: String, text: String?, by p: Principal, now: Date) async throws -> Entry {
        try p.require(.manageAlerts)
        let text = try AlertRequest.bulletinText(text, required: false)
        let alert = try await find(reference)
        let closing = try text.map { AlertBulletinModel(alertID: try alert.requireID(), at: now, text: $0, author: p.login, closing: true) }
        guard try await store.end(alert.requireID(), at: now, closing: closing) else {
            throw SecoursError(kind: .conflict, code: "alert_ended", message: Messages.Weather.alreadyEnded(alert.reference))
        }
        return try await entry(try await find(reference))
    }

    /// One alert with its bulletins, current or ended.
    func entry(_ reference: String) async throws -> Entry { try await entry(try await find(reference)) }

    func find(_ reference: String) async throws -> AlertModel {
        let ref = reference.trimmingCharacters(in: .whitespaces).uppercased()
        guard ref.count <= 20, let a = try await store.alert(reference: ref) else {
            throw SecoursError(kind: .notFound, code: "not_found", message: Messages.Weather.unknownAlert(ref))
        }
        return a
    }

    private func entry(_ a: AlertModel) async throws -> Entry {
        Entry(alert: a, bulletins: try await store.bulletins(of: [a.requireID()]))
    }
}
