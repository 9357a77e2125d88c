import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// The service's side of `secours sync` (R-API-2, R-NUM-8): a device's journal registered a
/// posteriori, its messages recorded as communications to the office, its outages made episodes
/// with their evidence, and its blocks of numbers released and taken. Every step is idempotent:
/// a sync cut half way and run again finishes the job and does nothing twice.
struct ToolkitSyncService {
    let documents: DocumentService

    var principal: Principal { documents.principal }
    var scope: Scope { documents.scope }

    init(_ req: Request) throws {
        documents = try DocumentService(req)
    }

    private func requireHolder() throws {
        // Numbers are made and registered by operators and EDI providers (R-ACC-2).
        try principal.require(.syncToolkit)
    }

    // MARK: Push

    func push(_ p: ToolkitPush, now: Date) async throws -> ToolkitPushResult {
        try requireHolder()
        let device = ToolkitSync.Device(id: p.device.id, name: try p.validate())
        for o in p.outages { try o.validate(now: now) }
        try await ReservationStore(db: documents.writeDB).touchDevice(device.id, name: device.name, accountID: principal.id, now: now)

        // 1. Registration a posteriori (R-GPS-2) of every entry whose goods have left, in one
        //    transaction, with the import's rules: same data already there counts as done.
        let waiting = Set(p.entries.filter { $0.departsAfter(now) }.map(\.number))
        let ready = p.entries.filter { !waiting.contains($0.number) && FallbackDocumentNumber.kind(of: $0.number) == .craps }
        var outcomes: [String: ToolkitPushResult.Entry] = [:]
        // GAMMA 2 LRNs, one registration each (the import takes CRAPS numbers only).
        for e in p.entries where !waiting.contains(e.number) && FallbackDocumentNumber.kind(of: e.number) == .lrn {
            outcomes[e.number] = try await registerOne(e, device: device, now: now)
        }
        if !ready.isEmpty {
            let report = try await ImportService(service: documents, device: device)
                .run(ready.map { ImportParser.Entry(request: $0.registration) }, now: now)
            for (entry, o) in zip(ready, report.entries) {
                switch o.result {
                case "accepted": outcomes[entry.number] = .init(number: entry.number, outcome: .registered)
                case "already-registered": outcomes[entry.number] = .init(number: entry.number, outcome: .alreadyRegistered)
                default: outcomes[entry.number] = .init(number: entry.number, outcome: .conflict, code: "refused", message: o.reason)
                }
            }
        }

        // 2. The numbers a message told the office of before departure (R-OFF-1).
        let communications = try await communicate(p.entries.filter { $0.communicatedAt != nil }, device: device, now: now)

        var entries: [ToolkitPushResult.Entry] = []
        for e in p.entries {
            let base = outcomes[e.number] ?? .init(number: e.number, outcome: .notYetDeparted, code: "not_yet_departed",
                                                   message: Messages.ToolkitSync.notYetDeparted(date: e.dispatchDate, time: e.dispatchTime))
            let c = communications[e.number]
            entries.append(.init(number: e.number, outcome: base.outcome, code: base.code, message: base.message,
                                 communication: c?.0, communicationMessage: c?.1))
        }

        // 3. Each outage, on each excise number it concerned, as an episode with its evidence.
        var outages: [ToolkitPushResult.Outage] = []
        for o in p.outages {
            for excise in Set(o.exciseNumbers.map { $0.uppercased() }).sorted() {
                if let r = try await episode(for: o, exciseNumber: excise, device: device, now: now) { outages.append(r) }
            }
        }
        return ToolkitPushResult(entries: entries, outages: outages)
    }

    /// One entry registered on its own: done when the service holds it with the same data.
    private func registerOne(_ e: ToolkitPush.Entry, device: ToolkitSync.Device, now: Date) async throws -> ToolkitPushResult.Entry {
        let valid: RegistrationRequest.Valid
        do { valid = try e.registration.validate(now: now) } catch {
            return .init(number: e.number, outcome: .conflict, code: error.code, message: error.summary)
        }
        do {
            _ = try await documents.register(valid, now: now, device: device)
            return .init(number: e.number, outcome: .registered)
        } catch let error as SecoursError {
            // The import's rule: the same number with the same data is already done.
            if error.code == "number_already_known", let doc = try? await documents.find(valid.number.value),
               ImportService.KnownDocument(doc).matches(valid) {
                return .init(number: e.number, outcome: .alreadyRegistered)
            }
            let message = error.code == "number_already_known"
                ? Messages.Imports.knownWithOtherData : error.message
            return .init(number: e.number, outcome: .conflict, code: error.code, message: message)
        }
    }

