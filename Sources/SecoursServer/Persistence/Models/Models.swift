import Fluent
import Foundation

// Fluent models are reference types that Fluent mutates from one task at a time; they never
// cross tasks here, hence @unchecked Sendable (the pattern Fluent's own documentation uses).

final class OfficeModel: Model, @unchecked Sendable {
    static let schema = "offices"
    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "email") var email: String

    init() {}
    init(code: String, name: String, email: String) {
        self.code = code
        self.name = name
        self.email = email
    }
}

final class CompanyModel: Model, @unchecked Sendable {
    static let schema = "companies"
    @ID(key: .id) var id: UUID?
    @Field(key: "siren") var siren: String
    @Field(key: "name") var name: String
    @Field(key: "address") var address: String

    init() {}
    init(siren: String, name: String, address: String) {
        self.siren = siren
        self.name = name
        self.address = address
    }
}

final class ExciseNumberModel: Model, @unchecked Sendable {
    static let schema = "excise_numbers"
    @ID(key: .id) var id: UUID?
    @Field(key: "number") var number: String
    @Parent(key: "company_id") var company: CompanyModel
    @Parent(key: "office_id") var office: OfficeModel
    /// DTI, DTI+ or EDI.
    @Field(key: "mode") var mode: String

    init() {}
    init(number: String, companyID: UUID, officeID: UUID, mode: String) {
        self.number = number
        self.$company.id = companyID
        self.$office.id = officeID
        self.mode = mode
    }
}

final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"
    @ID(key: .id) var id: UUID?
    @Field(key: "login") var login: String
    @Field(key: "email") var email: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "role") var role: String
    @OptionalParent(key: "company_id") var company: CompanyModel?
    @OptionalParent(key: "office_id") var office: OfficeModel?
    @Field(key: "company_admin") var companyAdmin: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    init(login: String, email: String, passwordHash: String, role: String, companyID: UUID?, officeID: UUID?, companyAdmin: Bool) {
        self.login = login
        self.email = email
        self.passwordHash = passwordHash
        self.role = role
        self.$company.id = companyID
        self.$office.id = officeID
        self.companyAdmin = companyAdmin
    }
}

/// One right of one account on one excise number (R-ACC-2).
final class RightModel: Model, @unchecked Sendable {
    static let schema = "rights"
    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserModel
    @Parent(key: "excise_number_id") var exciseNumber: ExciseNumberModel
    @Field(key: "right") var right: String

    init() {}
    init(userID: UUID, exciseNumberID: UUID, right: String) {
        self.$user.id = userID
        self.$exciseNumber.id = exciseNumberID
        self.right = right
    }
}

/// An API bearer token; only its SHA-256 digest is stored.
final class TokenModel: Model, @unchecked Sendable {
    static let schema = "tokens"
    @ID(key: .id) var id: UUID?
    @Field(key: "digest") var digest: String
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "expires_at") var expiresAt: Date

    init() {}
    init(digest: String, userID: UUID, expiresAt: Date) {
        self.digest = digest
        self.$user.id = userID
        self.expiresAt = expiresAt
    }
}

/// A fallback document (R-DOC-1). Dates a user searches on are kept as `YYYY-MM-DD` text so
/// that they compare the same way on SQLite and PostgreSQL.
final class DocumentModel: Model, @unchecked Sendable {
    static let schema = "documents"
    @ID(key: .id) var id: UUID?
    @Field(key: "number") var number: String
    @Field(key: "kind") var kind: String
    @Field(key: "type") var type: String
    @Field(key: "excise_number") var exciseNumber: String
    @Field(key: "year") var year: Int
    @Field(key: "sequence") var sequence: Int
    @Field(key: "transport") var transport: String
    @Field(key: "dispatch_date") var dispatchDate: String
    @Field(key: "dispatch_time") var dispatchTime: String
    @Field(key: "registered_at") var registeredAt: Date
    @Field(key: "registration_date") var registrationDate: String
    @Field(key: "registration_mode") var registrationMode: String
    @Field(key: "actor_type") var actorType: String
    @Field(key: "actor_login") var actorLogin: String
    @Field(key: "status") var status: String
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
    @Field(key: "action") var action: String
    @Field(key: "actor_type") var actorType: String
    @Field(key: "actor_login") var actorLogin: String
    @Field(key: "details") var details: String

    init() {}
    init(documentID: UUID, at: Date, action: String, actorType: String, actorLogin: String, details: String) {
        self.$document.id = documentID
        self.at = at
        self.action = action
        self.actorType = actorType
        self.actorLogin = actorLogin
        self.details = details
    }
}
