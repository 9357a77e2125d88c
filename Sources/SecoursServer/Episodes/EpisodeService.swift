import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// Fallback episodes (R-DIAG-2): declared or requested by operators, answered by their office,
/// opened by the office's silence after the delay, closed when the fault is fixed. Every read
/// first settles the requests whose delay has passed, so what anyone sees is already true.
struct EpisodeService {
    let db: Database
    let principal: Principal
    var answerDelay: TimeInterval = 3600

    init(db: Database, principal: Principal, answerDelay: TimeInterval = 3600) {
        self.db = db
        self.principal = principal
        self.answerDelay = answerDelay
    }

    init(_ req: Request) throws {
        self.init(db: req.db, principal: try req.principal(), answerDelay: req.application.secours.settings.officeAnswerDelay)
    }

    var scope: Scope { Scope(db: db, principal: principal) }
    var store: EpisodeStore { EpisodeStore(db: db) }

    // MARK: What covers a generation

    /// What allows generating for an excise number now: an open episode of the service, or a
    /// current alert covering the service and the excise number's mode.
    struct Coverage {
        let episodeID: UUID?
        let alert: String?
    }

    static func coverage(exciseNumber: String, mode: TransmissionMode, service: OnlineService = .gamma, on db: Database, now: Date,
                         alerts: CurrentAlerts?) async throws -> Coverage? {
        // During an outage most numbers are covered by an alert: that check reads no table.
        if let alert = try await (alerts ?? CurrentAlerts(lifetime: 0)).current(on: db).first(where: { $0.coverage.covers(service, mode) }) {
            return Coverage(episodeID: nil, alert: alert.reference)
        }
        guard let active = try await active(exciseNumber: exciseNumber, service: service, on: db) else { return nil }
        if active.status == .requested {
            guard let deadline = active.deadline, deadline <= now else { return nil }
            try await settle(on: db, now: now, exciseNumbers: [exciseNumber])
        }
        return Coverage(episodeID: active.id, alert: nil)
    }

    /// The episode requested or open for an excise number and service (at most one).
    static func active(exciseNumber: String, service: OnlineService, on db: Database) async throws -> EpisodeModel? {
        try await EpisodeStore(db: db).active(exciseNumber: exciseNumber, service: service)
    }

    static func notCovered(_ excise: String, _ mode: TransmissionMode) -> SecoursError {
        SecoursError(kind: .conflict, code: "fallback_not_open", message: Messages.Episodes.notCovered(exciseNumber: excise, mode: mode.rawValue))
    }

    /// Requests whose delay has passed open by the office's silence (actor Système), once each.
    static func settle(on db: Database, now: Date, exciseNumbers: [String]? = nil, officeID: UUID? = nil) async throws {
        let store = EpisodeStore(db: db)
        for e in try await store.due(at: now, exciseNumbers: exciseNumbers, officeID: officeID) {
            guard let deadline = e.deadline else { continue }
            let move = EpisodeMove.openBySilence
            let line = EpisodeEventModel(episodeID: try e.requireID(), at: deadline, kind: move.event, actorType: .system,
                                         actorLogin: Messages.systemLogin, details: Messages.Episodes.openedBySilence)
            // Another reader may have settled it meanwhile: then nothing is written twice.
            _ = try await store.apply(move, to: e.requireID(), at: deadline, event: line)
        }
    }

    // MARK: Declaring and answering

