import Fluent
import SecoursCore
import Vapor

/// `/api/v1/documents…`
struct DocumentsAPIController {
    struct GenerateBody: Content {
        let type: String?
        let exciseNumber: String?
        let transport: String?
        let dispatchDate: String?
        let dispatchTime: String?
    }

    func generate(req: Request) async throws -> Response {
        let b = try req.content.decode(GenerateBody.self)
        let valid = try GenerationRequest(type: b.type, exciseNumber: b.exciseNumber, transport: b.transport,
                                          dispatchDate: b.dispatchDate, dispatchTime: b.dispatchTime)
            .validate(now: req.application.secours.now())
        let doc = try await DocumentService(req).generate(valid, now: req.application.secours.now())
        let response = try await DocumentDTO(doc).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/documents/\(doc.number)")
        return response
    }

    func show(req: Request) async throws -> DocumentDTO {
        let doc = try await DocumentService(req).find(req.parameters.require("number"))
        return DocumentDTO(doc)
    }

    func history(req: Request) async throws -> [HistoryEntryDTO] {
        let service = try DocumentService(req)
        let doc = try await service.find(req.parameters.require("number"))
        return try await service.history(of: doc).map(HistoryEntryDTO.init)
    }
}
