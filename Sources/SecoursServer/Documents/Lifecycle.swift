import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// Registration a posteriori and the status moves of a document (R-GPS-2..5).
extension DocumentService {
    /// Registers a manual number or a GAMMA 2 fallback LRN (R-GPS-2). After a manual number the
    /// annual sequence continues after it; an LRN's serial is its operator's own sequence, which
    /// the service does not allocate, so it only has to be unused.
    /// `device`: the offline laptop whose journal this is (`secours sync`); its own reserved
    /// numbers are accepted, and the history names it.
    func register(_ r: RegistrationRequest.Valid, now: Date, device: ToolkitSync.Device? = nil) async throws -> DocumentModel {
        try await requireIssueRight(r.type, on: r.exciseNumber)
        let doc = DocumentModel(registered: r, at: now, day: ParisDay(now), actor: principal)
        let what = (r.kind == .lrn ? "LRN de secours GAMMA 2 enregistré" : "Numéro manuel enregistré")
            + (device.map { " (fait hors ligne sur le poste « \($0.name) », enregistré à sa synchronisation)" } ?? "")
        let history = HistoryModel(documentID: doc.id!, at: now, action: HistoryAction.registration.rawValue,
                                   actorType: doc.actorType, actorLogin: principal.login,
                                   details: "\(what) : \(r.type.label), parti le \(r.dispatch.french), transport \(r.transport)")
        do {
            let stored = try await writeDB.writeTransaction { tx in
                // The sequence row first: it is locked until this transaction ends, so a
                // generation, an import or another registration of this excise number and year
                // waits, and what is checked below cannot change before the insert. An LRN's
                // serial takes the operator's LRN counter row (`ReservationStore.lrnYear`) the
                // same way, so a device's block is never taken over a serial being registered.
                switch r.number {
                case let .craps(number):
                    try await SequenceStore(db: tx).raise(exciseNumber: r.exciseNumber.value, year: r.year, to: number.sequence)
                case let .lrn(lrn):
                    try await SequenceStore(db: tx).raise(exciseNumber: r.exciseNumber.value, year: ReservationStore.lrnYear, to: lrn.serial)
                }
                try await Self.refuseIfTaken(r, on: tx)
                // R-NUM-8: a sequence (or LRN serial) an offline device holds is that device's alone.
                try await ReservationStore(db: tx).refuseIfReserved(kind: r.kind, exciseNumber: r.exciseNumber.value, year: r.year,
                                                                    sequence: r.number.sequence, except: device?.id)
                try await DocumentRows.insert([doc], [history], on: tx)
                return doc
            }
            metrics?.documentsCreated(type: r.type, mode: .aPosteriori, source: "registration")
            return stored
        } catch let e as DatabaseError where e.isConstraintFailure {
            // The database's own uniqueness (a writer that did not take the sequence row first):
            // say which rule, from what is now committed.
            try await Self.refuseIfTaken(r, on: db)
            throw SecoursError.numberTaken
        }
    }

    /// Refuses a number already known, or whose sequence (CRAPS) or serial (LRN) is used by
    /// another document.
    static func refuseIfTaken(_ r: RegistrationRequest.Valid, on db: Database) async throws {
        let sql = db as! SQLDatabase
        if try await sql.raw("SELECT 1 AS one FROM documents WHERE number = \(bind: r.number.value)").first() != nil {
            throw SecoursError(kind: .conflict, code: "number_already_known",
                               message: "Le numéro \(r.number.value) est déjà connu : un numéro de secours ne peut être utilisé qu'une fois.")
        }
        switch r.number {
        case let .craps(number):
            if let other = try await sql.raw("""
                SELECT number FROM documents
                WHERE kind = 'craps' AND excise_number = \(bind: r.exciseNumber.value) AND year = \(bind: r.year) AND sequence = \(bind: number.sequence)
                """).first() {
                let taken = try other.decode(column: "number", as: String.self)
                throw SecoursError(kind: .conflict, code: "sequence_already_used",
                                   message: "La séquence \(number.sequence) de \(r.year) est déjà utilisée par le document \(taken) : la séquence annuelle est commune aux numéros générés et manuels.")
            }
        case let .lrn(lrn):
            if let other = try await sql.raw("""
                SELECT number FROM documents
                WHERE kind = 'lrn' AND excise_number = \(bind: r.exciseNumber.value) AND sequence = \(bind: lrn.serial)
                """).first() {
                let taken = try other.decode(column: "number", as: String.self)
                throw SecoursError(kind: .conflict, code: "lrn_serial_already_used",
                                   message: "Le numéro de série \(lrn.serial) des LRN de secours de \(r.exciseNumber.value) est déjà utilisé par le LRN \(taken) : le numéro de série suit une séquence continue propre à l'opérateur, chaque valeur ne sert qu'une fois.")
            }
        }
    }

