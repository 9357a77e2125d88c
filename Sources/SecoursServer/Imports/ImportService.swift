import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// R-GPS-6: registers a posteriori every valid entry of an import file, in one transaction, and
/// reports on each: accepted, already registered (same data: nothing changes, so re-sending a
/// file is harmless), or refused with the reason.
struct ImportService {
    let service: DocumentService
    /// R-NUM-9: the caller confirms the numbers far beyond the last one used.
    var confirmJumps = false

    struct Outcome: Content {
        let index: Int
        let number: String
        let result: String
        let reason: String?
    }

    struct Report: Content {
        let accepted: Int
        let alreadyRegistered: Int
        let refused: Int
        let entries: [Outcome]

        /// The same JSON as the Codable form, written directly.
        func json(allocator: ByteBufferAllocator) -> ByteBuffer {
            var out = allocator.buffer(capacity: 64 + entries.count * 72)
            out.writeString(#"{"accepted":\#(accepted),"alreadyRegistered":\#(alreadyRegistered),"refused":\#(refused),"entries":["#)
            for (i, e) in entries.enumerated() {
                if i > 0 { out.writeStaticString(",") }
                out.writeString(#"{"index":\#(e.index),"number":"#)
                Self.quote(e.number, into: &out)
                out.writeString(#","result":"#)
                Self.quote(e.result, into: &out)
                if let reason = e.reason {
                    out.writeString(#","reason":"#)
                    Self.quote(reason, into: &out)
                }
                out.writeStaticString("}")
            }
            out.writeStaticString("]}")
            return out
        }

        /// A JSON string: quotes, backslashes and control characters escaped.
        static func quote(_ s: String, into out: inout ByteBuffer) {
            out.writeStaticString("\"")
            defer { out.writeStaticString("\"") }
            guard s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
                out.writeString(s)
                return
            }
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out.writeStaticString("\\\"")
                case "\\": out.writeStaticString("\\\\")
                case "\n": out.writeStaticString("\\n")
                case "\r": out.writeStaticString("\\r")
                case "\t": out.writeStaticString("\\t")
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    out.writeString("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                default: out.writeString(String(scalar))
                }
            }
        }
    }

    func run(_ entries: [ImportParser.Entry], now: Date) async throws -> Report {
        let principal = service.principal
        var outcomes = [Outcome?](repeating: nil, count: entries.count)
        var candidates: [(index: Int, valid: RegistrationRequest.Valid)] = []
        func refuse(_ i: Int, _ number: String, _ reason: String) {
            outcomes[i] = Outcome(index: i + 1, number: number, result: "refused", reason: reason)
        }

        // 1. Each entry on its own (SecoursCore's rules).
        for (i, e) in entries.enumerated() {
            do {
                let valid = try e.request.validate(now: now)
                // The file's sequences are checked per year for CRAPS numbers only; an LRN goes
                // through the registration form or the API, one at a time.
                guard valid.kind == .craps else {
                    refuse(i, valid.number.value, Messages.Imports.lrnNotImported)
                    continue
                }
                candidates.append((i, valid))
            } catch {
                refuse(i, e["numero"] ?? "", error.summary)
            }
        }

        // 2. Scope and transmission mode, once per excise number.
        var access: [String: Result<Access.Facts, SecoursError>] = [:]
        for excise in Set(candidates.map(\.valid.exciseNumber.value)) {
            // Outside the caller's scope, say nothing more about the excise number (not even its mode).
            guard let (model, facts) = try await service.scope.facts(for: excise), Access.seesAnything(facts) else {
                access[excise] = .failure(.exciseNotAllowed(excise))
                continue
            }
            if !Access.allows(.importForDTIWithoutDevice, principal.actor) && model.mode == .dti {
                access[excise] = .failure(SecoursError(kind: .forbidden, code: "import_not_allowed",
                                                       message: Messages.Imports.dtiNotAllowed(excise)))
            } else {
                access[excise] = .success(facts)
            }
        }
        candidates = candidates.filter { c in
            let excise = c.valid.exciseNumber.value
            switch access[excise]! {
            case let .failure(e):
                refuse(c.index, c.valid.number.value, e.message)
                return false
            case let .success(facts) where !Access.allows(.issue(c.valid.type), facts):
                refuse(c.index, c.valid.number.value, Messages.Documents.rightMissing(Right.issue(c.valid.type).label, exciseNumber: excise))
                return false
            case .success:
                return true
            }
        }

        // 3 and 4, in one write transaction: the sequence rows of every excise number and year
        // of the file are locked first (in a fixed order), so no generation, registration or other
        // import of those numbers can commit between the checks and the insert. The database's
        // uniqueness is the last word: should it still refuse a row, the checks run again on what
        // is then committed, and the entries taken meanwhile are refused one by one.
        let keys = Set(candidates.map { SequenceKey(excise: $0.valid.exciseNumber.value, year: $0.valid.year) })
            .sorted { ($0.excise, $0.year) < ($1.excise, $1.year) }
        var decided: [(index: Int, outcome: Outcome)] = []
        var acceptedTypes: [DocumentType] = []
        for attempt in 1...3 {
            do {
                let jump = confirmJumps ? nil : service.jumpThreshold
                (decided, acceptedTypes) = try await service.writeDB.writeTransaction { [candidates] tx in
                    for key in keys { try await SequenceStore(db: tx).raise(exciseNumber: key.excise, year: key.year, to: 0) }
                    let (outcomes, accepted) = try await Self.decide(candidates, jumpThreshold: jump, on: tx)
                    if !accepted.isEmpty { try await Self.store(accepted, principal: principal, now: now, on: tx) }
                    return (outcomes, accepted.map(\.type))
                }
                break
            } catch let e as DatabaseError where e.isConstraintFailure && attempt < 3 {
                continue
            }
        }
        for d in decided { outcomes[d.index] = d.outcome }
        var counts: [String: Int] = [:]
        let all = outcomes.map { o in
            counts[o!.result, default: 0] += 1
            return o!
        }
        outcomes = []
        for type in DocumentType.allCases {
            service.metrics?.documentsCreated(type: type, mode: .aPosteriori, source: "import", count: acceptedTypes.filter { $0 == type }.count)
        }
        for (result, n) in counts { service.metrics?.importEntries(result: result, count: n) }
        return Report(accepted: counts["accepted"] ?? 0, alreadyRegistered: counts["already-registered"] ?? 0,
                      refused: counts["refused"] ?? 0, entries: all)
    }

    /// Each candidate against the numbers and sequences already known, in the database or
    /// earlier in the file.
    /// `jumpThreshold`: nil when the caller confirmed every jump (R-NUM-9).
    private static func decide(_ candidates: [(index: Int, valid: RegistrationRequest.Valid)], jumpThreshold: Int?,
                               on db: Database) async throws
        -> (outcomes: [(index: Int, outcome: Outcome)], accepted: [RegistrationRequest.Valid]) {
        let known = try await existing(numbers: candidates.map(\.valid.number.value), on: db)
        let keys = Set(candidates.map { SequenceKey(excise: $0.valid.exciseNumber.value, year: $0.valid.year) })
        var usedSequences = try await sequencesInUse(keys, on: db)
        // R-NUM-8: the devices' open leases are theirs alone.
        var reserved: [SequenceKey: [ToolkitReservation]] = [:]
        for key in keys {
            reserved[key] = try await ReservationStore(db: db).openBlocks(kind: .craps, exciseNumber: key.excise, year: key.year, except: nil)
        }
        // R-NUM-9: the last number used before each entry is the counter, or the entry of the file
        // just below it (a file may continue the sequence by many numbers, in any order).
        var lastUsed: [SequenceKey: Int] = [:]
        var inFile: [SequenceKey: [Int]] = [:]
        if jumpThreshold != nil {
            for key in keys {
                lastUsed[key] = try await SequenceStore(db: db).lastUsed(kind: .craps, exciseNumber: key.excise, year: key.year)
            }
            for c in candidates { inFile[SequenceKey(excise: c.valid.exciseNumber.value, year: c.valid.year), default: []].append(c.valid.number.sequence) }
        }
        var seenInFile: [String: RegistrationRequest.Valid] = [:]
        var outcomes: [(index: Int, outcome: Outcome)] = []
        var accepted: [RegistrationRequest.Valid] = []
        for c in candidates {
            let v = c.valid
            func refuse(_ reason: String) {
                outcomes.append((c.index, Outcome(index: c.index + 1, number: v.number.value, result: "refused", reason: reason)))
            }
            if let k = known[v.number.value] ?? seenInFile[v.number.value].map(KnownDocument.init) {
                if k.matches(v) {
                    outcomes.append((c.index, Outcome(index: c.index + 1, number: v.number.value, result: "already-registered", reason: nil)))
                } else {
                    refuse(Messages.Imports.knownWithOtherData)
                }
                continue
            }
            let key = SequenceKey(excise: v.exciseNumber.value, year: v.year)
            if let block = reserved[key]?.first(where: { $0.contains(v.number.sequence) }) {
                refuse(SecoursError.reserved(block, sequence: v.number.sequence).message)
                continue
            }
            if let holder = usedSequences[key]?[v.number.sequence] {
                refuse(Messages.Imports.sequenceUsed(v.number.sequence, year: v.year, by: holder))
                continue
            }
            if let jumpThreshold, !v.confirmedJump {
                let sequence = v.number.sequence
                let below = max(lastUsed[key] ?? 0, inFile[key]?.filter { $0 < sequence }.max() ?? 0)
                if let unused = SequenceJump.unused(sequence: sequence, lastUsed: below, threshold: jumpThreshold) {
                    refuse(SequenceJump.error(number: v.number.value, unused: unused, lastUsed: below).message)
                    continue
                }
            }
            usedSequences[key, default: [:]][v.number.sequence] = v.number.value
            seenInFile[v.number.value] = v
            outcomes.append((c.index, Outcome(index: c.index + 1, number: v.number.value, result: "accepted", reason: nil)))
            accepted.append(v)
        }
        return (outcomes, accepted)
    }

    struct SequenceKey: Hashable {
        let excise: String
        let year: Int
    }

    typealias KnownDocument = DocumentStore.Dispatch

    private static func existing(numbers: [String], on db: Database) async throws -> [String: KnownDocument] {
        try await DocumentStore(db: db).dispatches(of: numbers)
    }

    private static func sequencesInUse(_ keys: Set<SequenceKey>, on db: Database) async throws -> [SequenceKey: [Int: String]] {
        var used: [SequenceKey: [Int: String]] = [:]
        for key in keys {
            let inUse = try await DocumentStore(db: db).sequencesInUse(of: key.excise, year: key.year)
            if !inUse.isEmpty { used[key] = inUse }
        }
        return used
    }

    private static func store(_ valids: [RegistrationRequest.Valid], principal: Principal, now: Date, on tx: Database) async throws {
        let today = ParisDay(now)
        var highest: [SequenceKey: Int] = [:]
        for v in valids {
            let key = SequenceKey(excise: v.exciseNumber.value, year: v.year)
            highest[key] = max(highest[key] ?? 0, v.number.sequence)
        }
        for (key, sequence) in highest.sorted(by: { ($0.key.excise, $0.key.year) < ($1.key.excise, $1.key.year) }) {
            try await SequenceStore(db: tx).raise(exciseNumber: key.excise, year: key.year, to: sequence)
        }
        // Models are built chunk by chunk, so that a large file never holds them all at once.
        for start in stride(from: 0, to: valids.count, by: 500) {
            var docs: [DocumentModel] = []
            var history: [HistoryModel] = []
            for v in valids[start..<min(start + 500, valids.count)] {
                let doc = DocumentModel(registered: v, at: now, day: today, actor: principal)
                docs.append(doc)
                let what = Messages.inFrench { Messages.Imports.entry(type: v.type.label, dispatch: v.dispatch.french, transport: v.transport) }
                history.append(HistoryModel(documentID: doc.id!, at: now, action: .importation, actorType: doc.actorType, actorLogin: principal.login,
                                            details: Messages.Imports.imported(what)))
            }
            try await DocumentStore(db: tx).insert(docs, history)
        }
    }
}

extension DocumentModel {
    /// A new active document for a manual number registered a posteriori.
    convenience init(registered v: RegistrationRequest.Valid, at now: Date, day: ParisDay, actor: Principal) {
        self.init()
        id = UUID()
        number = v.number.value
        kind = v.kind
        type = v.type
        exciseNumber = v.exciseNumber.value
        year = v.year
        sequence = v.number.sequence
        transport = v.transport
        dispatchDate = v.dispatch.day.iso
        dispatchTime = v.dispatch.time.text
        registeredAt = now
        registrationDate = day.iso
        registrationMode = .aPosteriori
        actorType = actor.role.actorType
        actorLogin = actor.login
        status = .active
        coverStart = v.dispatch.date
    }
}
