import Fluent
import Foundation
import SecoursCore

final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"
    @ID(key: .id) var id: UUID?
    @Field(key: "login") var login: String
    @Field(key: "email") var email: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "role") var role: Role
    @OptionalParent(key: "company_id") var company: CompanyModel?
    @OptionalParent(key: "office_id") var office: OfficeModel?
    @Field(key: "company_admin") var companyAdmin: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
    init(login: String, email: String, passwordHash: String, role: Role, companyID: UUID?, officeID: UUID?, companyAdmin: Bool) {
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
    @Field(key: "right") var right: Right

    init() {}
    init(userID: UUID, exciseNumberID: UUID, right: Right) {
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
