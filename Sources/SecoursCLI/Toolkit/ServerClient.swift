import AsyncHTTPClient
import Foundation
import HTTPTypes
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import SecoursAPIClient
import SecoursCore

/// The calls the toolkit makes to the service: a token; then, at each sync, the journal pushed,
/// the blocks of numbers released and taken, and the state to keep offline.
///
/// Every call goes through the client generated from the service's OpenAPI document
/// (SecoursAPIClient), with the conversions of `ServerClient+Contract.swift`: a change of the
/// contract that the toolkit does not follow stops it from building.
struct ServerClient {
    let server: String

    /// How long one call may take: `SECOURS_TIMEOUT_SECONDS` (1–3600), 30 by default.
    static let timeout: Int64 = {
        guard let text = ProcessInfo.processInfo.environment["SECOURS_TIMEOUT_SECONDS"], let n = Int64(text), (1...3600).contains(n) else { return 30 }
        return n
    }()

    /// One HTTP client per process, made by the first call (a static is initialised on first use):
    /// the commands that work offline never make one. A refused connection is reported at once
    /// rather than retried until the deadline: offline is the normal case for this tool, and the
    /// user is waiting.
    private static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(min(10, timeout)), read: .seconds(timeout)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Normalises what a user types (`https://host/`, `http://127.0.0.1:8080`) to a base without
    /// a trailing slash.
    static func base(_ text: String) throws(ToolkitError) -> String {
        var t = text.trimmingCharacters(in: .whitespaces)
        while t.hasSuffix("/") { t.removeLast() }
        guard let url = URL(string: t), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty, url.query == nil
        else { throw .badServerAddress(text) }
        return t
    }

    struct Token { let token: String; let expiresAt: Date }

    func token(login: String, password: String) async throws(ToolkitError) -> Token {
        try await call(token: nil, login: login) { Token(try await $0.createToken(body: .json(.init(login: login, password: password))).ok.body.json) }
    }

    /// A new token for the one given, without the password; the one given is no longer good.
    func refresh(token: String, login: String) async throws(ToolkitError) -> Token {
        try await call(token: token, login: login) { Token(try await $0.refreshToken().ok.body.json) }
    }

    func state(token: String, login: String) async throws(ToolkitError) -> ToolkitState {
        try await call(token: token, login: login) { try ToolkitState(try await $0.getToolkitState().ok.body.json) }
    }

    func push(_ body: ToolkitPush, token: String, login: String) async throws(ToolkitError) -> ToolkitPushResult {
        let request = try Self.writable { try Components.Schemas.ToolkitPush(body) }
        return try await call(token: token, login: login) { try ToolkitPushResult(try await $0.pushToolkitJournal(body: .json(request)).ok.body.json) }
    }

    func reserve(_ body: ToolkitReservationRequest, token: String, login: String) async throws(ToolkitError) -> ToolkitReservationReply {
        let request = Components.Schemas.ToolkitReservationRequest(body)
        return try await call(token: token, login: login) { try ToolkitReservationReply(try await $0.reserveToolkitNumbers(body: .json(request)).ok.body.json) }
    }

    /// `secours logout`: the laptop's lease given back.
    func retire(_ body: ToolkitRetireRequest, token: String, login: String) async throws(ToolkitError) -> ToolkitReservationReply {
        let request = Components.Schemas.ToolkitRetireRequest(body)
        return try await call(token: token, login: login) { try ToolkitReservationReply(try await $0.retireToolkitDevice(body: .json(request)).ok.body.json) }
    }

    /// Runs one call with a generated client on the shared HTTP client, and turns what goes wrong
    /// into the toolkit's errors: a refusal of the service (its own message; a 401 on a token is a
    /// session to open again), no answer (unreachable), or an answer outside the contract.
    private func call<T>(token: String?, login: String, _ body: (Client) async throws -> T) async throws(ToolkitError) -> T {
        guard let url = URL(string: server) else { throw .badServerAddress(server) }
        let transport = AsyncHTTPClientTransport(configuration: .init(client: Self.http, timeout: .seconds(Self.timeout)))
        // Compact JSON (the runtime pretty-prints by default): a push of 500 entries stays well
        // under the service's body limit.
        let api = Client(serverURL: url, configuration: .init(jsonEncodingOptions: []), transport: transport,
                         middlewares: [Refusals()] + (token.map { [BearerToken($0)] } ?? []))
        do {
            return try await body(api)
        } catch let error as ClientError {
            if let refusal = error.underlyingError as? Refusal {
                if refusal.status == 401, token != nil { throw .sessionExpired(server: server, login: login) }
                throw .server(refusal.status, refusal.message)
            }
            // The request left (it has one) but no answer came back.
            if error.response == nil, error.request != nil { throw .unreachable(server, Self.describe(error.underlyingError)) }
            throw Self.unexpected(error.response.map { $0.status.code } ?? 200, error.underlyingError)
        } catch {
            throw Self.unexpected(200, error)
        }
    }

    private static func unexpected(_ status: Int, _ error: any Error) -> ToolkitError {
        .server(status, "réponse inattendue (\(error)) : le service est-il bien un service Secours de même version ?")
    }

    /// A request the contract cannot carry (a value of the journal its enumerations do not know).
    private static func writable<T>(_ make: () throws -> T) throws(ToolkitError) -> T {
        do { return try make() } catch { throw .server(0, "requête impossible à écrire (\(error))") }
    }

    private static func describe(_ error: any Error) -> String {
        if let e = error as? HTTPClientError, e == .deadlineExceeded || e == .readTimeout || e == .connectTimeout { return "délai dépassé" }
        let text = "\(error)"
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connexion refusée" }
        return text.count > 160 ? String(text.prefix(160)) + "…" : text
    }
}

/// A status other than success, with the service's own message (the contract's `Error` body)
/// or, failing that, the start of the body.
private struct Refusal: Error {
    let status: Int
    let message: String
}

/// Every operation documents its refusals with the same `Error` body, and the toolkit treats them
/// alike whatever the operation: read here once, before the generated client picks its case.
private struct Refusals: ClientMiddleware {
    func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        let (response, answer) = try await next(request, body, baseURL)
        guard response.status.kind != .successful else { return (response, answer) }
        var data = Data()
        if let answer, let read = try? await Data(collecting: answer, upTo: 1 << 20) { data = read }
        let message = (try? JSONDecoder().decode(Components.Schemas._Error.self, from: data))?.error.message
        throw Refusal(status: response.status.code, message: message ?? String(decoding: data.prefix(300), as: UTF8.self))
    }
}