    /// Cancels, reactivates or reintegrates a document in scope. The status machine of
    /// SecoursCore decides; a move that lost a race with another one answers 409.
    func move(_ number: String, _ move: StatusMove, _ input: MoveInput, state: SecoursState) async throws -> DocumentModel {
        let (reason, comment, arc) = (input.reason, input.comment, input.arc)
        let now = state.now()
        let inactivationDays = state.settings.inactivationDays
        let (doc, type, facts) = try await findWithFacts(number)
        guard Access.allows(move, of: type, facts) else {
            throw SecoursError(kind: .forbidden, code: "move_not_allowed",
                               message: "Vous n'êtes pas habilité à \(move.verb) ce document.")
        }
        guard let from = Status(rawValue: doc.status) else { throw Abort(.internalServerError, reason: "unknown status \(doc.status)") }
        var details: String
        var sets: [(String, (any Encodable & Sendable)?)] = []
        switch move {
        case .cancel:
            let m = try ReasonedMove<CancellationReason>(code: reason, comment: comment)
            sets = [("cancellation_reason", m.reason.rawValue), ("cancellation_comment", m.comment)]
            details = "Motif : \(m.reason.label)" + (m.comment.map { " – \($0)" } ?? "")
        case .reactivate:
            let m = try ReasonedMove<ReactivationReason>(code: reason, comment: comment)
            sets = [("reactivation_reason", m.reason.rawValue), ("reactivation_comment", m.comment), ("cover_start", now)]
            details = "Motif : \(m.reason.label)" + (m.comment.map { " – \($0)" } ?? "")
                + ". Nouveau délai de régularisation : \(inactivationDays) jours."
        case .reintegrate:
            let parsed: ARC
            do { parsed = try ARC(parsing: arc ?? "") } catch {
                throw SecoursError.invalid(field: "arc", message: "ARC invalide : \(error.message)")
            }
            sets = [("arc", parsed.value)]
            details = "Régularisé dans GAMM@ par l'e-AD \(parsed.value)"
        case .inactivate:
            throw SecoursError.forbidden
        }
        let to = try from.applying(move)
        let id = try doc.requireID()
        let actor = principal
        let action: HistoryAction = switch move {
        case .cancel: .cancellation
        case .reactivate: .reactivation
        case .reintegrate: .reintegration
        case .inactivate: .inactivation
        }
        let assignments = sets
        let text = details
        try await writeDB.writeTransaction { tx in
            let changed = try await StatusWriter(db: tx).change(id, from: from, to: to, setting: assignments)
            guard changed else {
                throw SecoursError(kind: .conflict, code: "status_changed",
                                   message: "Le statut de ce document vient de changer : rechargez-le et recommencez.")
            }
            try await HistoryModel(documentID: id, at: now, action: action.rawValue, actorType: actor.role.actorType.rawValue,
                                   actorLogin: actor.login, details: text).create(on: tx)
        }
        return try await find(doc.number)
    }

    /// Refuses unless the principal may issue documents of this type on this excise number.
    @discardableResult
    func requireIssueRight(_ type: DocumentType, on excise: ExciseNumber) async throws -> ExciseNumberModel {
        guard let (model, facts) = try await scope.facts(for: excise.value) else {
            if Access.learnsUnknownExciseNumbers(principal.role) {
                throw SecoursError.invalid(field: "exciseNumber", message: "Le numéro d'accise \(excise.value) est inconnu.")
            }
            throw SecoursError.exciseNotAllowed(excise.value)
        }
        guard Access.allows(.issue(type), facts) else {
            if Access.seesAnything(facts) {
                throw SecoursError(kind: .forbidden, code: "right_missing",
                                   message: "Vous n'avez pas le droit « \(Right.issue(type).label) » sur le numéro d'accise \(excise.value).")
            }
            throw SecoursError.exciseNotAllowed(excise.value)
        }
        return model
    }
}

/// What a status move is sent with, from the API or the document page.
struct MoveInput: Content {
    let reason: String?
    let comment: String?
    let arc: String?
}

/// Conditional status updates: a row changes only if it still has the expected status, so two
/// concurrent moves (or two server processes inactivating) cannot both apply.
struct StatusWriter {
    let db: Database

    func change(_ id: UUID, from: Status, to: Status, setting extra: [(String, (any Encodable & Sendable)?)] = []) async throws -> Bool {
        guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError, reason: "SQL database required") }
        var update = sql.update(DocumentModel.schema).set("status", to: to.rawValue)
        for (column, value) in extra {
            update = value.map { update.set(column, to: $0) } ?? update.set(SQLColumn(column), to: SQLLiteral.null)
        }
        let rows = try await update.where("id", .equal, id).where("status", .equal, from.rawValue).returning("id").all()
        return rows.count == 1
    }
}

extension SequenceStore {
    /// After a manual number is registered: the annual sequence continues after the highest
    /// number used, generated or manual (R-NUM-4).
    func raise(exciseNumber: String, year: Int, to sequence: Int) async throws {
        guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError, reason: "SQL database required") }
        let larger = sql.dialect.name == "sqlite" ? "MAX" : "GREATEST"
        try await sql.raw("""
            INSERT INTO sequences (excise_number, year, last_used) VALUES (\(bind: exciseNumber), \(bind: year), \(bind: sequence))
            ON CONFLICT (excise_number, year) DO UPDATE SET last_used = \(unsafeRaw: larger)(sequences.last_used, excluded.last_used)
            """).run()
    }
}

/// R-DOC-5: the service turns overdue active documents inactive, as actor Système. Safe with
/// several server processes: each document changes once, whoever gets there first.
struct Inactivator {
    let db: Database
    let rule: InactivationRule

    /// Inactivates every overdue document; returns how many this call changed.
    @discardableResult
    func run(now: Date) async throws -> Int {
        guard let sql = db as? SQLDatabase else { return 0 }
        var changed = 0
        while true {
            let rows = try await sql.raw("""
                SELECT id FROM documents
                WHERE status = \(bind: Status.active.rawValue) AND cover_start < \(bind: rule.cutoff(now: now))
                LIMIT 500
                """).all()
            if rows.isEmpty { return changed }
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                let did = try await db.writeTransaction { tx in
                    guard try await StatusWriter(db: tx).change(id, from: .active, to: .inactive) else { return false }
                    try await HistoryModel(documentID: id, at: now, action: HistoryAction.inactivation.rawValue,
                                           actorType: ActorType.system.rawValue, actorLogin: "secours",
                                           details: "Non régularisé dans le délai de \(rule.days) jours : le document ne couvre plus le mouvement.")
                        .create(on: tx)
                    return true
                }
                if did { changed += 1 }
            }
        }
    }
}
