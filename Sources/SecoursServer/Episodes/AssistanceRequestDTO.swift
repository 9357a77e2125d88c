import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

struct AssistanceRequestDTO: Content {
    let id: UUID
    let reference: String
    let exciseNumber: String
    let service: String
    let eori: String
    let companyName: String
    let address: String
    let phone: String
    let switchedAt: Date
    let reasons: String
    /// The start of the fallback.
    let registeredAt: Date
    let closedAt: Date?
    let episodeId: UUID
    /// The mention the request carries.
    let mention: String

    init(_ r: AssistanceRequestModel) {
        id = r.id!
        reference = r.reference
        exciseNumber = r.exciseNumber
        service = r.service.rawValue
        eori = r.eori
        companyName = r.companyName
        address = r.address
        phone = r.phone
        switchedAt = r.switchedAt
        reasons = r.reasons
        registeredAt = r.registeredAt
        closedAt = r.closedAt
        episodeId = r.episodeID
        mention = AssistanceRequest.mention
    }
}
