import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// `/api/v1/assistance-requests…` (R-DIAG-3).
struct AssistanceAPIController {
    func create(req: Request) async throws -> Response {
        let now = req.application.secours.now()
        let valid = try req.content.decode(AssistanceRequest.self).validate(now: now)
        let r = try await AssistanceService(req).register(valid, now: now)
        let response = try await AssistanceRequestDTO(r).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: APIURL.assistanceRequest(r.id!).path)
        return response
    }

    func list(req: Request) async throws -> [AssistanceRequestDTO] {
        try await AssistanceService(req).list().map(AssistanceRequestDTO.init)
    }

    func show(req: Request) async throws -> AssistanceRequestDTO {
        AssistanceRequestDTO(try await AssistanceService(req).find(req.parameters.require("id")))
    }

    struct CloseBody: Content { let comment: String? }

    func close(req: Request) async throws -> AssistanceRequestDTO {
        let comment = try req.optionalContent(CloseBody.self)?.comment
        return AssistanceRequestDTO(try await AssistanceService(req).close(req.parameters.require("id"), comment: comment, now: req.application.secours.now()))
    }
}
