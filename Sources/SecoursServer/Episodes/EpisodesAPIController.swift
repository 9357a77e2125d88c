import Foundation
import SecoursCore
import Vapor


/// `/api/v1/episodes…` (R-DIAG-2).
struct EpisodesAPIController {
    func list(req: Request) async throws -> [EpisodeDTO] {
        var status: EpisodeStatus?
        var excise: String?
        for (name, value) in try QuerySource.api.read(req.queryPairs, known: ["status", "exciseNumber"]) {
            if name == "status" {
                guard let s = EpisodeStatus(rawValue: value) else {
                    throw SecoursError.invalid(field: "status", message: Messages.Episodes.unknownStatus(value))
                }
                status = s
            } else {
                do { excise = try ExciseNumber(parsing: value).value } catch {
                    throw SecoursError.invalid(field: "exciseNumber", message: Messages.Documents.exciseNumberQuery(error.message))
                }
            }
        }
        return try await EpisodeService(req).list(status: status, exciseNumber: excise, now: req.application.secours.now()).map { EpisodeDTO($0) }
    }

    func create(req: Request) async throws -> Response {
        let valid = try req.content.decode(EpisodeRequest.self).validate()
        let service = try EpisodeService(req)
        let e = try await service.create(valid, now: req.application.secours.now())
        let response = try await EpisodeDTO(e, events: try await service.events(of: e)).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: APIURL.episode(e.id!).path)
        return response
    }

    func show(req: Request) async throws -> EpisodeDTO {
        let service = try EpisodeService(req)
        let e = try await service.find(req.parameters.require("id"), now: req.application.secours.now())
        return EpisodeDTO(e, events: try await service.events(of: e))
    }

    struct DecisionBody: Content {
        let decision: String?
        let comment: String?
    }

    func decide(req: Request) async throws -> EpisodeDTO {
        let body = try req.content.decode(DecisionBody.self)
        guard let decision = body.decision.flatMap(EpisodeService.Decision.init(rawValue:)) else {
            throw SecoursError.invalid(field: "decision", message: Messages.Episodes.decisionRequired)
        }
        let service = try EpisodeService(req)
        let e = try await service.decide(req.parameters.require("id"), decision, comment: body.comment, now: req.application.secours.now())
        return EpisodeDTO(e, events: try await service.events(of: e))
    }

    struct TextBody: Content { let text: String? }
    struct CommentBody: Content { let comment: String? }

    func addEvidence(req: Request) async throws -> Response {
        let service = try EpisodeService(req)
        let e = try await service.addEvidence(req.parameters.require("id"), text: req.content.decode(TextBody.self).text, now: req.application.secours.now())
        return try await EpisodeDTO(e, events: try await service.events(of: e)).encodeResponse(status: .created, for: req)
    }

    func end(req: Request) async throws -> EpisodeDTO {
        let service = try EpisodeService(req)
        let comment = try req.optionalContent(CommentBody.self)?.comment
        let e = try await service.end(req.parameters.require("id"), comment: comment, now: req.application.secours.now())
        return EpisodeDTO(e, events: try await service.events(of: e))
    }
}
