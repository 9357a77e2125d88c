import Fluent
import SecoursCore
import Vapor

/// `/api/v1/documents…`
struct DocumentsAPIController {
    func generate(req: Request) async throws -> Response {
        // One reading of the clock: validation and numbering fall on the same day, even at midnight.
        let now = req.application.secours.now()
        let valid = try req.content.decode(GenerationRequest.self).validate(now: now)
        let doc = try await DocumentService(req).generate(valid, now: now)
        let response = try await DocumentDTO(doc).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: APIURL.document(doc.number).path)
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

    func register(req: Request) async throws -> Response {
        let now = req.application.secours.now()
        let valid = try req.content.decode(RegistrationRequest.self).validate(now: now)
        let doc = try await DocumentService(req).register(valid, now: now)
        let response = try await DocumentDTO(doc).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: APIURL.document(doc.number).path)
        return response
    }

    func cancel(req: Request) async throws -> DocumentDTO { try await move(req, .cancel) }
    func reactivate(req: Request) async throws -> DocumentDTO { try await move(req, .reactivate) }
    func reintegrate(req: Request) async throws -> DocumentDTO { try await move(req, .reintegrate) }

    private func move(_ req: Request, _ move: StatusMove) async throws -> DocumentDTO {
        let doc = try await DocumentService(req).move(req.parameters.require("number"), move, req.content.decode(MoveInput.self),
                                                      state: req.application.secours)
        return DocumentDTO(doc)
    }

    struct SearchPage: Content {
        let items: [DocumentDTO]
        let page: Int
        let perPage: Int
        /// Exact when `totalCapped` is false; otherwise the results are more than `total`.
        let total: Int
        let totalCapped: Bool
    }

    /// `GET /api/v1/documents?field=op:value…` (R-GPS-8), JSON or CSV.
    func search(req: Request) async throws -> Response {
        try await respond(req, SearchQuery.parse(req.queryPairs, from: .api))
    }

    /// `GET /api/v1/excise-numbers/{number}/documents` (R-GPS-7): newest first, paginated.
    func follow(req: Request) async throws -> Response {
        let number = try req.parameters.require("number").uppercased()
        let p = try req.principal()
        guard let (_, facts) = try await Scope(db: req.db, principal: p, access: req.application.secours.access).facts(for: number), Access.seesAnything(facts) else {
            throw SecoursError.notFound(Messages.Documents.exciseNumberWhat)
        }
        // The excise number is the path's: no other criterion here.
        var q = try SearchQuery.parse(req.queryPairs, from: .api, criteria: [])
        q.criteria = [try SearchQuery.criterion(.exciseNumber, number)]
        return try await respond(req, q)
    }

    private func respond(_ req: Request, _ q: SearchQuery) async throws -> Response {
        let search = try DocumentSearch(db: req.db, principal: req.principal())
        if q.format == .csv || (q.format == nil && req.acceptsCSV) {
            return DocumentCSV.response(DocumentCSV.render(try await search.all(q)), filename: "documents-secours.csv")
        }
        let page = try await search.run(q)
        return try await SearchPage(items: page.items, page: q.page, perPage: q.perPage, total: min(page.total, DocumentSearch.countLimit),
                                    totalCapped: page.totalCapped).encodeResponse(for: req)
    }
}
