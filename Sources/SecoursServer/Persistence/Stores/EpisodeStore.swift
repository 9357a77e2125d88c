import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// Fallback episodes and their evidence logs (tables `episodes`, `episode_events`), the office's
/// notices posted with them (`office_notices`) and the assistance requests that self-trigger them
/// (`assistance_requests`).
struct EpisodeStore {
    let db: Database

    // MARK: Episodes

    /// The episode requested or open for an excise number and service (at most one: the
    /// database's `episodes_one_active` index).
    func active(exciseNumber: String, service: OnlineService) async throws -> EpisodeModel? {
        try await EpisodeModel.query(on: db).filter(\.$exciseNumber == exciseNumber).filter(\.$service == service)
            .filter(\.$status ~~ EpisodeStatus.allCases.filter(\.isActive)).first()
    }

    /// Requests whose delay has passed at `now`, of some excise numbers or of one office.
    func due(at now: Date, exciseNumbers: [String]?, officeID: UUID?) async throws -> [EpisodeModel] {
        var query = EpisodeModel.query(on: db).filter(\.$status == .requested).filter(\.$deadline <= now)
        if let exciseNumbers { query = query.filter(\.$exciseNumber ~~ exciseNumbers) }
        if let officeID { query = query.filter(\.$officeID == officeID) }
        return try await query.all()
    }

    func find(_ id: UUID) async throws -> EpisodeModel? {
        try await EpisodeModel.find(id, on: db)
    }

    /// Episodes of the records given, newest first.
    func list(_ records: Scope.Records, status: EpisodeStatus?, exciseNumber: String?, limit: Int) async throws -> [EpisodeModel] {
        guard var query = EpisodeModel.query(on: db).within(records, office: \.$officeID, exciseNumber: \.$exciseNumber) else { return [] }
        if let status { query = query.filter(\.$status == status) }
        if let exciseNumber { query = query.filter(\.$exciseNumber == exciseNumber) }
        return try await query.sort(\.$requestedAt, .descending).limit(limit).all()
    }

    /// The numbers generated under the episode, newest first.
    func documents(of episodeID: UUID, limit: Int) async throws -> [DocumentModel] {
        try await DocumentModel.query(on: db).filter(\.$coveredByEpisode == episodeID).sort(\.$registeredAt, .descending).limit(limit).all()
    }

    /// The evidence log, oldest first.
    func events(of episodeID: UUID) async throws -> [EpisodeEventModel] {
        try await EpisodeEventModel.query(on: db).filter(\.$episode.$id == episodeID).sort(\.$at).all()
    }

    /// Stores a new episode with the first lines of its log and, when given, the office's notice,
    /// in one transaction. A second active episode for the same excise number and service fails
    /// with the database's constraint error.
    func create(_ episode: EpisodeModel, events: [EpisodeEventModel], notice: OfficeNoticeModel? = nil) async throws {
        try await db.transaction { tx in try await EpisodeStore(db: tx).insert(episode, events: events, notice: notice) }
    }

    /// The same writes as `create`, within a transaction the caller already holds (the toolkit's
    /// sync runs in its write transaction).
    func insert(_ episode: EpisodeModel, events: [EpisodeEventModel], notice: OfficeNoticeModel?) async throws {
        try await episode.create(on: db)
        for e in events { try await e.create(on: db) }
        if let notice { try await notice.create(on: db) }
    }

    /// Appends a line to an episode's log.
    func add(_ event: EpisodeEventModel) async throws {
        try await event.create(on: db)
    }

    /// Applies `move` to the episode as a compare-and-set on `move.from`, with its log line, in
    /// one transaction (the start or end set to `at`). False when the episode had already left
    /// `move.from`: nothing was written.
    func apply(_ move: EpisodeMove, to id: UUID, at: Date, event: EpisodeEventModel) async throws -> Bool {
        try await db.transaction { tx in
            var update = try tx.sqlDatabase.update(EpisodeModel.schema).set("status", to: move.to.rawValue)
            if let basis = move.basis { update = update.set("basis", to: basis.rawValue) }
            if move.starts { update = update.set("started_at", to: at) }
            if move.ends { update = update.set("ended_at", to: at) }
            let from = move.from.map(\.rawValue).sorted()
            guard try await update.where("id", .equal, id).where("status", .in, from).changedOne() else { return false }
            try await event.create(on: tx)
            return true
        }
    }