    /// Records the communications not yet known, checked against the time of the message: the
    /// number had to be communicated before departure (at most an hour after, as on the web).
    private func communicate(_ entries: [ToolkitPush.Entry], device: ToolkitSync.Device, now: Date) async throws
        -> [String: (ToolkitPushResult.CommunicationOutcome, String?)] {
        guard !entries.isEmpty else { return [:] }
        var out: [String: (ToolkitPushResult.CommunicationOutcome, String?)] = [:]
        // Who may communicate what, checked once per excise number and type.
        var offices: [String: UUID] = [:]
        var checked: Set<String> = []
        var fresh: [(RegistrationRequest.Valid, Date, UUID)] = []
        let known = try await CommunicationStore(db: documents.writeDB).communicated(among: entries.map(\.number))
        for e in entries {
            if known.contains(e.number) { out[e.number] = (.alreadyCommunicated, nil); continue }
            let at = e.communicatedAt!
            guard at <= now.addingTimeInterval(ToolkitPush.clockSkew) else {
                out[e.number] = (.refused, Messages.ToolkitSync.messageInTheFuture)
                continue
            }
            let valid: RegistrationRequest.Valid
            do { valid = try e.registration.validate(now: at, departure: .upcoming) } catch {
                out[e.number] = (.refused, error.summary)
                continue
            }
            let key = "\(valid.exciseNumber.value)/\(valid.type.rawValue)"
            if !checked.contains(key) {
                checked.insert(key)
                if let (model, facts) = try await scope.facts(for: valid.exciseNumber.value), Access.allows(.issue(valid.type), facts) {
                    offices[key] = model.$office.id
                }
            }
            guard let office = offices[key] else {
                out[e.number] = (.refused, SecoursError.exciseNotAllowed(valid.exciseNumber.value).message)
                continue
            }
            fresh.append((valid, at, office))
            out[e.number] = (.communicated, nil)
        }
        guard !fresh.isEmpty else { return out }
        let login = Messages.ToolkitSync.communicatedBy(login: principal.login, device: device.name)
        try await documents.writeDB.writeTransaction { [fresh] tx in
            try await CommunicationStore(db: tx).insert(fresh.map { ($0.0, $0.1, $0.2) }, by: login)
            // One line per excise number in the office's news, not one per number.
            var byExcise: [String: [RegistrationRequest.Valid]] = [:]
            var officeOf: [String: UUID] = [:]
            for (v, _, office) in fresh {
                byExcise[v.exciseNumber.value, default: []].append(v)
                officeOf[v.exciseNumber.value] = office
            }
            for (excise, list) in byExcise.sorted(by: { $0.key < $1.key }) {
                let numbers = list.prefix(5).map(\.number.value).joined(separator: ", ") + (list.count > 5 ? "…" : "")
                try await OfficeNoticeStore(db: tx).post(OfficeNoticeStore.notice(
                    .communication, office: officeOf[excise]!, exciseNumber: excise,
                    text: Messages.ToolkitSync.communicatedOffline(count: list.count, device: device.name, numbers: numbers),
                    link: SiteURL.officeConsole.path, at: now))
            }
        }
        return out
    }

