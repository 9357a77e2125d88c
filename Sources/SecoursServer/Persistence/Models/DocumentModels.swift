import Fluent
import Foundation
import SecoursCore

/// A fallback document (R-DOC-1). Dates a user searches on are kept as `YYYY-MM-DD` text so
/// that they compare the same way on SQLite and PostgreSQL.
final class DocumentModel: Model, @unchecked Sendable {
    static let schema = "documents"
    @ID(key: .id) var id: UUID?
    @Field(key: "number") var number: String
    @Field(key: "kind") var kind: DocumentKind
    @Field(key: "type") var type: DocumentType
    @Field(key: "excise_number") var exciseNumber: String
    @Field(key: "year") var year: Int
    @Field(key: "sequence") var sequence: Int
    @Field(key: "transport") var transport: String
    @Field(key: "dispatch_date") var dispatchDate: String
    @Field(key: "dispatch_time") var dispatchTime: String
    @Field(key: "registered_at") var registeredAt: Date
    @Field(key: "registration_date") var registrationDate: String
    @Field(key: "registration_mode") var registrationMode: RegistrationMode
    @Field(key: "actor_type") var actorType: ActorType
    @Field(key: "actor_login") var actorLogin: String
    @Field(key: "status") var status: Status
    @OptionalField(key: "cancellation_reason") var cancellationReason: String?
    @OptionalField(key: "cancellation_comment") var cancellationComment: String?
    @OptionalField(key: "reactivation_reason") var reactivationReason: String?
    @OptionalField(key: "reactivation_comment") var reactivationComment: String?
    @OptionalField(key: "arc") var arc: String?
    /// Start of the legal cover: dispatch, or last reactivation (R-DOC-5).
    @OptionalField(key: "cover_start") var coverStart: Date?
    /// What allowed generating the number (R-DIAG-2): an episode, or a current alert.
    @OptionalField(key: "covered_by_episode") var coveredByEpisode: UUID?
    @OptionalField(key: "covered_by_alert") var coveredByAlert: String?

    init() {}
}

/// One line of a document's append-only history (R-DOC-6).
final class HistoryModel: Model, @unchecked Sendable {
    static let schema = "document_history"
    @ID(key: .id) var id: UUID?
    @Parent(key: "document_id") var document: DocumentModel
    @Field(key: "at") var at: Date
    @Field(key: "action") var action: HistoryAction
    @Field(key: "actor_type") var actorType: ActorType
    @Field(key: "actor_login") var actorLogin: String
    @Field(key: "details") var details: String

    init() {}
    init(documentID: UUID, at: Date, action: HistoryAction, actorType: ActorType, actorLogin: String, details: String) {
        self.$document.id = documentID
        self.at = at
        self.action = action
        self.actorType = actorType
        self.actorLogin = actorLogin
        self.details = details
    }
}
