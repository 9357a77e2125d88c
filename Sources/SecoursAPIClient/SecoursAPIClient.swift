import Foundation
import HTTPTypes
import OpenAPIRuntime

// `Client`, `Components` and `Operations` are generated at build time by the OpenAPIGenerator
// plugin from `openapi.json`, a symlink to the document the server serves, so the client cannot
// drift from it.

/// Sends `Authorization: Bearer <token>` with every request (a token from `createToken`); the
/// document declares the bearer scheme, which the generator leaves to a middleware.
public struct BearerToken: ClientMiddleware {
    public var token: String

    public init(_ token: String) { self.token = token }

    public func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                          next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(token)"
        return try await next(request, body, baseURL)
    }
}
