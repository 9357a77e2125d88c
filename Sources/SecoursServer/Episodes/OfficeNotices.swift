import Fluent
import Foundation
import Vapor

/// What the office of attachment is told at once (R-OFF-1): authorisation requests, self-triggers,
/// declared episodes and communicated numbers appear in its console; mail is sent too when
/// `SECOURS_SMTP_URL` is set (and its failure never fails the operator's request).
enum OfficeNotices {
    enum Kind: String {
        case authorisationRequest = "authorisation-request"
        case episodeDeclared = "episode-declared"
        case selfTrigger = "self-trigger"
        case communication

        var label: String {
            switch self {
            case .authorisationRequest: "Demande d'autorisation"
            case .episodeDeclared: "Épisode déclaré"
            case .selfTrigger: "Auto-déclenchement"
            case .communication: "Numéro communiqué"
            }
        }
    }

    static func post(_ kind: Kind, office: UUID, exciseNumber: String, text: String, link: String, at: Date, on db: Database) async throws {
        let n = OfficeNoticeModel()
        n.officeID = office
        n.at = at
        n.kind = kind.rawValue
        n.exciseNumber = exciseNumber
        n.text = text
        n.link = link
        try await n.create(on: db)
    }
}
