import AsyncKit
import Fluent
import Leaf
import PostgresNIO
import SecoursCore
import Vapor

/// Turns every error into the answer a user can act on: JSON `{"error": {code, message}}` under
/// `/api`, a French error page elsewhere. 5xx are logged as critical, refusals as notices.
struct SecoursErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            // An API address that exists, asked with another method: 405 naming the methods it has.
            let allowed = error is RouteNotFound && APIURL.owns(request.url.path) ? Self.methods(of: request) : []
            let e = allowed.isEmpty ? Self.describe(error) : Self.methodNotAllowed
            let status = Self.status(e.kind)
            if status == .serviceUnavailable {
                // An overload the answer tells the client to wait out (Retry-After): not a fault.
                request.refusal = Refusal(code: e.code, reason: e.message)
            } else if status.code >= 500 {
                request.logger.critical("\(request.method) \(request.url.path) failed: \(String(reflecting: error))")
            } else if [.forbidden, .notFound, .unauthorized, .tooManyRequests].contains(status), request.refusal == nil {
                // Said on the request's own log line.
                request.refusal = Refusal(code: e.code, reason: e.message)
            }
            if error is ConnectionPoolTimeoutError { request.application.metrics.databasePoolTimeout() }
            let response: Response
            if APIURL.owns(request.url.path) || request.headers.accept.mediaTypes.first == .json {
                response = Response(status: status)
                try response.content.encode(ErrorBody(error: .init(code: e.code, message: e.message, fields: e.fields.isEmpty ? nil : e.fields)))
            } else {
                response = try await ErrorPage(status: Int(status.code), title: Messages.Service.statusTitle(Int(status.code)), message: e.message)
                    .render(request, status: status)
            }
            if status == .serviceUnavailable { response.headers.replaceOrAdd(name: .retryAfter, value: "5") }
            if !allowed.isEmpty { response.headers.replaceOrAdd(name: .allow, value: allowed.joined(separator: ", ")) }
            if status == .unauthorized, APIURL.owns(request.url.path) {
                response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer")
            }
            return response
        }
    }

    struct ErrorBody: Content {
        struct Inner: Content {
            let code: String
            let message: String
            let fields: [SecoursError.FieldError]?
        }
        let error: Inner
    }

    static func status(_ kind: SecoursError.Kind) -> HTTPResponseStatus {
        switch kind {
        case .invalid: .unprocessableEntity
        case .malformed: .badRequest
        case .unsupportedMediaType: .unsupportedMediaType
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .conflict: .conflict
        case .tooManyRequests: .tooManyRequests
        case .payloadTooLarge: .payloadTooLarge
        case .unavailable: .serviceUnavailable
        case .internal: .internalServerError
        }
    }

    /// Every error in the project's words.
    static func describe(_ error: Error) -> SecoursError {
        switch error {
        case let e as SecoursError:
            return e
        case let e as NumberError:
            return .init(kind: .invalid, code: "invalid_number", message: e.message)
        case let e as DecodingError:
            return decoding(e)
        case let e as DatabaseError where e.isConstraintFailure:
            return .concurrentWrite
        case let e as PSQLError where e.code == .connectionError || e.code == .serverClosedConnection
            // PostgreSQL refusing a new connection (too many already, 53300; starting or stopping,
            // 57P03) or cutting one it had (terminated by an administrator, 57P01; after a crash,
            // 57P02): the pool opens a new one for the next request.
            || ["53300", "57P01", "57P02", "57P03"].contains(e.serverInfo?[.sqlState] ?? ""):
            // The database cannot be reached for now: a condition to wait out, not a fault.
            return .init(kind: .unavailable, code: "database_unavailable",
                         message: Messages.Service.databaseUnavailable)
        case is ConnectionPoolTimeoutError:
            // Every database connection busy for longer than the pool waits: an overload, not a fault.
            return .init(kind: .unavailable, code: "overloaded",
                         message: Messages.Service.overloaded)
        case let e as AbortError:
            return abort(e.status)
        default:
            return .init(kind: .internal, code: "internal_error", message: Messages.Service.internalError)
        }
    }

    static func decoding(_ e: DecodingError) -> SecoursError {
        func name(_ path: [CodingKey]) -> String {
            path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch e {
        case let .typeMismatch(type, ctx):
            let field = name(ctx.codingPath)
            let what = type == String.self ? Messages.Service.text : (type == Bool.self ? Messages.Service.boolean
                : (type is any Numeric.Type ? Messages.Service.number : Messages.Service.otherType))
            return .init(kind: .malformed, code: "invalid_body", message: Messages.Service.fieldMustBe(field, what),
                         fields: [.init(field: field, message: Messages.Service.mustBe(what))])
        case let .keyNotFound(key, ctx):
            let field = name(ctx.codingPath + [key])
            return .init(kind: .malformed, code: "invalid_body", message: Messages.Service.fieldRequired(field),
                         fields: [.init(field: field, message: Messages.Service.required)])
        case let .valueNotFound(_, ctx):
            let field = name(ctx.codingPath)
            return .init(kind: .malformed, code: "invalid_body", message: Messages.Service.fieldNotNull(field),
                         fields: [.init(field: field, message: Messages.Service.notNull)])
        case let .dataCorrupted(ctx):
            if ctx.codingPath.isEmpty {
                return .init(kind: .malformed, code: "invalid_body", message: Messages.Service.bodyNotJSON)
            }
            let field = name(ctx.codingPath)
            // Well-formed JSON of the right type whose value the field does not take (a UUID, an
            // enumeration's value, a date): the request is understood, the value refused (422).
            let detail = Self.detail(ctx.debugDescription)
            return .init(kind: .invalid, code: "validation_failed", message: Messages.Service.fieldInvalid(field, detail),
                         fields: [.init(field: field, message: detail)])
        @unknown default:
            return .init(kind: .malformed, code: "invalid_body", message: Messages.Service.bodyInvalid)
        }
    }

    /// What a decoder says of a corrupted value, in the caller's language. Our own decoders
    /// (excise numbers, dates) already speak it; Foundation's say in English what it expected
    /// (a UUID, one of an enumeration's values), which is said again here.
    static func detail(_ description: String) -> String {
        if description.hasPrefix("Attempted to decode UUID") || description.contains("invalid UUID string") { return Messages.Service.uuidExpected }
        if description.hasPrefix("Cannot initialize") { return Messages.Service.knownValueExpected }
        if description.hasPrefix("Expected date string") || description.contains("ISO8601") { return Messages.Service.dateTimeExpected }
        return description
    }

    static var methodNotAllowed: SecoursError { SecoursError(kind: .methodNotAllowed, code: "method_not_allowed", message: Messages.Service.methodNotAllowed) }

    /// The methods of the routes whose path matches the request's, whatever their method. Where
    /// several patterns match, the router takes the one with constants before parameters
    /// (`documents/registrations` before `documents/:number`): only its methods are the address's.
    static func methods(of request: Request) -> [String] {
        let segments = request.url.path.split(separator: "/", omittingEmptySubsequences: true)
        var best: [Bool] = []
        var methods: Set<String> = []
        for route in request.application.routes.all {
            var endsInCatchall = false
            if case .catchall = route.path.last { endsInCatchall = true }
            guard route.path.count == segments.count || endsInCatchall else { continue }
            let matches = zip(route.path, segments).allSatisfy { component, segment in
                switch component {
                case let .constant(c): c == segment
                case .parameter, .anything, .catchall: true
                }
            }
            guard matches else { continue }
            let shape = route.path.map { if case .constant = $0 { true } else { false } }
            if shape.lexicographicallyPrecedes(best, by: { !$0 && $1 }) { continue }
            if best.lexicographicallyPrecedes(shape, by: { !$0 && $1 }) || methods.isEmpty { best = shape; methods = [] }
            methods.insert(route.method.rawValue)
        }
        return methods.sorted()
    }

    static func abort(_ status: HTTPResponseStatus) -> SecoursError {
        switch status {
        case .notFound: return .init(kind: .notFound, code: "not_found", message: Messages.Service.addressNotFound)
        case .payloadTooLarge: return .payloadTooLarge
        case .unsupportedMediaType: return .unsupportedMediaType
        case .unauthorized: return .unauthenticated
        case .forbidden: return .forbidden
        case .methodNotAllowed: return methodNotAllowed
        case .badRequest: return .init(kind: .malformed, code: "bad_request", message: Messages.Service.badRequest)
        default:
            if status.code < 500 { return .init(kind: .malformed, code: "bad_request", message: Messages.Service.badRequestWithStatus(Int(status.code))) }
            return .init(kind: .internal, code: "internal_error", message: Messages.Service.internalError)
        }
    }
}

struct ErrorPage: Encodable {
    let status: Int
    let title: String
    let message: String
    /// What to do next, when the page knows better than « Retour à l'accueil ».
    var next: Link?

    struct Link: Encodable {
        let label: String
        let url: String
    }

    func render(_ req: Request, status: HTTPResponseStatus) async throws -> Response {
        let view = try await req.view.render("error", Page(req, title: Messages.Service.errorPageTitle(status: self.status), content: self))
        let response = try await view.encodeResponse(for: req)
        response.status = status
        return response
    }
}

