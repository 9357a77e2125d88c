import SecoursCore
import Vapor

/// API bodies are JSON and bounded: refuses another content type (415) and a body over the
/// limit (413) before any handler runs, whether the size is announced or only seen once read.
struct APIBodyMiddleware: AsyncMiddleware {
    let maxBodySize: Int

    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > maxBodySize {
            throw SecoursError.payloadTooLarge
        }
        if let data = request.body.data, data.readableBytes > maxBodySize {
            throw SecoursError.payloadTooLarge
        }
        let hasBody = (request.body.data?.readableBytes ?? 0) > 0 || request.headers.first(name: .contentLength).map { $0 != "0" } == true
        if hasBody, request.headers.contentType?.subType != "json" {
            throw SecoursError.unsupportedMediaType
        }
        return try await next.respond(to: request)
    }
}
