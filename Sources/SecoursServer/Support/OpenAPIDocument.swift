import Foundation
import Vapor

/// Serves the hand-written OpenAPI description bundled with the server (also linked from
/// `docs/openapi.json`). A test checks that it lists exactly the API's routes.
enum OpenAPIDocument {
    static let url = Bundle.module.bundleURL.appendingPathComponent("Resources/openapi.json")

    @Sendable static func serve(req: Request) async throws -> Response {
        let data = try Data(contentsOf: url)
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
