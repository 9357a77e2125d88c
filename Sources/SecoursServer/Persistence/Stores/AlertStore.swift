import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// The weather page's alerts and their information bulletins (tables `alerts`, `alert_bulletins`).
struct AlertStore {
    let db: Database

    /// Current alerts, oldest start first (or newest first).
    func current(newestFirst: Bool = false) async throws -> [AlertModel] {
        try await AlertModel.query(on: db).filter(\.$endedAt == nil).sort(\.$startedAt, newestFirst ? .descending : .ascending).all()
    }

    /// The current alert of this reference (already normalised), if it is not over.
    func current(reference: String) async throws -> AlertModel? {
        try await AlertModel.query(on: db).filter(\.$reference == reference).filter(\.$endedAt == nil).first()
    }

    /// The most recent ended alerts, last ended first.
    func ended(limit: Int) async throws -> [AlertModel] {
        try await AlertModel.query(on: db).filter(\.$endedAt != nil).sort(\.$endedAt, .descending).limit(limit).all()
    }

    func alert(reference: String) async throws -> AlertModel? {
        try await AlertModel.query(on: db).filter(\.$reference == reference).first()
    }

    /// How many alerts carry a reference starting with the day's prefix.
    func count(referencePrefix prefix: String) async throws -> Int {
        try await AlertModel.query(on: db).filter(\.$reference >= prefix).filter(\.$reference < prefix + "~").count()
    }

    /// Stores a new alert; a reference taken meanwhile fails with the constraint error.
    func create(_ alert: AlertModel) async throws {
        try await alert.create(on: db)
    }

    /// Bulletins of these alerts, oldest first.
    func bulletins(of alertIDs: [UUID]) async throws -> [AlertBulletinModel] {
        alertIDs.isEmpty ? [] : try await AlertBulletinModel.query(on: db).filter(\.$alert.$id ~~ alertIDs).sort(\.$at).all()
    }

    func add(_ bulletin: AlertBulletinModel) async throws {
        try await bulletin.create(on: db)
    }

    /// Ends the alert (compare-and-set on `ended_at IS NULL`, so that two ends cannot both apply),
    /// with its closing bulletin when given, in one transaction. False when it had already ended.
    func end(_ alertID: UUID, at: Date, closing: AlertBulletinModel?) async throws -> Bool {
        try await db.transaction { tx in
            let ended = try await tx.sqlDatabase.update(AlertModel.schema).set("ended_at", to: at)
                .where("id", .equal, alertID).where(SQLColumn("ended_at"), .is, SQLLiteral.null).changedOne()
            guard ended else { return false }
            if let closing { try await closing.create(on: tx) }
            return true
        }
    }
}
