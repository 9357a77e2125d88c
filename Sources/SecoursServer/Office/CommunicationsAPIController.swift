import Fluent
import Foundation
import SecoursCore
import Vapor

/// `/api/v1/communications`.
struct CommunicationsAPIController {
    func create(req: Request) async throws -> Response {
        let now = req.application.secours.now()
        let valid = try req.content.decode(RegistrationRequest.self).validate(now: now, departure: .upcoming)
        let c = try await CommunicationService(db: req.db, principal: req.principal()).communicate(valid, now: now)
        return try await CommunicationDTO(c).encodeResponse(status: .created, for: req)
    }

    func list(req: Request) async throws -> [CommunicationDTO] {
        try await CommunicationService(db: req.db, principal: req.principal()).list().map(CommunicationDTO.init)
    }
}
