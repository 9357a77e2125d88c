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

    func register(_ v: AssistanceRequest.Valid, now: Date) async throws -> AssistanceRequestModel {
        try principal.require(.requestAssistance)
        guard let (model, facts) = try await Scope(db: db, principal: principal).facts(for: v.exciseNumber.value) else {
            throw SecoursError.exciseNotAllowed(v.exciseNumber.value)
        }
        guard DocumentType.allCases.contains(where: { Access.allows(.issue($0), facts) }) else {
            throw Access.seesAnything(facts) ? SecoursError.forbidden : SecoursError.exciseNotAllowed(v.exciseNumber.value)
        }
        try await EpisodeService.settle(on: db, now: now, exciseNumbers: [v.exciseNumber.value])
        if let open = try await AssistanceRequestModel.query(on: db).filter(\.$exciseNumber == v.exciseNumber.value)
            .filter(\.$service == v.service.rawValue).filter(\.$closedAt == nil).first() {
            throw SecoursError(kind: .conflict, code: "assistance_open",
                               message: "Une demande d'assistance est déjà ouverte pour \(v.service.label) (\(open.reference)) : une seule par service en ligne.")
        }
        if try await EpisodeService.active(exciseNumber: v.exciseNumber.value, service: v.service, on: db) != nil {
            throw SecoursError(kind: .conflict, code: "episode_active",
                               message: "Un épisode de secours est déjà demandé ou ouvert pour \(v.exciseNumber.value) (\(v.service.label)) : closez-le d'abord.")
        }
        // The day's reference is counted, then inserted: two requests of the same instant may
        // count alike, and the unique reference refuses the second, which counts again. An
        // active episode for the same excise number and service is refused by its own index.
        for attempt in 1...5 {
            do {
                let day = ParisDay(now)
                let prefix = DayReference.assistanceRequest.prefix(day)
                let sameDay = try await AssistanceRequestModel.query(on: db).filter(\.$reference >= prefix).filter(\.$reference < prefix + "~").count()
                let reference = DayReference.assistanceRequest.make(day: day, ordinal: sameDay + 1)

                let episode = EpisodeModel()
                episode.id = UUID()
                episode.exciseNumber = v.exciseNumber.value
                episode.officeID = model.$office.id
                episode.service = v.service.rawValue
                episode.basis = EpisodeBasis.selfTrigger.rawValue
                episode.status = EpisodeStatus.open.rawValue
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
                r.service = v.service.rawValue
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

                let event = EpisodeEventModel(episodeID: episode.id!, at: now, kind: .opened, actorType: principal.role.actorType.rawValue, actorLogin: principal.login,
                                              details: "Demande d'assistance \(reference) — « \(AssistanceRequest.mention) » — \(v.service.label), passage en alerte le \(ParisCalendar.french(v.switchedAt)) ; EORI \(v.eori), \(v.companyName), \(v.address), tél. \(v.phone). Raisons : \(v.reasons)")
                let office = model.$office.id
                let link = SiteURL.episode(episode.id!).path
                try await db.transaction { tx in
                    try await episode.create(on: tx)
                    try await r.create(on: tx)
                    try await event.create(on: tx)
                    try await OfficeNotices.post(.selfTrigger, office: office, exciseNumber: v.exciseNumber.value,
                                                 text: "\(v.companyName) auto-déclenche la procédure de secours pour \(v.service.label) (demande \(reference)).",
                                                 link: link, at: now, on: tx)
                }
                return r
            } catch let e as DatabaseError where e.isConstraintFailure {
                if try await EpisodeService.active(exciseNumber: v.exciseNumber.value, service: v.service, on: db) != nil {
                    throw SecoursError(kind: .conflict, code: "episode_active",
                                       message: "Un épisode de secours est déjà demandé ou ouvert pour \(v.exciseNumber.value) (\(v.service.label)) : closez-le d'abord.")
                }
                if attempt == 5 { throw SecoursError.concurrentWrite }
            }
        }
        throw SecoursError.concurrentWrite
    }

    func close(_ id: String, comment: String?, now: Date) async throws -> AssistanceRequestModel {
        let r = try await find(id)
        try principal.require(.requestAssistance)
        let comment = try EpisodeRequest.note(comment, field: "comment", required: false)
        guard r.closedAt == nil else {
            throw SecoursError(kind: .conflict, code: "assistance_closed", message: "La demande \(r.reference) est déjà close.")
        }
        try await db.transaction { tx in
            guard let sql = tx as? SQLDatabase else { throw Abort(.internalServerError) }
            let rows = try await sql.update(AssistanceRequestModel.schema).set("closed_at", to: now)
                .where("id", .equal, r.requireID()).where(SQLColumn("closed_at"), .is, SQLLiteral.null).returning("id").all()
            guard rows.count == 1 else { throw SecoursError(kind: .conflict, code: "assistance_closed", message: "La demande \(r.reference) est déjà close.") }
            let ended = try await sql.update(EpisodeModel.schema).set("status", to: EpisodeStatus.closed.rawValue).set("ended_at", to: now)
                .where("id", .equal, r.episodeID).where("status", .equal, EpisodeStatus.open.rawValue).returning("id").all()
            if ended.count == 1 {
                try await EpisodeEventModel(episodeID: r.episodeID, at: now, kind: .closed, actorType: principal.role.actorType.rawValue, actorLogin: principal.login,
                                            details: "Demande d'assistance \(r.reference) close : dysfonctionnement résolu." + (comment.map { " \($0)" } ?? "")).create(on: tx)
            }
        }
        return try await find(id)
    }

    /// The requests the principal may see: its own excise numbers', or its office's; the CID all.
    func list() async throws -> [AssistanceRequestModel] {
        var q = AssistanceRequestModel.query(on: db)
        switch try await Scope(db: db, principal: principal).records() {
        case .all: break
        case let .office(id): q = q.filter(\.$officeID == id)
        case let .exciseNumbers(numbers): q = q.filter(\.$exciseNumber ~~ numbers)
        case .none: return []
        }
        return try await q.sort(\.$registeredAt, .descending).limit(200).all()
    }

    func find(_ id: String) async throws -> AssistanceRequestModel {
        guard let uuid = UUID(uuidString: id), let r = try await AssistanceRequestModel.find(uuid, on: db),
              try await Scope(db: db, principal: principal).sees(exciseNumber: r.exciseNumber, officeID: r.officeID)
        else { throw SecoursError.notFound("Demande d'assistance") }
        return r
    }
}