    /// The episode an outage becomes on one excise number, made once.
    private func episode(for o: ToolkitPush.Outage, exciseNumber: String, device: ToolkitSync.Device, now: Date) async throws -> ToolkitPushResult.Outage? {
        // Only on excise numbers the account issues on; others are silently not its business.
        guard let (model, facts) = try await scope.facts(for: exciseNumber), DocumentType.allCases.contains(where: { Access.allows(.issue($0), facts) }) else {
            return nil
        }
        let service = OnlineService(rawValue: o.service.uppercased()) ?? .gamma
        let store = ReservationStore(db: documents.writeDB)
        if let id = try await store.episode(ofOutage: o.localID, device: device.id, exciseNumber: exciseNumber) {
            return .init(localID: o.localID, exciseNumber: exciseNumber, episodeID: id, outcome: .already)
        }
        let actorType = principal.role.actorType
        let login = principal.login
        let onDevice = Messages.ToolkitSync.onDevice(device.name)
        var events: [(Date, EpisodeEvent, String)] = []
        events.append((o.startedAt, .opened, Messages.ToolkitSync.outageLogged(onDevice: onDevice, reason: o.reason)))
        for a in o.attempts {
            events.append((a.at, .evidence, Messages.ToolkitSync.attempt(channel: a.channel, note: a.note)))
        }
        let endText = Messages.ToolkitSync.outageEnd(note: o.endNote)
        let summary = Messages.ToolkitSync.outageSummary(from: o.startedAt, to: o.endedAt, onDevice: onDevice, attempts: o.attempts.count)
        return try await documents.writeDB.writeTransaction { [events] tx in
            let outcome: ToolkitPushResult.OutageOutcome
            let episodeID: UUID
            let store = EpisodeStore(db: tx)
            if let active = try await store.active(exciseNumber: exciseNumber, service: service) {
                episodeID = try active.requireID()
                outcome = .attached
                for (at, _, text) in events + [(o.endedAt, .evidence, endText)] {
                    try await store.add(EpisodeEventModel(episodeID: episodeID, at: at, kind: .evidence, actorType: actorType, actorLogin: login, details: text))
                }
            } else {
                let e = EpisodeModel()
                episodeID = UUID()
                e.id = episodeID
                e.exciseNumber = exciseNumber
                e.officeID = model.$office.id
                e.service = service
                e.basis = .offlineOutage
                e.reason = o.reason
                e.requestedAt = o.startedAt
                e.startedAt = o.startedAt
                e.endedAt = o.endedAt
                e.status = .closed
                e.openedBy = login
                outcome = .created
                let lines = (events + [(o.endedAt, .closed, endText)]).map { at, kind, text in
                    EpisodeEventModel(episodeID: episodeID, at: at, kind: kind, actorType: actorType, actorLogin: login, details: text)
                }
                let notice = OfficeNoticeStore.notice(.episodeDeclared, office: model.$office.id, exciseNumber: exciseNumber,
                                                      text: Messages.inFrench { Messages.ToolkitSync.outageNotice(exciseNumber: exciseNumber, service: service.label, summary: summary) },
                                                      link: SiteURL.episode(episodeID).path, at: now)
                try await store.insert(e, events: lines, notice: notice)
            }
            try await store.add(EpisodeEventModel(episodeID: episodeID, at: now, kind: .evidence, actorType: actorType, actorLogin: login, details: summary))
            try await ReservationStore(db: tx).recordOutage(o.localID, device: device.id, exciseNumber: exciseNumber, episode: episodeID, now: now)
            return .init(localID: o.localID, exciseNumber: exciseNumber, episodeID: episodeID, outcome: outcome)
        }
    }

    // MARK: Reservations

    /// Releases the device's blocks asked for, then takes a CRAPS block (this year) and an LRN
    /// block on every excise number the account may issue on where the device holds none open.
    func reserve(_ r: ToolkitReservationRequest, now: Date) async throws -> ToolkitReservationReply {
        try requireHolder()
        let size = try r.validSize()
        let name = try r.device.validName()
        let issuable = try await scope.issuableExciseNumbers().sorted { $0.model.number < $1.model.number }
        let mine = Set(issuable.map(\.model.number))
        let year = ParisDay(now).year
        let device = r.device.id
        let login = principal.login
        let accountID = principal.id
        return try await documents.writeDB.writeTransaction { tx in
            let store = ReservationStore(db: tx)
            try await store.touchDevice(device, name: name, accountID: accountID, now: now)
            var released: [ToolkitReservation] = []
            let asked = Set(r.release)
            var open: [ToolkitReservation] = []
            for block in try await store.open(device: device, login: login) {
                guard asked.contains(block.id), mine.contains(block.exciseNumber) else { open.append(block); continue }
                if let done = try await store.release(block, now: now) { released.append(done) }
            }
            // Counter rows are locked in (excise number, year) order, like generations and imports.
            for e in issuable {
                let number = e.model.number
                if !open.contains(where: { $0.kind == .lrn && $0.exciseNumber == number }) {
                    _ = try await store.reserve(kind: .lrn, exciseNumber: number, officeID: e.model.$office.id, year: year, size: size, device: device, login: login, now: now)
                }
                if !open.contains(where: { $0.kind == .craps && $0.exciseNumber == number && $0.year == year }) {
                    _ = try await store.reserve(kind: .craps, exciseNumber: number, officeID: e.model.$office.id, year: year, size: size, device: device, login: login, now: now)
                }
            }
            return ToolkitReservationReply(open: try await store.open(device: device, login: login), released: released)
        }
    }

    /// The reservations the principal may read (the office's audit log of R-NUM-8).
    func list(exciseNumber: String?, openOnly: Bool) async throws -> [ToolkitReservation] {
        try await ReservationStore(db: documents.db).list(try await scope.records(), exciseNumber: exciseNumber, openOnly: openOnly, limit: 500)
    }
}