    func create(_ v: EpisodeRequest.Valid, now: Date) async throws -> EpisodeModel {
        guard let (model, facts) = try await scope.facts(for: v.exciseNumber.value) else { throw SecoursError.exciseNotAllowed(v.exciseNumber.value) }
        let isOfficer = Access.declaresAsOffice(facts)
        guard Access.allows(.declareEpisode(facts), principal.actor) else {
            throw Access.seesAnything(facts) ? SecoursError.forbidden : SecoursError.exciseNotAllowed(v.exciseNumber.value)
        }
        var reference = v.reference
        if v.basis == .alert {
            let mode = model.mode
            let alert = try await AlertStore(db: db).current(reference: (v.reference ?? "").uppercased())
            guard let alert, alert.coverage.covers(v.service, mode) else {
                throw SecoursError.invalid(field: "reference", message: Messages.Episodes.noCoveringAlert(reference: v.reference ?? "", service: v.service.label, mode: mode.rawValue))
            }
            reference = alert.reference
        }
        try await Self.settle(on: db, now: now, exciseNumbers: [v.exciseNumber.value])
        if let active = try await Self.active(exciseNumber: v.exciseNumber.value, service: v.service, on: db) { throw Self.alreadyActive(active, v) }
        let e = EpisodeModel()
        e.id = UUID()
        e.exciseNumber = v.exciseNumber.value
        e.officeID = model.$office.id
        e.service = v.service
        e.basis = v.basis
        e.reference = reference
        e.reason = v.reason
        e.requestedAt = now
        e.openedBy = principal.login
        let start = EpisodeStart(basis: v.basis, declaredByOffice: isOfficer)
        e.status = start.status
        var details = Messages.Episodes.declared(basis: v.basis, reference: reference, reason: v.reason)
        if start.status == .requested {
            let deadline = now.addingTimeInterval(answerDelay)
            e.deadline = deadline
            details += Messages.Episodes.silenceGrants(at: deadline)
        } else {
            e.startedAt = now
        }
        let line = EpisodeEventModel(episodeID: e.id!, at: now, kind: start.event, actorType: principal.role.actorType,
                                     actorLogin: principal.login, details: details)
        // The office hears at once of what its operators ask or declare.
        let notice: OfficeNoticeModel? = isOfficer ? nil : OfficeNoticeStore.notice(
            start.event == .requested ? .authorisationRequest : .episodeDeclared, office: e.officeID, exciseNumber: e.exciseNumber,
            text: start.event == .requested
                ? Messages.inFrench { Messages.Episodes.authorisationAsked(exciseNumber: v.exciseNumber.value, service: v.service.label, reason: v.reason) }
                : Messages.inFrench { Messages.Episodes.declaredNotice(exciseNumber: v.exciseNumber.value, service: v.service.label, details: details) },
            link: SiteURL.episode(e.id!).path, at: now)
        do {
            try await store.create(e, events: [line], notice: notice)
        } catch let error as DatabaseError where error.isConstraintFailure {
            // Another request opened one meanwhile: the database keeps one active episode per
            // excise number and service (episodes_one_active).
            if let active = try await Self.active(exciseNumber: v.exciseNumber.value, service: v.service, on: db) { throw Self.alreadyActive(active, v) }
            throw SecoursError.concurrentWrite
        }
        return e
    }

    /// An outage a laptop logged offline (R-API-2): its evidence and its end, known afterwards.
    struct OfflineOutage: Sendable {
        let exciseNumber: String
        let officeID: UUID
        let service: OnlineService
        let reason: String
        let startedAt: Date
        let endedAt: Date
        /// Its start and every attempt to reach the office, with their times.
        let evidence: [(Date, String)]
        let end: String
        /// What the push brought, written at the time of the push.
        let summary: String
    }

    /// The episode an outage logged offline becomes, whoever pushes it: an episode already
    /// requested or open for the excise number and service gets the outage as evidence; else an
    /// episode of basis `offline-outage` is opened at the outage's start and ended at its end,
    /// through SecoursCore's machine (`EpisodeStart`, `EpisodeMove.end`), and the office is told.
    /// Must run in a write transaction. Returns the episode and whether it was made.
    func recordOfflineOutage(_ o: OfflineOutage, now: Date) async throws -> (UUID, created: Bool) {
        let actorType = principal.role.actorType
        let login = principal.login
        func line(_ episode: UUID, _ at: Date, _ kind: EpisodeEvent, _ text: String) -> EpisodeEventModel {
            EpisodeEventModel(episodeID: episode, at: at, kind: kind, actorType: actorType, actorLogin: login, details: text)
        }
        if let active = try await Self.active(exciseNumber: o.exciseNumber, service: o.service, on: db) {
            let id = try active.requireID()
            for (at, text) in o.evidence + [(o.endedAt, o.end)] { try await store.add(line(id, at, .evidence, text)) }
            try await store.add(line(id, now, .evidence, o.summary))
            return (id, false)
        }
        let start = EpisodeStart(basis: .offlineOutage, declaredByOffice: false)
        let ended = try start.status.applying(.end)
        let id = UUID()
        let e = EpisodeModel()
        e.id = id
        e.exciseNumber = o.exciseNumber
        e.officeID = o.officeID
        e.service = o.service
        e.basis = .offlineOutage
        e.reason = o.reason
        e.requestedAt = o.startedAt
        e.startedAt = o.startedAt
        e.endedAt = o.endedAt
        e.status = ended
        e.openedBy = login
        var lines = [line(id, o.evidence.first?.0 ?? o.startedAt, start.event, o.evidence.first?.1 ?? o.reason)]
        lines += o.evidence.dropFirst().map { line(id, $0.0, .evidence, $0.1) }
        lines.append(line(id, o.endedAt, EpisodeMove.end.event, o.end))
        let notice = OfficeNoticeStore.notice(.episodeDeclared, office: o.officeID, exciseNumber: o.exciseNumber,
                                              text: Messages.inFrench { Messages.ToolkitSync.outageNotice(exciseNumber: o.exciseNumber, service: o.service.label, summary: o.summary) },
                                              link: SiteURL.episode(id).path, at: now)
        try await store.insert(e, events: lines, notice: notice)
        try await store.add(line(id, now, .evidence, o.summary))
        return (id, true)
    }

