import Foundation
import Vapor

/// One log line per request (R-NF-5), written once the answer is known: method, route template
/// (`/api/v1/documents/:number`, never the values in the path), status, duration, the account
/// (its id, never a password, a token or a cookie) and the request id that the answer carries
/// in `X-Request-Id` (the logger's `request-id`). A refusal (R-ACC-4: 401, 403, 404, 429) says
/// its code and reason on the same line, and so does a 503 (an overload, at `warning`). Other
/// 5xx are logged at `error`, refusals at `notice`, the rest at `info`. The same figures feed the request metrics.
struct RequestLogMiddleware: AsyncMiddleware {
    let metrics: ServiceMetrics

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
        metrics.request(method: request.method.rawValue, route: route, status: status, duration: elapsed)
        let refused = [401, 403, 404, 429].contains(status)
        let level: Logger.Level = status == 503 ? .warning : (status >= 500 ? .error : (refused ? .notice : .info))
        guard request.logger.logLevel <= level else { return }
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "route": .string(route),
            "status": .stringConvertible(Int(status)),
            "duration_ms": .stringConvertible((milliseconds * 10).rounded() / 10),
            "account": .string(request.auth.get(Principal.self)?.id.uuidString.lowercased() ?? "-"),
        ]
        if let refusal = request.refusal {
            metadata["refusal"] = .string(refusal.code)
            metadata["reason"] = .string(refusal.reason)
        }
        request.logger.log(level: level, "request", metadata: metadata)
    }
}

/// Why a request was refused, for its log line: the error's stable code and what it means.
struct Refusal: Sendable {
    let code: String
    let reason: String
}

extension Request {
    private struct RefusalKey: StorageKey { typealias Value = Refusal }

    /// Set by whoever refuses (the error middleware by default, sign-in more precisely).
    var refusal: Refusal? {
        get { storage[RefusalKey.self] }
        set { storage[RefusalKey.self] = newValue }
    }
}
