import Foundation
import SecoursCore
import Vapor

/// What the offline toolkit (`secours sync`) takes away before an outage (`ToolkitState`, shared
/// with the toolkit): the excise numbers the account may issue on, with rights, company, office of
/// attachment and mode; the year's last sequence of each; the current alerts and the episodes
/// requested or open on them.
extension ToolkitState: Content {}
extension ToolkitPushResult: Content {}
extension ToolkitReservationReply: Content {}
extension ToolkitReservation: Content {}
extension ToolkitDeviceRecord: Content {}

/// `/api/v1/toolkit/…` (bearer token): scoped like every other endpoint, through `Scope`.
struct ToolkitAPIController {
    /// `POST /api/v1/toolkit/push`: the journal of a device, registered a posteriori.
    func push(req: Request) async throws -> ToolkitPushResult {
        try await ToolkitSyncService(req).push(req.content.decode(ToolkitPush.self), now: req.application.secours.now())
    }

    /// `POST /api/v1/toolkit/reservations`: release settled blocks, take fresh ones (R-NUM-8).
    func reserve(req: Request) async throws -> ToolkitReservationReply {
        try await ToolkitSyncService(req).reserve(req.content.decode(ToolkitReservationRequest.self), now: req.application.secours.now())
    }

    /// `POST /api/v1/toolkit/retire`: `secours logout` gives the device's lease back.
    func retire(req: Request) async throws -> ToolkitReservationReply {
        try await ToolkitSyncService(req).retire(req.content.decode(ToolkitRetireRequest.self), now: req.application.secours.now())
    }

    /// `GET /api/v1/toolkit/devices`: the offline devices in reach, with their status and lease.
    func devices(req: Request) async throws -> [ToolkitDeviceRecord] {
        _ = try QuerySource.api.read(req.queryPairs, known: [])
        return try await ToolkitSyncService(req).devices()
    }

    /// `POST /api/v1/toolkit/devices/{id}/revoke`: the office or the CID revokes a lost laptop.
    func revoke(req: Request) async throws -> ToolkitDeviceRecord {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw SecoursError.notFound("Device") }
        return try await ToolkitSyncService(req).revoke(id, req.content.decode(ToolkitRevokeRequest.self), now: req.application.secours.now())
    }

    /// `GET /api/v1/toolkit/reservations`: every block reserved and released on the excise numbers
    /// in scope, newest first: why a sequence has a gap.
    func reservations(req: Request) async throws -> [ToolkitReservation] {
        var excise: String?
        var openOnly = false
        for (name, value) in try QuerySource.api.read(req.queryPairs, known: ["exciseNumber", "open"]) {
            if name == "open" {
                guard let b = Bool(value) else { throw SecoursError.invalid(field: "open", message: "open vaut true ou false.") }
                openOnly = b
            } else {
                do { excise = try ExciseNumber(parsing: value).value } catch {
                    throw SecoursError.invalid(field: "exciseNumber", message: Messages.Documents.exciseNumberQuery(error.message))
                }
            }
        }
        return try await ToolkitSyncService(req).list(exciseNumber: excise, openOnly: openOnly)
    }

    func state(req: Request) async throws -> ToolkitState {
        let principal = try req.principal()
        let now = req.application.secours.now()
        let year = ParisDay(now).year
        let scope = Scope(db: req.db, principal: principal)
        let issuable = try await scope.issuableExciseNumbers()
        let store = ToolkitStateStore(db: req.db)
        let details = try await store.details(of: issuable.map(\.model.number), year: year)
        let numbers: [ToolkitState.ExciseNumber] = issuable.compactMap { e in
            guard let d = details[e.model.number] else { return nil }
            return .init(number: d.number, mode: e.model.mode.rawValue, rights: e.rights.sorted().map(\.rawValue),
                         issuableTypes: scope.issuableTypes(e).map(\.rawValue),
                         company: .init(siren: d.companySiren, name: d.companyName, address: d.companyAddress),
                         office: .init(code: d.officeCode, name: d.officeName, email: d.officeEmail), lastSequence: d.lastSequence)
        }
        let mine = Set(numbers.map(\.number))
        let episodes = mine.isEmpty ? [] : try await EpisodeService(req).list(now: now)
            .filter { mine.contains($0.exciseNumber) && $0.status.isActive }
            .map { ToolkitState.Episode(id: $0.id!, exciseNumber: $0.exciseNumber, service: $0.service.rawValue, basis: $0.basis.rawValue,
                                           status: $0.status.rawValue, reason: $0.reason, requestedAt: $0.requestedAt, startedAt: $0.startedAt) }
        let alerts = try await AlertService(db: req.db).board(pastLimit: 0).current.map { entry in
            let coverage = entry.alert.coverage
            return ToolkitState.Alert(reference: entry.alert.reference, level: entry.alert.level.rawValue, title: entry.alert.title,
                                         services: coverage.services.map(\.rawValue), modes: coverage.modes.map(\.rawValue),
                                         startedAt: entry.alert.startedAt)
        }
        return ToolkitState(account: .init(login: principal.login, email: try await store.email(ofAccount: principal.id), role: principal.role.rawValue),
                               serverTime: now, year: year, exciseNumbers: numbers, alerts: alerts, episodes: episodes)
    }
}
