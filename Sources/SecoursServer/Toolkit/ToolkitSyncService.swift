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
        // Which journal this is: a second journal on the lease is caught here, and its entries
        // that collide are explained as such; what does not collide is registered all the same
        // (its goods have left under those numbers).
        let lease = try await checkLease(device, p.lease, now: now)
        let duplicate: (name: String, other: String)? = lease.status == .duplicated ? (lease.name, lease.otherName ?? device.name) : nil

        // 1. Registration a posteriori (R-GPS-2) of every entry whose goods have left, by the
        //    same service call as the page's and the API's, all in one transaction; the same
        //    number already there with the same data counts as done (a push sent again).
        var outcomes: [String: ToolkitPushResult.Entry] = [:]
        var ready: [(entry: ToolkitPush.Entry, valid: RegistrationRequest.Valid)] = []
        for e in p.entries where !e.departsAfter(now) {
            do { ready.append((e, try e.registration.validate(now: now))) } catch {
                outcomes[e.number] = .init(number: e.number, outcome: .conflict, code: error.code, message: error.summary)
            }
        }
        let results = try await documents.register(ready.map(\.valid), now: now, device: device)
        for ((e, valid), result) in zip(ready, results) {
            switch result {
            case .success:
                outcomes[e.number] = .init(number: e.number, outcome: .registered)
            case let .failure(error) where error.code == "number_already_known":
                if let doc = try? await documents.find(valid.number.value), ImportService.KnownDocument(doc).matches(valid) {
                    outcomes[e.number] = .init(number: e.number, outcome: .alreadyRegistered)
                } else {
                    outcomes[e.number] = .init(number: e.number, outcome: .conflict, code: error.code, message: Messages.Imports.knownWithOtherData)
                }
            case let .failure(error):
                outcomes[e.number] = .init(number: e.number, outcome: .conflict, code: error.code, message: error.message)
            }
        }

        // 2. The numbers a message told the office of before departure (R-OFF-1).
        let communications = try await communicate(p.entries.filter { $0.communicatedAt != nil }, device: device, now: now)

        var entries: [ToolkitPushResult.Entry] = []
        for e in p.entries {
            var base = outcomes[e.number] ?? .init(number: e.number, outcome: .notYetDeparted, code: "not_yet_departed",
                                                   message: Messages.ToolkitSync.notYetDeparted(date: e.dispatchDate, time: e.dispatchTime))
            if let duplicate, base.outcome == .conflict, ["number_already_known", "sequence_already_used", "lrn_serial_already_used"].contains(base.code ?? "") {
                base = .init(number: e.number, outcome: .conflict, code: "duplicate_journal",
                             message: Messages.ToolkitLease.collision(number: e.number, device: duplicate.name, other: duplicate.other))
            }
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
        return ToolkitPushResult(entries: entries, outages: outages,
                                 duplicateJournal: duplicate.map { Messages.ToolkitLease.duplicated(device: $0.name, other: $0.other) })
    }

    // MARK: The lease

    /// Records the device and checks the journal's proof. A revoked device is refused; a retired
    /// one must sign in again; a journal whose proof diverges from the service's marks the device
    /// duplicated (once), and the office is told. Returns the device as it now stands.
    private func checkLease(_ device: ToolkitSync.Device, _ proof: ToolkitLease.Proof, now: Date) async throws -> ReservationStore.Device {
        let principal = self.principal
        return try await documents.writeDB.writeTransaction { tx in
            let store = ReservationStore(db: tx)
            // Another company's laptop id (guessed, or read somewhere) moves nothing of it.
            guard try await store.mayUse(device.id, account: principal.id, company: principal.companyID) else {
                throw SecoursError(kind: .conflict, code: "device_of_another_company", message: Messages.ToolkitLease.otherCompany)
            }
            // The name the service knew before this call: the first journal's, when this is a copy.
            let known = try await store.device(device.id)?.name
            try await store.touchDevice(device.id, name: device.name, accountID: principal.id, now: now)
            guard let stored = try await store.device(device.id) else { throw SecoursError.notFound("Device") }
            switch stored.status {
            case .revoked:
                throw SecoursError(kind: .forbidden, code: "device_revoked", message: Messages.ToolkitLease.revoked(device: stored.name, reason: stored.statusReason))
            case .retired:
                throw SecoursError(kind: .conflict, code: "device_retired", message: Messages.ToolkitLease.retired(device: stored.name))
            case .duplicated:
                return stored
            case .active:
                guard ToolkitLease.verdict(service: stored.counter, attempt: stored.attempt, journal: proof) == .diverged else { return stored }
                let first = known ?? stored.name
                try await store.rename(device.id, to: first)
                _ = try await store.setStatus(device.id, to: .duplicated, reason: nil, by: principal.login, otherName: device.name, now: now)
                for (office, excise) in try await store.offices(ofDevice: device.id) {
                    try await OfficeNoticeStore(db: tx).post(OfficeNoticeStore.notice(
                        .toolkitDevice, office: office, exciseNumber: excise,
                        text: Messages.ToolkitLease.duplicatedNotice(device: first, other: device.name, login: principal.login),
                        link: SiteURL.officeConsole.path, at: now))
                }
                return try await store.device(device.id)!
            }
        }
    }

    /// `POST /api/v1/toolkit/retire` (`secours logout`, after its journal is pushed): the device's
    /// lease is given back; where nothing above it was issued, the sequences step back.
    func retire(_ r: ToolkitRetireRequest, now: Date) async throws -> ToolkitReservationReply {
        try requireHolder()
        let device = ToolkitSync.Device(id: r.device.id, name: try r.device.validName())
        let lease = try await checkLease(device, r.lease, now: now)
        guard lease.status == .active else {
            throw SecoursError(kind: .conflict, code: "journal_duplicated",
                               message: Messages.ToolkitLease.duplicated(device: lease.name, other: lease.otherName ?? device.name))
        }
        let login = principal.login
        return try await documents.writeDB.writeTransaction { tx in
            let store = ReservationStore(db: tx)
            let released = try await store.release(try await store.open(device: device.id, login: login), ended: .retired, now: now)
            _ = try await store.setStatus(device.id, to: .retired, reason: nil, by: login, now: now)
            return ToolkitReservationReply(open: [], released: released, lease: r.lease)
        }
    }

    /// Revokes a device (stolen, lost): its lease is kept for ever, its syncs refused, and every
    /// office where it holds numbers is told. The CID, or an officer of such an office.
    func revoke(_ id: UUID, _ r: ToolkitRevokeRequest, now: Date) async throws -> ToolkitDeviceRecord {
        let principal = self.principal
        let store = ReservationStore(db: documents.writeDB)
        let offices = try await store.offices(ofDevice: id)
        let sameOffice = principal.officeID.map { mine in offices.contains { $0.office == mine } } ?? false
        guard Access.allows(.revokeDevice(sameOffice: sameOffice), principal.actor) else {
            // An officer of another office learns nothing: the same answer as for no device.
            throw principal.role == .officer ? SecoursError.notFound("Device") : SecoursError.forbidden
        }
        let reason = try r.validReason()
        guard let before = try await store.devices(.all, limit: 1, id: id).first else { throw SecoursError.notFound("Device") }
        try await documents.writeDB.writeTransaction { tx in
            let store = ReservationStore(db: tx)
            guard try await store.setStatus(id, to: .revoked, reason: reason, by: principal.login, now: now) else {
                throw SecoursError(kind: .conflict, code: "device_already_revoked", message: Messages.ToolkitLease.alreadyRevoked)
            }
            for (office, excise) in offices {
                try await OfficeNoticeStore(db: tx).post(OfficeNoticeStore.notice(
                    .toolkitDevice, office: office, exciseNumber: excise,
                    text: Messages.ToolkitLease.revokedNotice(device: before.name, login: before.login, by: principal.login, reason: reason),
                    link: SiteURL.officeConsole.path, at: now))
            }
        }
        return try await store.devices(.all, limit: 1, id: id).first ?? before
    }

    /// The devices in reach: an office's (those holding numbers there), the CID's (all), an
    /// operator's (on its excise numbers).
    func devices() async throws -> [ToolkitDeviceRecord] {
        try await ReservationStore(db: documents.db).devices(try await scope.records(), limit: 500)
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
        let service = OnlineService(rawValue: o.service) ?? .gamma
        let store = ReservationStore(db: documents.writeDB)
        if let id = try await store.episode(ofOutage: o.localID, device: device.id, exciseNumber: exciseNumber) {
            return .init(localID: o.localID, exciseNumber: exciseNumber, episodeID: id, outcome: .already)
        }
        let onDevice = Messages.ToolkitSync.onDevice(device.name)
        var evidence: [(Date, String)] = [(o.startedAt, Messages.ToolkitSync.outageLogged(onDevice: onDevice, reason: o.reason))]
        evidence += o.attempts.map { ($0.at, Messages.ToolkitSync.attempt(channel: $0.channel, note: $0.note)) }
        let outage = EpisodeService.OfflineOutage(
            exciseNumber: exciseNumber, officeID: model.$office.id, service: service, reason: o.reason, startedAt: o.startedAt, endedAt: o.endedAt,
            evidence: evidence, end: Messages.ToolkitSync.outageEnd(note: o.endNote),
            summary: Messages.ToolkitSync.outageSummary(from: o.startedAt, to: o.endedAt, onDevice: onDevice, attempts: o.attempts.count))
        let principal = self.principal
        return try await documents.writeDB.writeTransaction { tx in
            let (episodeID, created) = try await EpisodeService(db: tx, principal: principal).recordOfflineOutage(outage, now: now)
            try await ReservationStore(db: tx).recordOutage(o.localID, device: device.id, exciseNumber: exciseNumber, episode: episodeID, now: now)
            return .init(localID: o.localID, exciseNumber: exciseNumber, episodeID: episodeID, outcome: created ? .created : .attached)
        }
    }

    // MARK: Reservations

    /// Renews the device's lease in place: on every excise number the account may issue on, this
    /// year's sequences and the LRN serials are topped up to the lease's size with as many numbers
    /// as were used; segments of past years named in `release` (settled in the journal) are given
    /// back. A journal whose proof diverges is refused: its lease is frozen.
    func reserve(_ r: ToolkitReservationRequest, now: Date) async throws -> ToolkitReservationReply {
        try requireHolder()
        let size = try r.validSize()
        let device = ToolkitSync.Device(id: r.device.id, name: try r.device.validName())
        let lease = try await checkLease(device, r.lease, now: now)
        guard lease.status == .active else {
            throw SecoursError(kind: .conflict, code: "journal_duplicated",
                               message: Messages.ToolkitLease.duplicated(device: lease.name, other: lease.otherName ?? device.name))
        }
        let issuable = try await scope.issuableExciseNumbers().sorted { $0.model.number < $1.model.number }
        let year = ParisDay(now).year
        let login = principal.login
        let attempt = r.lease.attempt ?? UUID()
        let used = Dictionary(r.used.map { ($0.id, $0.highest) }, uniquingKeysWith: max)
        return try await documents.writeDB.writeTransaction { tx in
            let store = ReservationStore(db: tx)
            // The proof moves first: two journals racing with one proof cannot both renew.
            let verdict = ToolkitLease.verdict(service: lease.counter, attempt: lease.attempt, journal: r.lease)
            if verdict == .current, try await !store.advanceLease(device.id, from: lease.counter, attempt: attempt) {
                throw SecoursError(kind: .conflict, code: "journal_duplicated", message: Messages.ToolkitLease.duplicated(device: lease.name, other: device.name))
            }
            let asked = Set(r.release)
            let pastYears = try await store.open(device: device.id, login: login).filter { asked.contains($0.id) && $0.kind == .craps && ($0.year ?? year) < year }
            var released = try await store.release(pastYears, ended: .yearEnded, now: now)
            // Counter rows are locked in (excise number, year) order, like generations and imports.
            for e in issuable {
                let number = e.model.number
                released += try await store.renew(kind: .lrn, exciseNumber: number, officeID: e.model.$office.id, year: year, size: size,
                                                  device: device.id, login: login, used: used, now: now)
                released += try await store.renew(kind: .craps, exciseNumber: number, officeID: e.model.$office.id, year: year, size: size,
                                                  device: device.id, login: login, used: used, now: now)
            }
            return ToolkitReservationReply(open: try await store.open(device: device.id, login: login), released: released,
                                           lease: ToolkitLease.Proof(counter: lease.counter + (verdict == .current ? 1 : 0), attempt: attempt))
        }
    }

    /// The reservations the principal may read (the office's audit log of R-NUM-8).
    func list(exciseNumber: String?, openOnly: Bool) async throws -> [ToolkitReservation] {
        try await ReservationStore(db: documents.db).list(try await scope.records(), exciseNumber: exciseNumber, openOnly: openOnly, limit: 500)
    }
}

