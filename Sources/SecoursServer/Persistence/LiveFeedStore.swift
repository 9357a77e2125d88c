import Fluent
import Foundation
import SQLKit
import Vapor

/// What the live feed reads (R-OFF-1): the documents, office notices and episode events written
/// since a moment, by any process on the database. Every statement of the feed is here.
///
/// Rows are looked up by their own timestamp (`registered_at`, `at`), which the writing process
/// took before its transaction committed: a row can therefore appear a little after a later one.
/// The feed asks again from a moment `overlap` before the newest row it has seen, and skips the
/// rows it already knows.
struct LiveFeedStore {
    let db: Database

    private var sql: SQLDatabase { get throws { try db.sqlDatabase } }

    struct Stamp: Sendable, Hashable {
        let id: UUID
        let at: Date
    }

    /// Documents registered after `moment`, oldest first: their id and time only, so that rows
    /// asked for again cost little.
    func documentStamps(after moment: Date, limit: Int) async throws -> [Stamp] {
        try await sql.raw("""
            SELECT id, registered_at FROM documents WHERE registered_at > \(bind: moment) ORDER BY registered_at LIMIT \(unsafeRaw: String(limit))
            """).all().map { Stamp(id: try $0.decode(column: "id", as: UUID.self), at: try $0.decode(column: "registered_at", as: Date.self)) }
    }

    /// The documents of `ids`, with the office of their excise number.
    func documents(_ ids: [UUID]) async throws -> [(document: DocumentModel, office: UUID)] {
        guard !ids.isEmpty else { return [] }
        var found: [(DocumentModel, UUID)] = []
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            let rows = try await DocumentModel.query(on: db).filter(\.$id ~~ chunk)
                .join(ExciseNumberModel.self, on: \DocumentModel.$exciseNumber == \ExciseNumberModel.$number).all()
            for d in rows {
                let excise = try d.joined(ExciseNumberModel.self)
                found.append((d, excise.$office.id))
            }
        }
        return found.sorted { $0.0.registeredAt < $1.0.registeredAt }
    }

    /// Office notices posted after `moment`, oldest first.
    func notices(after moment: Date, limit: Int) async throws -> [OfficeNoticeModel] {
        try await OfficeNoticeModel.query(on: db).filter(\.$at > moment).sort(\.$at).limit(limit).all()
    }

    /// Episode events after `moment`, oldest first, with their episode.
    func episodeEvents(after moment: Date, limit: Int) async throws -> [(event: EpisodeEventModel, episode: EpisodeModel)] {
        let rows = try await EpisodeEventModel.query(on: db).filter(\.$at > moment)
            .join(EpisodeModel.self, on: \EpisodeEventModel.$episode.$id == \EpisodeModel.$id).sort(\.$at).limit(limit).all()
        return try rows.map { ($0, try $0.joined(EpisodeModel.self)) }
    }
}
