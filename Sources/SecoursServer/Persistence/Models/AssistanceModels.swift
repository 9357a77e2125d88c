import Fluent
import Foundation
import SecoursCore

/// A self-triggering assistance request (R-DIAG-3).
final class AssistanceRequestModel: Model, @unchecked Sendable {
    static let schema = "assistance_requests"
    @ID(key: .id) var id: UUID?
    @Field(key: "reference") var reference: String
    @Field(key: "excise_number") var exciseNumber: String
    @Field(key: "office_id") var officeID: UUID
    @Field(key: "service") var service: OnlineService
    @Field(key: "eori") var eori: String
    @Field(key: "company_name") var companyName: String
    @Field(key: "address") var address: String
    @Field(key: "phone") var phone: String
    @Field(key: "switched_at") var switchedAt: Date
    @Field(key: "reasons") var reasons: String
    /// The start of the fallback.
    @Field(key: "registered_at") var registeredAt: Date
    @Field(key: "registered_by") var registeredBy: String
    @OptionalField(key: "closed_at") var closedAt: Date?
    @Field(key: "episode_id") var episodeID: UUID

    init() {}
}

/// A manual number an operator communicates to its office before departure (R-OFF-1).
final class CommunicationModel: Model, @unchecked Sendable {
    static let schema = "communications"
    @ID(key: .id) var id: UUID?
    @Field(key: "excise_number") var exciseNumber: String
    @Field(key: "office_id") var officeID: UUID
    @Field(key: "number") var number: String
    @Field(key: "type") var type: DocumentType
    @Field(key: "transport") var transport: String
    @Field(key: "dispatch_date") var dispatchDate: String
    @Field(key: "dispatch_time") var dispatchTime: String
    @Field(key: "communicated_at") var communicatedAt: Date
    @Field(key: "communicated_by") var communicatedBy: String

    init() {}
}

/// What the office's console shows as news (R-OFF-1, notifications): one line per request,
/// self-trigger or communication, marked read by the office.
final class OfficeNoticeModel: Model, @unchecked Sendable {
    static let schema = "office_notices"
    @ID(key: .id) var id: UUID?
    @Field(key: "office_id") var officeID: UUID
    @Field(key: "at") var at: Date
    @Field(key: "kind") var kind: OfficeNoticeKind
    @Field(key: "excise_number") var exciseNumber: String
    @Field(key: "text") var text: String
    @Field(key: "link") var link: String
    @OptionalField(key: "read_at") var readAt: Date?
    /// When it was mailed to the office (with `SECOURS_SMTP_URL`); the outbox sends the others.
    @OptionalField(key: "mailed_at") var mailedAt: Date?

    init() {}
}
