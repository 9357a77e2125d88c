import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// Alerts of the weather page (R-MET): read by everyone, published, updated with information
/// bulletins and ended by the CID only.
struct AlertService {
    let db: Database

    /// An alert and its bulletins, oldest bulletin first.
    struct Entry {
        let alert: AlertModel
        let bulletins: [AlertBulletinModel]
    }

    /// Current alerts (newest start first) and the most recent `pastLimit` ended ones.
    func board(pastLimit: Int = 20) async throws -> (current: [Entry], past: [Entry]) {
        let current = try await AlertModel.query(on: db).filter(\.$endedAt == nil).sort(\.$startedAt, .descending).all()
        let past = try await AlertModel.query(on: db).filter(\.$endedAt != nil).sort(\.$endedAt, .descending).limit(pastLimit).all()
        let ids = (current + past).compactMap(\.id)
        let bulletins = ids.isEmpty ? [] : try await AlertBulletinModel.query(on: db).filter(\.$alert.$id ~~ ids).sort(\.$at).all()
        let byAlert = Dictionary(grouping: bulletins, by: { $0.$alert.id })
        func entries(_ list: [AlertModel]) -> [Entry] { list.map { Entry(alert: $0, bulletins: byAlert[$0.id!] ?? []) } }
        return (entries(current), entries(past))
    }

    /// The weather computed from the current alerts.
    static func weather(_ current: [Entry]) -> Weather {
        Weather(current: current.compactMap { e in
            AlertLevel(rawValue: e.alert.level).map { Weather.Current(level: $0, coverage: e.alert.coverage) }
        })
    }

    func publish(_ v: AlertRequest.Valid, by p: Principal, now: Date) async throws -> Entry {
        try p.require(.manageAlerts)
        let day = ParisDay(now)
        let prefix = DayReference.alert.prefix(day)
        // The day's next ordinal; the unique reference settles a race between two publishers.
        for _ in 0..<3 {
            let sameDay = try await AlertModel.query(on: db).filter(\.$reference >= prefix).filter(\.$reference < prefix + "~").count()
            let a = AlertModel()
            a.reference = DayReference.alert.make(day: day, ordinal: sameDay + 1)
            a.level = v.level.rawValue
            a.services = v.coverage.storedServices
            a.modes = v.coverage.storedModes
            a.title = v.title
            a.description = v.description
            a.startedAt = v.startedAt
            a.publishedAt = now
            a.publishedBy = p.login
            do {
                try await a.create(on: db)
                return Entry(alert: a, bulletins: [])
            } catch let error as any DatabaseError where error.isConstraintFailure {
                continue
            }
        }
        throw SecoursError(kind: .conflict, code: "alert_reference_busy", message: "Publication simultanée : réessayez.")
    }

    func addBulletin(_ reference: String, text: String?, by p: Principal, now: Date) async throws -> Entry {
        try p.require(.manageAlerts)
        let text = try AlertRequest.bulletinText(text, required: true)!
        let alert = try await find(reference)
        guard alert.endedAt == nil else {
            throw SecoursError(kind: .conflict, code: "alert_ended", message: "L'alerte \(alert.reference) est terminée : publiez une nouvelle alerte.")
        }
        try await AlertBulletinModel(alertID: alert.requireID(), at: now, text: text, author: p.login, closing: false).create(on: db)
        return try await entry(alert)
    }

    func end(_ reference: String, text: String?, by p: Principal, now: Date) async throws -> Entry {
        try p.require(.manageAlerts)
        let text = try AlertRequest.bulletinText(text, required: false)
        let alert = try await find(reference)
        try await db.transaction { tx in
            // Conditional, so that two ends cannot both apply.
            guard let sql = tx as? SQLDatabase else { throw Abort(.internalServerError, reason: "SQL database required") }
            let rows = try await sql.update(AlertModel.schema).set("ended_at", to: now)
                .where("id", .equal, alert.requireID()).where(SQLColumn("ended_at"), .is, SQLLiteral.null).returning("id").all()
            guard rows.count == 1 else {
                throw SecoursError(kind: .conflict, code: "alert_ended", message: "L'alerte \(alert.reference) est déjà terminée.")
            }
            if let text { try await AlertBulletinModel(alertID: alert.requireID(), at: now, text: text, author: p.login, closing: true).create(on: tx) }
        }
        return try await entry(try await find(reference))
    }

    /// One alert with its bulletins, current or ended.
    func entry(_ reference: String) async throws -> Entry { try await entry(try await find(reference)) }

    func find(_ reference: String) async throws -> AlertModel {
        let ref = reference.trimmingCharacters(in: .whitespaces).uppercased()
        guard ref.count <= 20, let a = try await AlertModel.query(on: db).filter(\.$reference == ref).first() else {
            throw SecoursError(kind: .notFound, code: "not_found", message: "Alerte \(ref) introuvable.")
        }
        return a
    }

    private func entry(_ a: AlertModel) async throws -> Entry {
        Entry(alert: a, bulletins: try await AlertBulletinModel.query(on: db).filter(\.$alert.$id == a.requireID()).sort(\.$at).all())
    }
}
