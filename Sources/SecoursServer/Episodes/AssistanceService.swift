import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// Self-triggering assistance requests (R-DIAG-3): registering one opens a fallback episode at
/// its registration time and tells the office; closing it ends the episode.
struct AssistanceService {
    let db: Database
    let principal: Principal

    init(db: Database, principal: Principal) {
        self.db = db
        self.principal = principal
    }

    init(_ req: Request) throws { self.init(db: req.db, principal: try req.principal()) }

    var store: EpisodeStore { EpisodeStore(db: db) }

    func register(_ v: AssistanceRequest.Valid, now: Date) async throws -> AssistanceRequestModel {
        try principal.require(.requestAssistance)
        guard let (model, facts) = try await Scope(db: db, principal: principal).facts(for: v.exciseNumber.value) else {
            throw SecoursError.exciseNotAllowed(v.exciseNumber.value)
        }
        guard DocumentType.allCases.contains(where: { Access.allows(.issue($0), facts) }) else {
            throw Access.seesAnything(facts) ? SecoursError.forbidden : SecoursError.exciseNotAllowed(v.exciseNumber.value)
        }
        try await EpisodeService.settle(on: db, now: now, exciseNumbers: [v.exciseNumber.value])
        if let open = try await store.openAssistanceRequest(exciseNumber: v.exciseNumber.value, service: v.service) {
            throw SecoursError(kind: .conflict, code: "assistance_open",
                               message: Messages.Assistance.alreadyOpen(service: v.service.label, reference: open.reference))
        }
        if try await store.active(exciseNumber: v.exciseNumber.value, service: v.service) != nil { throw Self.episodeActive(v) }
        // The day's reference is counted, then inserted: two requests of the same instant may
        // count alike, and the unique reference refuses the second, which counts again. An
        // active episode for the same excise number and service is refused by its own index.
        for attempt in 1...5 {
            do {
                let day = ParisDay(now)
                let prefix = DayReference.assistanceRequest.prefix(day)
                let sameDay = try await store.assistanceRequests(referencePrefix: prefix)
                let reference = DayReference.assistanceRequest.make(day: day, ordinal: sameDay + 1)

                let episode = EpisodeModel()
                episode.id = UUID()
                episode.exciseNumber = v.exciseNumber.value
                episode.officeID = model.$office.id
                episode.service = v.service
                episode.basis = .selfTrigger
                episode.status = .open
                episode.reference = reference
                episode.reason = v.reasons
                episode.requestedAt = now
                episode.startedAt = now
                episode.openedBy = principal.login

                let r = AssistanceRequestModel()
                r.id = UUID()
                r.reference = reference
                r.exciseNumber = v.exciseNumber.value
                r.officeID = model.$office.id
                r.service = v.service
                r.eori = v.eori
                r.companyName = v.companyName
                r.address = v.address
                r.phone = v.phone
                r.switchedAt = v.switchedAt
                r.reasons = v.reasons
                r.registeredAt = now
                r.registeredBy = principal.login
                r.episodeID = episode.id!
                episode.assistanceRequestID = r.id

                let event = EpisodeEventModel(episodeID: episode.id!, at: now, kind: EpisodeStart(basis: .selfTrigger, declaredByOffice: false).event,
                                              actorType: principal.role.actorType, actorLogin: principal.login,
                                              details: Messages.Assistance.opened(v, reference: reference))
                let notice = OfficeNoticeStore.notice(.selfTrigger, office: model.$office.id, exciseNumber: v.exciseNumber.value,
                                                      text: Messages.inFrench { Messages.Assistance.selfTriggerNotice(companyName: v.companyName, service: v.service.label, reference: reference) },
                                                      link: SiteURL.episode(episode.id!).path, at: now)
                try await store.create(r, episode: episode, event: event, notice: notice)
                return r
            } catch let e as DatabaseError where e.isConstraintFailure {
                if try await store.active(exciseNumber: v.exciseNumber.value, service: v.service) != nil { throw Self.episodeActive(v) }
                if attempt == 5 { throw SecoursError.concurrentWrite }
            }
        }
        throw SecoursError.concurrentWrite
    }

    func close(_ id: String, comment: String?, now: Date) async throws -> AssistanceRequestModel {
        let r = try await find(id)
        try principal.require(.requestAssistance)
        let comment = try EpisodeRequest.note(comment, field: "comment", required: false)
        let closed = SecoursError(kind: .conflict, code: "assistance_closed", message: Messages.Assistance.alreadyClosed(r.reference))
        guard r.closedAt == nil else { throw closed }
        let line = EpisodeEventModel(episodeID: r.episodeID, at: now, kind: EpisodeMove.closeWithAssistanceRequest.event, actorType: principal.role.actorType,
                                     actorLogin: principal.login, details: Messages.Assistance.closed(r.reference, comment: comment))
        guard try await store.close(r, at: now, event: line) else { throw closed }
        return try await find(id)
    }

    /// The requests the principal may see: its own excise numbers', or its office's; the CID all.
    func list() async throws -> [AssistanceRequestModel] {
        try await store.assistanceRequests(Scope(db: db, principal: principal).records(), limit: 200)
    }

    func find(_ id: String) async throws -> AssistanceRequestModel {
        guard let uuid = UUID(uuidString: id), let r = try await store.assistanceRequest(uuid),
              try await Scope(db: db, principal: principal).sees(exciseNumber: r.exciseNumber, officeID: r.officeID)
        else { throw SecoursError.notFound(Messages.Assistance.what) }
        return r
    }

    static func episodeActive(_ v: AssistanceRequest.Valid) -> SecoursError {
        SecoursError(kind: .conflict, code: "episode_active",
                     message: Messages.Episodes.activeBeforeAssistance(exciseNumber: v.exciseNumber.value, service: v.service.label))
    }
}
