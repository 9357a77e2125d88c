import Fluent
import Foundation
import SecoursCore

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
    @Field(key: "mode") var mode: TransmissionMode

    init() {}
    init(number: String, companyID: UUID, officeID: UUID, mode: TransmissionMode) {
        self.number = number
        self.$company.id = companyID
        self.$office.id = officeID
        self.mode = mode
    }
}
