import Foundation
import SecoursAPIClient
import SecoursCore

// The toolkit's types (SecoursCore) to and from the contract's (generated from openapi.json),
// field by field and with no default value: a field renamed, removed, retyped or newly required
// in the document stops this file from building. Enumerations and identifiers go by their text:
// a value one side does not know throws (an unexpected answer, or a request that cannot be
// written) rather than being passed on silently.

extension ServerClient.Token {
    init(_ t: Components.Schemas.Token) { self.init(token: t.token, expiresAt: t.expiresAt) }
}

extension ToolkitState {
    init(_ s: Components.Schemas.ToolkitState) throws {
        self.init(
            account: .init(login: s.account.login, email: s.account.email, role: s.account.role.rawValue),
            serverTime: s.serverTime, year: s.year,
            exciseNumbers: s.exciseNumbers.map { e in
                .init(number: e.number, mode: e.mode.rawValue, rights: e.rights.map(\.rawValue), issuableTypes: e.issuableTypes.map(\.rawValue),
                      company: .init(siren: e.company.siren, name: e.company.name, address: e.company.address),
                      office: .init(code: e.office.code, name: e.office.name, email: e.office.email), lastSequence: e.lastSequence)
            },
            alerts: s.alerts.map { .init(reference: $0.reference, level: $0.level, title: $0.title, services: $0.services, modes: $0.modes, startedAt: $0.startedAt) },
            episodes: try s.episodes.map {
                .init(id: try uuid($0.id), exciseNumber: $0.exciseNumber, service: $0.service, basis: $0.basis, status: $0.status.rawValue,
                      reason: $0.reason, requestedAt: $0.requestedAt, startedAt: $0.startedAt)
            })
    }
}

extension Components.Schemas.ToolkitDevice {
    init(_ d: ToolkitSync.Device) { self.init(id: d.id.uuidString, name: d.name) }
}

extension Components.Schemas.ToolkitLeaseProof {
    init(_ l: ToolkitLease.Proof) { self.init(counter: l.counter, attempt: l.attempt?.uuidString) }
}

extension ToolkitLease.Proof {
    init(_ l: Components.Schemas.ToolkitLeaseProof) throws { self.init(counter: l.counter, attempt: try l.attempt.map(uuid)) }
}

extension Components.Schemas.ToolkitPush {
    init(_ p: ToolkitPush) throws {
        self.init(
            device: .init(p.device),
            lease: .init(p.lease),
            entries: p.entries.map {
                .init(number: $0.number, _type: $0.type, exciseNumber: $0.exciseNumber, transport: $0.transport, dispatchDate: $0.dispatchDate,
                      dispatchTime: $0.dispatchTime, madeAt: $0.madeAt, communicatedAt: $0.communicatedAt)
            },
            outages: try p.outages.map { o in
                .init(localID: o.localID, service: try same(o.service), reason: o.reason, startedAt: o.startedAt, endedAt: o.endedAt, endNote: o.endNote,
                      attempts: o.attempts.map { .init(at: $0.at, channel: $0.channel, note: $0.note) }, exciseNumbers: o.exciseNumbers)
            })
    }
}

extension ToolkitPushResult {
    init(_ r: Components.Schemas.ToolkitPushResult) throws {
        self.init(
            entries: try r.entries.map {
                .init(number: $0.number, outcome: try same($0.outcome.rawValue), code: $0.code, message: $0.message,
                      communication: try $0.communication.map { try same($0.rawValue) }, communicationMessage: $0.communicationMessage)
            },
            outages: try r.outages.map {
                .init(localID: $0.localID, exciseNumber: $0.exciseNumber, episodeID: try uuid($0.episodeID), outcome: try same($0.outcome.rawValue))
            },
            duplicateJournal: r.duplicateJournal)
    }
}

extension Components.Schemas.ToolkitReservationRequest {
    init(_ r: ToolkitReservationRequest) {
        self.init(device: .init(r.device), lease: .init(r.lease), size: r.size, used: r.used.map { .init(id: $0.id.uuidString, highest: $0.highest) },
                  release: r.release.map(\.uuidString))
    }
}

extension Components.Schemas.ToolkitRetireRequest {
    init(_ r: ToolkitRetireRequest) { self.init(device: .init(r.device), lease: .init(r.lease)) }
}

extension ToolkitReservationReply {
    init(_ r: Components.Schemas.ToolkitReservationReply) throws {
        self.init(open: try r.open.map(ToolkitReservation.init), released: try r.released.map(ToolkitReservation.init), lease: try .init(r.lease))
    }
}

extension ToolkitReservation {
    init(_ r: Components.Schemas.ToolkitReservation) throws {
        self.init(id: try uuid(r.id), kind: try same(r.kind.rawValue), exciseNumber: r.exciseNumber, year: r.year, first: r.first, last: r.last,
                  deviceID: try uuid(r.deviceID), deviceName: r.deviceName, login: r.login, event: try same(r.event.rawValue),
                  reservedAt: r.reservedAt, releasedAt: r.releasedAt, ended: try r.ended.map { try same($0.rawValue) },
                  used: r.used, unused: r.unused, returned: r.returned)
    }
}

/// A value the other side does not know.
private struct UnknownValue: Error, CustomStringConvertible {
    let description: String
}

/// The enumeration's case of the same text.
private func same<T: RawRepresentable<String>>(_ text: String) throws -> T {
    guard let value = T(rawValue: text) else { throw UnknownValue(description: "« \(text) » inconnu pour \(T.self)") }
    return value
}

private func uuid(_ text: String) throws -> UUID {
    guard let id = UUID(uuidString: text) else { throw UnknownValue(description: "« \(text) » n'est pas un identifiant") }
    return id
}
