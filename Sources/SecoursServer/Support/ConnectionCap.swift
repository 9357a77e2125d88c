#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import Vapor

/// R-NF-3: a cap on concurrent connections, in all and per client address, so that a client that
/// opens connections faster than the idle timeout closes them cannot take every file descriptor
/// of the server. A connection over either limit is closed as soon as it is accepted, before any
/// byte is read, and counted in `secours_connections_refused_total`.
///
/// Vapor 4 builds the listening channel privately and offers no hook on accepted connections.
/// The one public door to it is the protocol upgrade of a request: the upgrader is handed the
/// request's connection, whose parent is the listening channel. So once the server listens, it
/// sends itself one upgrade request carrying a secret made at start-up, and the upgrader puts the
/// counting handler first on the listening channel. Any other request to that address is a 404.
final class ConnectionCap: Sendable {
    struct Counts: Sendable {
        var open = 0
        var byAddress: [String: Int] = [:]
    }

    let total: Int
    let perAddress: Int
    private let counts = NIOLockedValueBox(Counts())
    private let attached = NIOLockedValueBox(false)
    let secret: String
    let metrics: ServiceMetrics
    let logger: Logger

    /// The address of the request that attaches the cap.
    static let path = "_connexions"
    static let secretHeader = "X-Secours-Connection-Cap"

    init(total: Int, perAddress: Int, metrics: ServiceMetrics, logger: Logger) {
        self.total = total
        self.perAddress = perAddress
        self.metrics = metrics
        self.logger = logger
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        self.secret = bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// Default total: what the process may open, less room for the database, files and logs.
    static func defaultTotal() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1_024 }
        let soft = Int(clamping: min(limit.rlim_cur, 1_000_000))
        return max(64, min(1_000_000, soft - 256))
    }

    var isAttached: Bool { attached.withLockedValue { $0 } }

    var openConnections: Int { counts.withLockedValue { $0.open } }

    /// Takes a place for a connection from `address`, or says which limit refuses it.
    func admit(_ address: String) -> String? {
        counts.withLockedValue { counts in
            if counts.open >= total { return "total" }
            let fromAddress = counts.byAddress[address, default: 0]
            if perAddress > 0, fromAddress >= perAddress { return "per_address" }
            counts.open += 1
            counts.byAddress[address] = fromAddress + 1
            return nil
        }
    }

    func release(_ address: String) {
        counts.withLockedValue { counts in
            counts.open -= 1
            let left = counts.byAddress[address, default: 1] - 1
            counts.byAddress[address] = left > 0 ? left : nil
        }
    }

    /// Called by the upgrader with the listening channel; only the first call adds the handler.
    fileprivate func attach(to listener: Channel) -> EventLoopFuture<Void> {
        let first = attached.withLockedValue { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return listener.eventLoop.makeSucceededVoidFuture() }
        let handler = ConnectionCapHandler(cap: self)
        return listener.eventLoop.submit {
            try listener.pipeline.syncOperations.addHandler(handler, position: .first)
        }
    }

    /// Once the server listens: the request that attaches the cap, over loopback to its own port.
    func attach(_ app: Application) async throws {
        guard let address = app.http.server.shared.localAddress, let port = address.port else {
            throw ConnectionCapError("the server does not listen on a TCP port")
        }
        let host: String
        switch address {
        case .v6: host = "[::1]"
        default: host = "127.0.0.1"
        }
        var headers = HTTPHeaders()
        headers.add(name: Self.secretHeader, value: secret)
        headers.add(name: .connection, value: "Upgrade")
        headers.add(name: .upgrade, value: ConnectionCapUpgrader.protocolName)
        let response = try await app.client.get(URI(string: "http://\(host):\(port)/\(Self.path)"), headers: headers)
        guard response.status == .switchingProtocols, isAttached else {
            throw ConnectionCapError("the server answered \(response.status.code) to the request that attaches the cap")
        }
        logger.info("Connection cap: \(total) in all, \(perAddress == 0 ? "no limit" : String(perAddress)) per client address")
    }

    /// The route of the attaching request: 101 with the upgrader for the right secret, else 404.
    @Sendable func answer(_ req: Request) throws -> Response {
        guard let given = req.headers.first(name: Self.secretHeader),
              MetricsEndpoint.constantTimeEqual(Array(given.utf8), Array(secret.utf8)) else { throw Abort(.notFound) }
        let response = Response(status: .switchingProtocols)
        response.headers.replaceOrAdd(name: .upgrade, value: ConnectionCapUpgrader.protocolName)
        response.headers.replaceOrAdd(name: .connection, value: "Upgrade")
        response.upgrader = ConnectionCapUpgrader(cap: self)
        return response
    }
}

struct ConnectionCapError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// First on the listening channel: every accepted connection passes here before it is set up.
private final class ConnectionCapHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = Channel
    typealias InboundOut = Channel

    let cap: ConnectionCap

    init(cap: ConnectionCap) { self.cap = cap }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let connection = unwrapInboundIn(data)
        let address = connection.remoteAddress?.ipAddress ?? "?"
        if let limit = cap.admit(address) {
            // Registered as usual, then closed at once: the bootstrap owns the channel's set-up.
            context.fireChannelRead(data)
            connection.close(promise: nil)
            cap.metrics.connectionRefused(limit: limit)
            return
        }
        let cap = self.cap
        connection.closeFuture.whenComplete { _ in cap.release(address) }
        context.fireChannelRead(data)
    }
}

/// The upgrade that is no protocol: it reaches the listening channel, then closes its connection.
private struct ConnectionCapUpgrader: Upgrader {
    static let protocolName = "secours-connection-cap"
    let cap: ConnectionCap

    func applyUpgrade(req: Request, res: Response) -> HTTPServerProtocolUpgrader { Handover(cap: cap) }

    final class Handover: HTTPServerProtocolUpgrader, Sendable {
        let supportedProtocol = ConnectionCapUpgrader.protocolName
        let requiredUpgradeHeaders: [String] = []
        let cap: ConnectionCap

        init(cap: ConnectionCap) { self.cap = cap }

        func buildUpgradeResponse(channel: Channel, upgradeRequest: HTTPRequestHead,
                                  initialResponseHeaders: HTTPHeaders) -> EventLoopFuture<HTTPHeaders> {
            guard let listener = channel.parent else {
                return channel.eventLoop.makeFailedFuture(ConnectionCapError("the connection has no listening channel"))
            }
            var headers = initialResponseHeaders
            headers.replaceOrAdd(name: "Upgrade", value: supportedProtocol)
            headers.replaceOrAdd(name: "Connection", value: "Upgrade")
            let answer = headers
            return cap.attach(to: listener).hop(to: channel.eventLoop).map { answer }
        }

        /// The 101 is in the connection's buffer: sent, then the connection closed.
        func upgrade(context: ChannelHandlerContext, upgradeRequest: HTTPRequestHead) -> EventLoopFuture<Void> {
            context.flush()
            return context.close()
        }
    }
}

extension Application {
    private struct ConnectionCapKey: StorageKey { typealias Value = ConnectionCap }

    /// The application's connection cap (made by `configure`).
    var connectionCap: ConnectionCap? {
        get { storage[ConnectionCapKey.self] }
        set { storage[ConnectionCapKey.self] = newValue }
    }
}
