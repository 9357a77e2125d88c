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
        try await register([r], now: now, device: device)[0].get()
    }

    /// The same registration for several numbers at once (a laptop's journal): one transaction,
    /// each number decided on its own by the same rules, in order — a refused number is its own
    /// error and changes nothing; the others are stored. The page and the API call it with one.
    func register(_ items: [RegistrationRequest.Valid], now: Date, device: ToolkitSync.Device? = nil) async throws -> [Result<DocumentModel, SecoursError>] {
        var results = [Result<DocumentModel, SecoursError>?](repeating: nil, count: items.count)
        // The right to issue, once per excise number and type.
        var rights: [String: SecoursError?] = [:]
        for (i, r) in items.enumerated() {
            let key = "\(r.exciseNumber.value)/\(r.type.rawValue)"
            if rights[key] == nil {
                do { _ = try await requireIssueRight(r.type, on: r.exciseNumber); rights[key] = .some(nil) } catch let e as SecoursError { rights[key] = .some(e) }
            }
            if let refusal = rights[key]! { results[i] = .failure(refusal) }
        }
        let candidates = items.indices.filter { results[$0] == nil }
        guard !candidates.isEmpty else { return results.map { $0! } }
        let principal = self.principal
        let jumpThreshold = self.jumpThreshold
        let today = ParisDay(now)
        // Counter rows (the CRAPS year's, or the operator's LRN row) locked first, in a fixed order,
        // so that a generation, an import or another registration waits and nothing checked below
        // can change before the insert.
        let counters = Set(candidates.map { Self.counter(of: items[$0]) }).sorted { ($0.excise, $0.year) < ($1.excise, $1.year) }
        for attempt in 1...3 {
            do {
                let decided = try await writeDB.writeTransaction { [items, candidates] tx in
                    for c in counters { try await SequenceStore(db: tx).raise(exciseNumber: c.excise, year: c.year, to: 0) }
                    var decided: [(Int, Result<DocumentModel, SecoursError>)] = []
                    var accepted: [(RegistrationRequest.Valid, DocumentModel, HistoryModel)] = []
                    var taken: [Counter: [Int: String]] = [:]
                    var highest: [Counter: Int] = [:]
                    for i in candidates {
                        let r = items[i]
                        let counter = Self.counter(of: r)
                        do {
                            if let holder = taken[counter]?[r.number.sequence] { throw Self.taken(r, by: holder) }
                            try await Self.refuseIfTaken(r, on: tx)
                            // R-NUM-8: a sequence (or LRN serial) an offline device holds is that device's alone.
                            try await ReservationStore(db: tx).refuseIfReserved(kind: r.kind, exciseNumber: r.exciseNumber.value, year: r.year,
                                                                                sequence: r.number.sequence, except: device?.id)
                            // R-NUM-9: far beyond the last number used is a typing slip until confirmed; a
                            // number of the device's own lease never is.
                            if !r.confirmedJump {
                                var mine = false
                                if let device {
                                    mine = try await ReservationStore(db: tx).isInOwnLease(kind: r.kind, exciseNumber: r.exciseNumber.value, year: r.year,
                                                                                            sequence: r.number.sequence, device: device.id)
                                }
                                let stored = try await SequenceStore(db: tx).lastUsed(kind: r.kind, exciseNumber: r.exciseNumber.value, year: r.year)
                                let last = max(stored, highest[counter] ?? 0)
                                if !mine, let unused = SequenceJump.unused(sequence: r.number.sequence, lastUsed: last, threshold: jumpThreshold) {
                                    throw SequenceJump.error(number: r.number.value, unused: unused, lastUsed: last)
                                }
                            }
                        } catch let e as SecoursError {
                            decided.append((i, .failure(e)))
                            continue
                        }
                        taken[counter, default: [:]][r.number.sequence] = r.number.value
                        highest[counter] = max(highest[counter] ?? 0, r.number.sequence)
                        let doc = DocumentModel(registered: r, at: now, day: today, actor: principal)
                        let what = (r.kind == .lrn ? Messages.Documents.lrnRegistered : Messages.Documents.manualRegistered)
                            + (device.map { Messages.Documents.registeredOffline(device: $0.name) } ?? "")
                        let history = HistoryModel(documentID: doc.id!, at: now, action: .registration, actorType: doc.actorType, actorLogin: principal.login,
                                                   details: Messages.inFrench { Messages.Documents.registration(what, type: r.type.label, dispatch: r.dispatch.french, transport: r.transport) })
                        accepted.append((r, doc, history))
                        decided.append((i, .success(doc)))
                    }
                    // The sequence continues after the highest number registered (R-NUM-4).
                    for (c, top) in highest.sorted(by: { ($0.key.excise, $0.key.year) < ($1.key.excise, $1.key.year) }) {
                        try await SequenceStore(db: tx).raise(exciseNumber: c.excise, year: c.year, to: top)
                    }
                    for start in stride(from: 0, to: accepted.count, by: 500) {
                        let chunk = accepted[start..<min(start + 500, accepted.count)]
                        try await DocumentStore(db: tx).insert(chunk.map(\.1), chunk.map(\.2))
                    }
                    return decided
                }
                for (i, result) in decided {
                    results[i] = result
                    if case .success = result { metrics?.documentsCreated(type: items[i].type, mode: .aPosteriori, source: "registration") }
                }
                return results.map { $0! }
            } catch let e as DatabaseError where e.isConstraintFailure && attempt < 3 {
                // The database's own uniqueness (a writer that did not take the counter row first):
                // decide again on what is now committed.
                continue
            }
        }
        throw SecoursError.numberTaken
    }

    /// The counter row a registration moves: the CRAPS year's, or the operator's LRN row.
    struct Counter: Hashable, Sendable {
        let excise: String
        let year: Int
    }

    static func counter(of r: RegistrationRequest.Valid) -> Counter {
        Counter(excise: r.exciseNumber.value, year: r.kind == .lrn ? ReservationStore.lrnYear : r.year)
    }

    static func taken(_ r: RegistrationRequest.Valid, by holder: String) -> SecoursError {
        if holder == r.number.value {
            return SecoursError(kind: .conflict, code: "number_already_known", message: Messages.Documents.numberAlreadyKnown(r.number.value))
        }
        return r.kind == .lrn
            ? SecoursError(kind: .conflict, code: "lrn_serial_already_used", message: Messages.Documents.lrnSerialAlreadyUsed(r.number.sequence, exciseNumber: r.exciseNumber.value, by: holder))
            : SecoursError(kind: .conflict, code: "sequence_already_used", message: Messages.Documents.sequenceAlreadyUsed(r.number.sequence, year: r.year, by: holder))
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
