import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SecoursCore

/// The calls the toolkit makes to the service: a token; then, at each sync, the journal pushed,
/// the blocks of numbers released and taken, and the state to keep offline.
struct ServerClient {
    let server: String

    /// One client per process. A refused connection is reported at once rather than retried
    /// until the deadline: offline is the normal case for this tool, and the user is waiting.
    /// How long one call may take: `SECOURS_TIMEOUT_SECONDS` (1–3600), 30 by default.
    static let timeout: Int64 = {
        guard let text = ProcessInfo.processInfo.environment["SECOURS_TIMEOUT_SECONDS"], let n = Int64(text), (1...3600).contains(n) else { return 30 }
        return n
    }()

    private static let client: HTTPClient = {
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

    struct Token: Decodable { let token: String; let expiresAt: Date }

    func token(login: String, password: String) async throws(ToolkitError) -> Token {
        let body = try? JSONSerialization.data(withJSONObject: ["login": login, "password": password])
        let (status, data) = try await send(.POST, "/api/v1/auth/token", token: nil, body: body)
        guard status == 200 else { throw Self.failure(status, data) }
        return try decode(Token.self, data)
    }

    /// A new token for the one given, without the password; the one given is no longer good.
    func refresh(token: String, login: String) async throws(ToolkitError) -> Token {
        let (status, data) = try await send(.POST, "/api/v1/auth/token/refresh", token: token, body: nil)
        if status == 401 { throw .sessionExpired(server: server, login: login) }
        guard status == 200 else { throw Self.failure(status, data) }
        return try decode(Token.self, data)
    }

    func state(token: String, login: String) async throws(ToolkitError) -> ToolkitState {
        let (status, data) = try await send(.GET, "/api/v1/toolkit/state", token: token, body: nil)
        if status == 401 { throw .sessionExpired(server: server, login: login) }
        guard status == 200 else { throw Self.failure(status, data) }
        return try decode(ToolkitState.self, data)
    }

    func push(_ body: ToolkitPush, token: String, login: String) async throws(ToolkitError) -> ToolkitPushResult {
        try await post("/api/v1/toolkit/push", body, token: token, login: login)
    }

    func reserve(_ body: ToolkitReservationRequest, token: String, login: String) async throws(ToolkitError) -> ToolkitReservationReply {
        try await post("/api/v1/toolkit/reservations", body, token: token, login: login)
    }

    func retire(_ body: ToolkitRetireRequest, token: String, login: String) async throws(ToolkitError) -> ToolkitReservationReply {
        try await post("/api/v1/toolkit/retire", body, token: token, login: login)
    }

    private func post<B: Encodable, T: Decodable>(_ path: String, _ body: B, token: String, login: String) async throws(ToolkitError) -> T {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let data: Data
        do { data = try encoder.encode(body) } catch { throw .server(0, "requête impossible à écrire (\(error))") }
        let (status, answer) = try await send(.POST, path, token: token, body: data)
        if status == 401 { throw .sessionExpired(server: server, login: login) }
        guard status == 200 else { throw Self.failure(status, answer) }
        return try decode(T.self, answer)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws(ToolkitError) -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do { return try decoder.decode(type, from: data) } catch {
            throw .server(200, "réponse inattendue (\(error)) : le service est-il bien un service Secours de même version ?")
        }
    }

    /// The service's own French message when it sent one.
    private static func failure(_ status: Int, _ data: Data) -> ToolkitError {
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let message = (object?["error"] as? [String: Any])?["message"] as? String
        return .server(status, message ?? String(decoding: data.prefix(300), as: UTF8.self))
    }

    private func send(_ method: HTTPMethod, _ path: String, token: String?, body: Data?) async throws(ToolkitError) -> (Int, Data) {
        var request = HTTPClientRequest(url: server + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        do {
            let response = try await Self.client.execute(request, timeout: .seconds(Self.timeout))
            let buffer = try await response.body.collect(upTo: 16 << 20)
            return (Int(response.status.code), Data(buffer.readableBytesView))
        } catch {
            throw .unreachable(server, Self.describe(error))
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let e = error as? HTTPClientError, e == .deadlineExceeded || e == .readTimeout || e == .connectTimeout { return "délai dépassé" }
        let text = "\(error)"
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connexion refusée" }
        return text.count > 160 ? String(text.prefix(160)) + "…" : text
    }
}
