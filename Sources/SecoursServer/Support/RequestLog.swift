import Foundation
import Vapor

/// One log line per request (R-NF-5), written once the answer is known: method, route template
/// (`/api/v1/documents/:number`, never the values in the path), status, duration, the account
/// (its id, never a password, a token or a cookie) and the request id that the answer carries
/// in `X-Request-Id`. 5xx are logged at `error`, refusals (401, 403, 404, 429) at `notice`,
/// the rest at `info`.
struct RequestLogMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next.respond(to: request)
            log(request, status: response.status.code, since: started)
            return response
        } catch {
            // Errors are turned into answers inside (the error middleware); this is only what escaped it.
            log(request, status: 500, since: started)
            throw error
        }
    }

    private func log(_ request: Request, status: UInt, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "(no route)"
        let level: Logger.Level = status >= 500 ? .error : ([401, 403, 404, 429].contains(status) ? .notice : .info)
        request.logger.log(level: level, "request", metadata: [
            "method": .string(request.method.rawValue),
            "route": .string(route),
            "status": .stringConvertible(status),
            "duration_ms": .string(String(format: "%.1f", milliseconds)),
            "account": .string(request.auth.get(Principal.self)?.id.uuidString.lowercased() ?? "-"),
        ])
    }
}
