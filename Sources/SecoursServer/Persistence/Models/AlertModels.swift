import Fluent
import Foundation
import SecoursCore

/// An alert published by the CID on the weather page (R-MET-2).
final class AlertModel: Model, @unchecked Sendable {
    static let schema = "alerts"
    @ID(key: .id) var id: UUID?
    @Field(key: "reference") var reference: String
    @Field(key: "level") var level: AlertLevel
    /// Service codes, comma-separated.
    @Field(key: "services") var services: String
    /// Transmission modes, comma-separated.
    @Field(key: "modes") var modes: String
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "ended_at") var endedAt: Date?
    @Field(key: "published_at") var publishedAt: Date
    @Field(key: "published_by") var publishedBy: String

    init() {}

    /// The services and modes it covers, read from their stored form.
    var coverage: AlertCoverage { AlertCoverage(storedServices: services, storedModes: modes) }
}

/// An information bulletin (BIP) of an alert, append-only; the end-of-alert message is the last.
final class AlertBulletinModel: Model, @unchecked Sendable {
    static let schema = "alert_bulletins"
    @ID(key: .id) var id: UUID?
    @Parent(key: "alert_id") var alert: AlertModel
    @Field(key: "at") var at: Date
    @Field(key: "text") var text: String
    @Field(key: "author") var author: String
    /// True for the message published with the end of the alert.
    @Field(key: "closing") var closing: Bool

    init() {}
    init(alertID: UUID, at: Date, text: String, author: String, closing: Bool) {
        self.$alert.id = alertID
        self.at = at
        self.text = text
        self.author = author
        self.closing = closing
    }
}
