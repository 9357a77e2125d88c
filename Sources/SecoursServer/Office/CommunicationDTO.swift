import Fluent
import Foundation
import SecoursCore
import Vapor

struct CommunicationDTO: Content {
    let number: String
    let type: String
    let exciseNumber: String
    let transport: String
    let dispatchDate: String
    let dispatchTime: String
    let communicatedAt: Date
    let communicatedBy: String

    init(_ c: CommunicationModel) {
        number = c.number
        type = c.type.rawValue
        exciseNumber = c.exciseNumber
        transport = c.transport
        dispatchDate = c.dispatchDate
        dispatchTime = c.dispatchTime
        communicatedAt = c.communicatedAt
        communicatedBy = c.communicatedBy
    }
}
