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
        if active.status == EpisodeStatus.requested.rawValue {
            guard let deadline = active.deadline, deadline <= now else { return nil }
            try await settle(on: db, now: now, exciseNumbers: [exciseNumber])
        }
        return Coverage(episodeID: active.id, alert: nil)
    }

    /// The episode requested or open for an excise number and service (at most one).
    static func active(exciseNumber: String, service: OnlineService, on db: Database) async throws -> EpisodeModel? {
        try await EpisodeModel.query(on: db).filter(\.$exciseNumber == exciseNumber).filter(\.$service == service.rawValue)
            .filter(\.$status ~~ EpisodeStatus.allCases.filter(\.isActive).map(\.rawValue)).first()
    }

    static func notCovered(_ excise: String, _ mode: TransmissionMode) -> SecoursError {
        SecoursError(kind: .conflict, code: "fallback_not_open", message: """
            Aucune alerte en cours ni épisode de secours ouvert ne couvre GAMMA en mode \(mode.rawValue) pour \(excise) : \
            faites le diagnostic (« Je diagnostique ma panne ») et, selon sa conclusion, demandez l'autorisation à votre bureau \
            ou enregistrez le diagnostic du SAU.
            """)
    }

    /// Requests whose delay has passed open by the office's silence (actor Système), once each.
    static func settle(on db: Database, now: Date, exciseNumbers: [String]? = nil, officeID: UUID? = nil) async throws {
        var query = EpisodeModel.query(on: db).filter(\.$status == EpisodeStatus.requested.rawValue).filter(\.$deadline <= now)
        if let exciseNumbers { query = query.filter(\.$exciseNumber ~~ exciseNumbers) }
        if let officeID { query = query.filter(\.$officeID == officeID) }
        for e in try await query.all() {
            guard let deadline = e.deadline else { continue }
            try await db.transaction { tx in
                guard let sql = tx as? SQLDatabase else { return }
                let rows = try await sql.update(EpisodeModel.schema).set("status", to: EpisodeStatus.open.rawValue)
                    .set("basis", to: EpisodeBasis.officeSilence.rawValue).set("started_at", to: deadline)
                    .where("id", .equal, e.requireID()).where("status", .equal, EpisodeStatus.requested.rawValue).returning("id").all()
                guard rows.count == 1 else { return }
                try await EpisodeEventModel(episodeID: e.requireID(), at: deadline, kind: .openedBySilence, actorType: ActorType.system.rawValue,
                                            actorLogin: "système", details: "Aucune réponse du bureau dans le délai : l'opérateur est autorisé à utiliser la procédure de secours.")
                    .create(on: tx)
            }
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
            let mode = TransmissionMode(rawValue: model.mode) ?? .dti
            let alert = try await AlertModel.query(on: db).filter(\.$reference == (v.reference ?? "").uppercased()).filter(\.$endedAt == nil).first()
            guard let alert, alert.coverage.covers(v.service, mode) else {
                throw SecoursError.invalid(field: "reference", message: "Aucune alerte en cours « \(v.reference ?? "") » ne couvre \(v.service.label) en mode \(mode.rawValue).")
            }
            reference = alert.reference
        }
        try await Self.settle(on: db, now: now, exciseNumbers: [v.exciseNumber.value])
        if let active = try await Self.active(exciseNumber: v.exciseNumber.value, service: v.service, on: db) { throw Self.alreadyActive(active, v) }
        let e = EpisodeModel()
        e.id = UUID()
        e.exciseNumber = v.exciseNumber.value
        e.officeID = model.$office.id
        e.service = v.service.rawValue
        e.basis = v.basis.rawValue
        e.reference = reference
        e.reason = v.reason
        e.requestedAt = now
        e.openedBy = principal.login
        let event: EpisodeEvent
        var details = v.basis.label + (reference.map { " — référence \($0)" } ?? "") + (v.reason.isEmpty ? "" : " — \(v.reason)")
        if v.basis == .officeAuthorisation && !isOfficer {
            e.status = EpisodeStatus.requested.rawValue
            e.deadline = now.addingTimeInterval(answerDelay)
            event = .requested
            details += " — sans réponse avant le \(ParisCalendar.french(e.deadline!)), l'opérateur est autorisé."
        } else {
            e.status = EpisodeStatus.open.rawValue
            e.startedAt = now
            event = v.basis == .officeAuthorisation ? .authorised : .opened
        }
        let line = EpisodeEventModel(episodeID: e.id!, at: now, kind: event, actorType: principal.role.actorType.rawValue,
                                     actorLogin: principal.login, details: details)
        // The office hears at once of what its operators ask or declare.
        let notice: OfficeNotices.Kind? = isOfficer ? nil : (event == .requested ? .authorisationRequest : .episodeDeclared)
        let noticeText = event == .requested
            ? "Demande d'autorisation pour \(v.exciseNumber.value) (\(v.service.label)) : réponse attendue dans l'heure. \(v.reason)"
            : "Épisode de secours déclaré pour \(v.exciseNumber.value) (\(v.service.label)) : \(details)"
        do {
            try await db.transaction { tx in
                try await e.create(on: tx)
                try await line.create(on: tx)
                if let notice {
                    try await OfficeNotices.post(notice, office: e.officeID, exciseNumber: e.exciseNumber, text: noticeText,
                                                 link: SiteURL.episode(e.id!).path, at: now, on: tx)
                }
            }
        } catch let error as DatabaseError where error.isConstraintFailure {
            // Another request opened one meanwhile: the database keeps one active episode per
            // excise number and service (episodes_one_active).
            if let active = try await Self.active(exciseNumber: v.exciseNumber.value, service: v.service, on: db) { throw Self.alreadyActive(active, v) }
            throw SecoursError.concurrentWrite
        }
        return e
    }

    static func alreadyActive(_ active: EpisodeModel, _ v: EpisodeRequest.Valid) -> SecoursError {
        SecoursError(kind: .conflict, code: "episode_active",
                     message: "Un épisode de secours est déjà \(EpisodeStatus(rawValue: active.status)?.label.lowercased() ?? active.status) pour \(v.exciseNumber.value) (\(v.service.label)) : \(active.id!.uuidString.lowercased()).")
    }

    enum Decision: String, Codable { case authorise, refuse }

    func decide(_ id: String, _ decision: Decision, comment: String?, now: Date) async throws -> EpisodeModel {
        let e = try await find(id, now: now)
        try principal.require(.decideEpisode(sameOffice: principal.officeID == e.officeID))
        let comment = try EpisodeRequest.note(comment, field: "comment", required: decision == .refuse)
        guard e.status == EpisodeStatus.requested.rawValue else {
            throw SecoursError(kind: .conflict, code: "episode_not_pending",
                               message: "Cette demande n'attend plus de réponse (\(EpisodeStatus(rawValue: e.status)?.label.lowercased() ?? e.status)\(e.basis == EpisodeBasis.officeSilence.rawValue ? ", faute de réponse dans le délai" : "")).")
        }
        try await db.transaction { tx in
            guard let sql = tx as? SQLDatabase else { throw Abort(.internalServerError) }
            var update = sql.update(EpisodeModel.schema)
            if decision == .authorise {
                update = update.set("status", to: EpisodeStatus.open.rawValue).set("started_at", to: now)
            } else {
                update = update.set("status", to: EpisodeStatus.refused.rawValue).set("ended_at", to: now)
            }
            let rows = try await update.where("id", .equal, e.requireID()).where("status", .equal, EpisodeStatus.requested.rawValue).returning("id").all()
            guard rows.count == 1 else { throw SecoursError(kind: .conflict, code: "episode_not_pending", message: "Cette demande vient d'être traitée.") }
            try await EpisodeEventModel(episodeID: e.requireID(), at: now, kind: decision == .authorise ? .authorised : .refused,
                                        actorType: principal.role.actorType.rawValue, actorLogin: principal.login,
                                        details: comment ?? (decision == .authorise ? "Autorisé." : "")).create(on: tx)
        }
        return try await find(id, now: now)
    }

    func addEvidence(_ id: String, text: String?, now: Date) async throws -> EpisodeModel {
        let e = try await find(id, now: now)
        try requireActor(e)
        let text = try EpisodeRequest.note(text, required: true)!
        try await EpisodeEventModel(episodeID: e.requireID(), at: now, kind: .evidence, actorType: principal.role.actorType.rawValue,
                                    actorLogin: principal.login, details: text).create(on: db)
        return e
    }

    func end(_ id: String, comment: String?, now: Date) async throws -> EpisodeModel {
        let e = try await find(id, now: now)
        try requireActor(e)
        let comment = try EpisodeRequest.note(comment, field: "comment", required: false)
        try await db.transaction { tx in
            guard let sql = tx as? SQLDatabase else { throw Abort(.internalServerError) }
            let rows = try await sql.update(EpisodeModel.schema).set("status", to: EpisodeStatus.closed.rawValue).set("ended_at", to: now)
                .where("id", .equal, e.requireID()).where("status", .in, EpisodeStatus.allCases.filter(\.isActive).map(\.rawValue))
                .returning("id").all()
            guard rows.count == 1 else {
                throw SecoursError(kind: .conflict, code: "episode_over", message: "Cet épisode est déjà \(EpisodeStatus(rawValue: e.status)?.label.lowercased() ?? e.status).")
            }
            try await EpisodeEventModel(episodeID: e.requireID(), at: now, kind: .closed, actorType: principal.role.actorType.rawValue,
                                        actorLogin: principal.login, details: comment ?? "Fin de l'indisponibilité.").create(on: tx)
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
        var query = EpisodeModel.query(on: db)
        switch try await scope.records() {
        case .all: try await Self.settle(on: db, now: now)
        case let .office(id):
            try await Self.settle(on: db, now: now, officeID: id)
            query = query.filter(\.$officeID == id)
        case let .exciseNumbers(numbers):
            try await Self.settle(on: db, now: now, exciseNumbers: numbers)
            query = query.filter(\.$exciseNumber ~~ numbers)
        case .none: return []
        }
        if let status { query = query.filter(\.$status == status.rawValue) }
        if let exciseNumber { query = query.filter(\.$exciseNumber == exciseNumber.uppercased()) }
        return try await query.sort(\.$requestedAt, .descending).limit(limit).all()
    }

    /// An episode in scope, or 404.
    func find(_ id: String, now: Date) async throws -> EpisodeModel {
        guard let uuid = UUID(uuidString: id), let found = try await EpisodeModel.find(uuid, on: db),
              try await scope.sees(exciseNumber: found.exciseNumber, officeID: found.officeID)
        else { throw SecoursError.notFound("Épisode") }
        try await Self.settle(on: db, now: now, exciseNumbers: [found.exciseNumber])
        return try await EpisodeModel.find(uuid, on: db)!
    }

    /// The numbers generated under the episode (R-DIAG-2), newest first.
    func documents(of e: EpisodeModel, limit: Int) async throws -> [DocumentModel] {
        try await DocumentModel.query(on: db).filter(\.$coveredByEpisode == e.requireID()).sort(\.$registeredAt, .descending).limit(limit).all()
    }

    func events(of e: EpisodeModel) async throws -> [EpisodeEventModel] {
        try await EpisodeEventModel.query(on: db).filter(\.$episode.$id == e.requireID()).sort(\.$at).all()
    }
}