    static func alreadyActive(_ active: EpisodeModel, _ v: EpisodeRequest.Valid) -> SecoursError {
        SecoursError(kind: .conflict, code: "episode_active",
                     message: Messages.Episodes.alreadyActive(active.status, exciseNumber: v.exciseNumber.value, service: v.service.label,
                                                              since: active.requestedAt))
    }

    enum Decision: String, Codable {
        case authorise, refuse
        var move: EpisodeMove { self == .authorise ? .authorise : .refuse }
    }

    func decide(_ id: String, _ decision: Decision, comment: String?, now: Date) async throws -> EpisodeModel {
        let e = try await find(id, now: now)
        try principal.require(.decideEpisode(sameOffice: principal.officeID == e.officeID))
        let comment = try EpisodeRequest.note(comment, field: "comment", required: decision == .refuse)
        let move = decision.move
        _ = try e.status.applying(move, basis: e.basis)
        let line = EpisodeEventModel(episodeID: try e.requireID(), at: now, kind: move.event, actorType: principal.role.actorType,
                                     actorLogin: principal.login, details: comment ?? (decision == .authorise ? Messages.Episodes.authorised : ""))
        guard try await store.apply(move, to: e.requireID(), at: now, event: line) else {
            throw SecoursError(kind: .conflict, code: "episode_not_pending", message: Messages.Episodes.justAnswered)
        }
        return try await find(id, now: now)
    }

    func addEvidence(_ id: String, text: String?, now: Date) async throws -> EpisodeModel {
        let e = try await find(id, now: now)
        try requireActor(e)
        let text = try EpisodeRequest.note(text, required: true)!
        try await store.add(EpisodeEventModel(episodeID: e.requireID(), at: now, kind: .evidence, actorType: principal.role.actorType,
                                              actorLogin: principal.login, details: text))
        return e
    }

    func end(_ id: String, comment: String?, now: Date) async throws -> EpisodeModel {
        let e = try await find(id, now: now)
        try requireActor(e)
        let comment = try EpisodeRequest.note(comment, field: "comment", required: false)
        let line = EpisodeEventModel(episodeID: try e.requireID(), at: now, kind: EpisodeMove.end.event, actorType: principal.role.actorType,
                                     actorLogin: principal.login, details: comment ?? Messages.Episodes.ended)
        guard try await store.apply(.end, to: e.requireID(), at: now, event: line) else {
            // Ended meanwhile (or already over): say where it stands now.
            let current = try await store.find(e.requireID())?.status ?? e.status
            _ = try current.applying(.end)
            throw SecoursError.concurrentWrite
        }
        return try await find(id, now: now)
    }

    /// The operator's side or its office may add to and close an episode; the CID only reads.
    private func requireActor(_ e: EpisodeModel) throws {
        try principal.require(.actOnEpisode(sameOffice: principal.officeID == e.officeID))
    }

    // MARK: Reading, within scope

    /// Episodes the principal may see, newest first.
    func list(status: EpisodeStatus? = nil, exciseNumber: String? = nil, limit: Int = 200, now: Date) async throws -> [EpisodeModel] {
        let records = try await scope.records()
        switch records {
        case .all: try await Self.settle(on: db, now: now)
        case let .office(id): try await Self.settle(on: db, now: now, officeID: id)
        case let .exciseNumbers(numbers): try await Self.settle(on: db, now: now, exciseNumbers: numbers)
        case .none: return []
        }
        return try await store.list(records, status: status, exciseNumber: exciseNumber.map(TypedNumber.key), limit: limit)
    }

    /// An episode in scope, or 404.
    func find(_ id: String, now: Date) async throws -> EpisodeModel {
        guard let uuid = UUID(uuidString: id), let found = try await store.find(uuid),
              try await scope.sees(exciseNumber: found.exciseNumber, officeID: found.officeID)
        else { throw SecoursError.notFound(Messages.Episodes.episodeWhat) }
        // Every overdue request of the excise number opens first (another service's too).
        try await Self.settle(on: db, now: now, exciseNumbers: [found.exciseNumber])
        return try await store.find(uuid) ?? found
    }

    /// The numbers generated under the episode (R-DIAG-2), newest first.
    func documents(of e: EpisodeModel, limit: Int) async throws -> [DocumentModel] {
        try await store.documents(of: e.requireID(), limit: limit)
    }

    func events(of e: EpisodeModel) async throws -> [EpisodeEventModel] {
        try await store.events(of: e.requireID())
    }
}
