import Fluent
import Foundation
import SecoursCore

/// A fallback episode (R-DIAG-2): why an operator may use the fallback procedure for one excise
/// number and service, from when to when.
final class EpisodeModel: Model, @unchecked Sendable {
    static let schema = "episodes"
    @ID(key: .id) var id: UUID?
    @Field(key: "excise_number") var exciseNumber: String
    /// The office of attachment of the excise number when the episode began.
    @Field(key: "office_id") var officeID: UUID
    @Field(key: "service") var service: OnlineService
    @Field(key: "basis") var basis: EpisodeBasis
    @Field(key: "status") var status: EpisodeStatus
    @OptionalField(key: "reference") var reference: String?
    @Field(key: "reason") var reason: String
    @Field(key: "requested_at") var requestedAt: Date
    /// For a request to the office: when silence grants it.
    @OptionalField(key: "deadline") var deadline: Date?
    @OptionalField(key: "started_at") var startedAt: Date?
    @OptionalField(key: "ended_at") var endedAt: Date?
    @Field(key: "opened_by") var openedBy: String
    /// The self-trigger's assistance request, if the episode came from one.
    @OptionalField(key: "assistance_request_id") var assistanceRequestID: UUID?

    init() {}
}

/// One line of an episode's evidence log, append-only: the proof of good faith.
final class EpisodeEventModel: Model, @unchecked Sendable {
    static let schema = "episode_events"
    @ID(key: .id) var id: UUID?
    @Parent(key: "episode_id") var episode: EpisodeModel
    @Field(key: "at") var at: Date
    @Field(key: "kind") var kind: EpisodeEvent
    @Field(key: "actor_type") var actorType: ActorType
    @Field(key: "actor_login") var actorLogin: String
    @Field(key: "details") var details: String

    init() {}
    init(episodeID: UUID, at: Date, kind: EpisodeEvent, actorType: ActorType, actorLogin: String, details: String) {
        self.$episode.id = episodeID
        self.at = at
        self.kind = kind
        self.actorType = actorType
        self.actorLogin = actorLogin
        self.details = details
    }
}
