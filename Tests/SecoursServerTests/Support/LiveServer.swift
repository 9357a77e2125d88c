import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import VaporTesting
@testable import SecoursServer

/// An application serving on a real socket (a free port on 127.0.0.1), for what only a real
/// connection shows: bodies that arrive in several reads, and truly concurrent requests.
struct LiveServer: Sendable {
    let base: String

    /// One client for the whole run; it never follows a redirect, as a test must see each answer.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow,
                                                     timeout: .init(connect: .seconds(60), read: .seconds(600)))
        // Enough connections for the concurrency tests' bursts.
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    struct Answer: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let text: String
        var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
        var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
        var errorFields: [String] { ((object["error"] as? [String: Any])?["fields"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? [] }
    }

    /// Sends one request; `json` is serialised, `body` sent as is with `contentType`.
    func send(_ method: HTTPMethod, _ path: String, token: String? = nil, json: [String: any Sendable]? = nil,
              body: Data? = nil, contentType: String? = nil, headers extra: [(String, String)] = []) async throws -> Answer {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: json)))
            request.headers.add(name: "Content-Type", value: "application/json")
        } else if let body {
            request.body = .bytes(ByteBuffer(data: body))
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        }
        // No connection kept between requests: servers of earlier tests may have had this port.
        request.headers.replaceOrAdd(name: "Connection", value: "close")
        for (k, v) in extra { request.headers.replaceOrAdd(name: k, value: v) }
        let response = try await Self.client.execute(request, timeout: .seconds(600))
        let buffer = try await response.body.collect(upTo: 64 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers, text: String(buffer: buffer))
    }
}

/// Serves `app` on a free port for the time of `body`.
func withLiveServer(_ app: Application, _ body: (LiveServer) async throws -> Void) async throws {
    try await app.asyncBoot()
    try await app.server.start(address: .hostname("127.0.0.1", port: 0))
    guard let port = app.http.server.shared.localAddress?.port else {
        await app.server.shutdown()
        throw TestSetupError("the server has no port")
    }
    // As `secours serve` does once it listens.
    do { try await app.connectionCap?.attach(app) } catch {
        await app.server.shutdown()
        throw error
    }
    do { try await body(LiveServer(base: "http://127.0.0.1:\(port)")) } catch {
        await app.server.shutdown()
        throw error
    }
    await app.server.shutdown()
}
