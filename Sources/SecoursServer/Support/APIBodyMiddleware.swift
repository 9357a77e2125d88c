import SecoursCore
import Vapor

/// API bodies are JSON (XML for imports) and bounded: refuses another content type (415) and a
/// body over the limit (413) before any handler runs, whether the size is announced or only seen
/// once read.
struct APIBodyMiddleware: AsyncMiddleware {
    let maxBodySize: Int
    let maxImportSize: Int

    static let importPath = APIURL.imports.path
    /// A toolkit push carries up to `ToolkitSync.maxEntriesPerPush` entries: bounded like an import.
    static let pushPath = APIURL.toolkitPush.path
    /// A lease renewal describes up to 1,000 segments (`ToolkitReservationRequest.maxItems`).
    static let reservationsPath = APIURL.toolkitReservations.path
    static let reservationsLimit = 1 << 20

    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let isImport = request.url.path == Self.importPath
        let maxBodySize = isImport || request.url.path == Self.pushPath ? maxImportSize
            : request.url.path == Self.reservationsPath ? max(maxBodySize, Self.reservationsLimit) : maxBodySize
        if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > maxBodySize {
            throw SecoursError.payloadTooLarge
        }
        if let data = request.body.data, data.readableBytes > maxBodySize {
            throw SecoursError.payloadTooLarge
        }
        let hasBody = (request.body.data?.readableBytes ?? 0) > 0 || request.headers.first(name: .contentLength).map { $0 != "0" } == true
        if hasBody, isImport {
            guard request.headers.contentType?.subType == "xml" else {
                throw SecoursError(kind: .unsupportedMediaType, code: "unsupported_media_type",
                                   message: Messages.Service.importNotXML)
            }
        } else if hasBody, request.headers.contentType?.subType != "json" {
            throw SecoursError.unsupportedMediaType
        }
        return try await next.respond(to: request)
    }
}
