import Foundation
import SecoursCore
import Vapor

struct EpisodeDTO: Content {
    struct Event: Content {
        let at: Date
        let kind: String
        let actorType: String
        let actorLogin: String
        let details: String
    }

    let id: UUID
    let exciseNumber: String
    let service: String
    let basis: String
    let status: String
    let reference: String?
    let reason: String
    let requestedAt: Date
    /// For a request to the office: when silence grants it.
    let deadline: Date?
    let startedAt: Date?
    let endedAt: Date?
    let openedBy: String
    let assistanceRequestId: UUID?
    /// The evidence log, oldest first (on a single episode).
    let events: [Event]?

    init(_ e: EpisodeModel, events: [EpisodeEventModel]? = nil) {
        id = e.id!
        exciseNumber = e.exciseNumber
        service = e.service.rawValue
        basis = e.basis.rawValue
        status = e.status.rawValue
        reference = e.reference
        reason = e.reason
        requestedAt = e.requestedAt
        deadline = e.deadline
        startedAt = e.startedAt
        endedAt = e.endedAt
        openedBy = e.openedBy
        assistanceRequestId = e.assistanceRequestID
        self.events = events?.map { Event(at: $0.at, kind: $0.kind.rawValue, actorType: $0.actorType.rawValue, actorLogin: $0.actorLogin, details: $0.details) }
    }
}
