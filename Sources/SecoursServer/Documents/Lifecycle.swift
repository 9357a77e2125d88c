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
        let what = (r.kind == .lrn ? Messages.Documents.lrnRegistered : Messages.Documents.manualRegistered)
            + (device.map { Messages.Documents.registeredOffline(device: $0.name) } ?? "")
        let history = HistoryModel(documentID: doc.id!, at: now, action: .registration,
                                   actorType: doc.actorType, actorLogin: principal.login,
                                   details: Messages.inFrench { Messages.Documents.registration(what, type: r.type.label, dispatch: r.dispatch.french, transport: r.transport) })
        let jumpThreshold = self.jumpThreshold
        do {
            let stored = try await writeDB.writeTransaction { tx in
                // R-NUM-9: a number far beyond the last one used is a typing slip until confirmed;
                // a number of the device's own lease never is.
                if !r.confirmedJump {
                    var mine = false
                    if let device {
                        mine = try await ReservationStore(db: tx).isInOwnLease(kind: r.kind, exciseNumber: r.exciseNumber.value, year: r.year,
                                                                                sequence: r.number.sequence, device: device.id)
                    }
                    let last = try await SequenceStore(db: tx).lastUsed(kind: r.kind, exciseNumber: r.exciseNumber.value, year: r.year)
                    if !mine, let unused = SequenceJump.unused(sequence: r.number.sequence, lastUsed: last, threshold: jumpThreshold) {
                        throw SequenceJump.error(number: r.number.value, unused: unused, lastUsed: last)
                    }
                }
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
                try await DocumentStore(db: tx).insert([doc], [history])
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
        let store = DocumentStore(db: db)
        if try await store.exists(number: r.number.value) {
            throw SecoursError(kind: .conflict, code: "number_already_known",
                               message: Messages.Documents.numberAlreadyKnown(r.number.value))
        }
        switch r.number {
        case let .craps(number):
            if let taken = try await store.number(usingSequence: number.sequence, of: r.exciseNumber.value, year: r.year) {
                throw SecoursError(kind: .conflict, code: "sequence_already_used",
                                   message: Messages.Documents.sequenceAlreadyUsed(number.sequence, year: r.year, by: taken))
            }
        case let .lrn(lrn):
            if let taken = try await store.lrn(usingSerial: lrn.serial, of: r.exciseNumber.value) {
                throw SecoursError(kind: .conflict, code: "lrn_serial_already_used",
                                   message: Messages.Documents.lrnSerialAlreadyUsed(lrn.serial, exciseNumber: r.exciseNumber.value, by: taken))
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
                               message: Messages.Documents.moveNotAllowed(verb: move.verb))
        }
        let from = doc.status
        var details: String
        var sets: [(String, (any Encodable & Sendable)?)] = []
        switch move {
        case .cancel:
            let m = try ReasonedMove<CancellationReason>(code: reason, comment: comment)
            sets = [("cancellation_reason", m.reason.rawValue), ("cancellation_comment", m.comment)]
            details = Messages.inFrench { Messages.Documents.reason(m.reason.label, comment: m.comment) }
        case .reactivate:
            let m = try ReasonedMove<ReactivationReason>(code: reason, comment: comment)
            sets = [("reactivation_reason", m.reason.rawValue), ("reactivation_comment", m.comment), ("cover_start", now)]
            details = Messages.inFrench { Messages.Documents.reason(m.reason.label, comment: m.comment) }
                + Messages.Documents.newCoverPeriod(days: inactivationDays)
        case .reintegrate:
            let parsed: ARC
            do { parsed = try ARC(parsing: arc ?? "") } catch {
                throw SecoursError.invalid(field: "arc", message: Messages.Documents.invalidARC(error.message))
            }
            sets = [("arc", parsed.value)]
            details = Messages.Documents.reintegrated(arc: parsed.value)
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
            let store = DocumentStore(db: tx)
            let changed = try await store.changeStatus(id, from: from, to: to, setting: assignments)
            guard changed else {
                throw SecoursError(kind: .conflict, code: "status_changed",
                                   message: Messages.Documents.statusChanged)
            }
            try await store.add(HistoryModel(documentID: id, at: now, action: action, actorType: actor.role.actorType,
                                             actorLogin: actor.login, details: text))
        }
        return try await find(doc.number)
    }

    /// Refuses unless the principal may issue documents of this type on this excise number.
    @discardableResult
    func requireIssueRight(_ type: DocumentType, on excise: ExciseNumber) async throws -> ExciseNumberModel {
        guard let (model, facts) = try await scope.facts(for: excise.value) else {
            if Access.learnsUnknownExciseNumbers(principal.role) {
                throw SecoursError.invalid(field: "exciseNumber", message: Messages.Documents.unknownExciseNumber(excise.value))
            }
            throw SecoursError.exciseNotAllowed(excise.value)
        }
        guard Access.allows(.issue(type), facts) else {
            if Access.seesAnything(facts) {
                throw SecoursError(kind: .forbidden, code: "right_missing",
                                   message: Messages.Documents.rightMissing(Right.issue(type).label, exciseNumber: excise.value))
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



/// R-DOC-5: the service turns overdue active documents inactive, as actor Système. Safe with
/// several server processes: each document changes once, whoever gets there first.
struct Inactivator {
    let db: Database
    let rule: InactivationRule

    /// Inactivates every overdue document; returns how many this call changed.
    @discardableResult
    func run(now: Date) async throws -> Int {
        guard db is SQLDatabase else { return 0 }
        var changed = 0
        while true {
            let ids = try await DocumentStore(db: db).overdue(coverStartBefore: rule.cutoff(now: now), limit: 500)
            if ids.isEmpty { return changed }
            for id in ids {
                let did = try await db.writeTransaction { tx in
                    let store = DocumentStore(db: tx)
                    guard try await store.changeStatus(id, from: .active, to: .inactive) else { return false }
                    try await store.add(HistoryModel(documentID: id, at: now, action: .inactivation,
                                                     actorType: .system, actorLogin: "secours",
                                                     details: Messages.Documents.inactivated(days: rule.days)))
                    return true
                }
                if did { changed += 1 }
            }
        }
    }
}