    // MARK: Assistance requests

    /// The open assistance request of an excise number for a service, if any.
    func openAssistanceRequest(exciseNumber: String, service: OnlineService) async throws -> AssistanceRequestModel? {
        try await AssistanceRequestModel.query(on: db).filter(\.$exciseNumber == exciseNumber).filter(\.$service == service)
            .filter(\.$closedAt == nil).first()
    }

    /// How many assistance requests carry a reference starting with the day's prefix.
    func assistanceRequests(referencePrefix prefix: String) async throws -> Int {
        try await AssistanceRequestModel.query(on: db).filter(\.$reference >= prefix).filter(\.$reference < prefix + "~").count()
    }

    /// Stores a self-trigger: its episode, the request, the episode's first line and the office's
    /// notice, in one transaction.
    func create(_ request: AssistanceRequestModel, episode: EpisodeModel, event: EpisodeEventModel, notice: OfficeNoticeModel) async throws {
        try await db.transaction { tx in
            try await episode.create(on: tx)
            try await request.create(on: tx)
            try await event.create(on: tx)
            try await notice.create(on: tx)
        }
    }

    /// Closes the request (compare-and-set on `closed_at IS NULL`) and ends its episode if still
    /// open, with `event` written when it did. False when the request was already closed.
    func close(_ request: AssistanceRequestModel, at: Date, event: EpisodeEventModel) async throws -> Bool {
        try await db.transaction { tx in
            let sql = try tx.sqlDatabase
            let closed = try await sql.update(AssistanceRequestModel.schema).set("closed_at", to: at)
                .where("id", .equal, request.requireID()).where(SQLColumn("closed_at"), .is, SQLLiteral.null).changedOne()
            guard closed else { return false }
            _ = try await EpisodeStore(db: tx).apply(.closeWithAssistanceRequest, to: request.episodeID, at: at, event: event)
            return true
        }
    }

    func assistanceRequest(_ id: UUID) async throws -> AssistanceRequestModel? {
        try await AssistanceRequestModel.find(id, on: db)
    }

    /// Assistance requests of the records given, newest first.
    func assistanceRequests(_ records: Scope.Records, limit: Int) async throws -> [AssistanceRequestModel] {
        guard let q = AssistanceRequestModel.query(on: db).within(records, office: \.$officeID, exciseNumber: \.$exciseNumber) else { return [] }
        return try await q.sort(\.$registeredAt, .descending).limit(limit).all()
    }
}

/// The office's notices (table `office_notices`): posted with what they announce, shown in the
/// console, mailed by the outbox.
struct OfficeNoticeStore {
    let db: Database

    static func notice(_ kind: OfficeNoticeKind, office: UUID, exciseNumber: String, text: String, link: String, at: Date) -> OfficeNoticeModel {
        let n = OfficeNoticeModel()
        n.officeID = office
        n.at = at
        n.kind = kind
        n.exciseNumber = exciseNumber
        n.text = text
        n.link = link
        return n
    }

    func post(_ notice: OfficeNoticeModel) async throws {
        try await notice.create(on: db)
    }

    /// An office's latest notices, newest first.
    func latest(ofOffice officeID: UUID, limit: Int) async throws -> [OfficeNoticeModel] {
        try await OfficeNoticeModel.query(on: db).filter(\.$officeID == officeID).sort(\.$at, .descending).limit(limit).all()
    }

    /// Marks an office's unread notices read.
    func markRead(ofOffice officeID: UUID, at: Date) async throws {
        try await OfficeNoticeModel.query(on: db).filter(\.$officeID == officeID).filter(\.$readAt == nil)
            .set(\.$readAt, to: at).update()
    }

    /// Notices not yet mailed, oldest first.
    func unmailed(limit: Int) async throws -> [OfficeNoticeModel] {
        try await OfficeNoticeModel.query(on: db).filter(\.$mailedAt == nil).sort(\.$at).limit(limit).all()
    }

    func markMailed(_ notice: OfficeNoticeModel, at: Date) async throws {
        notice.mailedAt = at
        try await notice.save(on: db)
    }
}
