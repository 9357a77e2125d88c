#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import VaporTesting
@testable import SecoursServer

/// R-NF-3: slow clients cannot exhaust the server. Real sockets that send nothing, half a
/// request line, or headers announcing a 1 GB body and then nothing are all closed by the server
/// once the idle timeout has passed, and a normal request is served meanwhile.
@Suite("Idle connections")
struct ConnectionTests {
    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { close(fd); throw TestSetupError("connect: \(errno)") }
        return fd
    }

    static func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }

    /// Whether the server closed its end: a read returns end of file (or the connection was reset).
    static func closedByServer(_ fd: Int32) -> Bool {
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, Int32(MSG_DONTWAIT))
        if n == 0 { return true }
        if n < 0 { return errno == ECONNRESET }
        // The server answered something (an error) and may close after: drain and look again.
        var buffer = [UInt8](repeating: 0, count: 4096)
        while recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT)) > 0 {}
        return recv(fd, &byte, 1, Int32(MSG_DONTWAIT)) == 0
    }

    @Test func idleAndSlowConnectionsAreClosed() async throws {
        try await withApp(.sqlite, configure: { $0.idleTimeout = 10 }) { app in
            try await withLiveServer(app) { server in
                let port = Int(server.base.split(separator: ":").last!)!
                let openings = ["", "GET /meteo HT", "POST /api/v1/documents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n{"]
                let opened = Date()
                var sockets: [Int32] = []
                defer { for fd in sockets { close(fd) } }
                // 3,000 as in the review, when the process may hold twice as many descriptors
                // (client and server ends are both in this process).
                var limit = rlimit()
                getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
                let count = max(200, min(3000, (Int(limit.rlim_cur) - 500) / 2))
                let baseline = Self.openDescriptors()
                for i in 0..<count {
                    let fd = try Self.connect(port: port)
                    sockets.append(fd)
                    let text = openings[i % openings.count]
                    if !text.isEmpty { _ = text.withCString { send(fd, $0, strlen($0), 0) } }
                }
                let allOpened = Date()
                // Meanwhile the service answers a normal request at once.
                let health = try await server.send(.GET, "/health")
                #expect(health.status == 200)
                // Not closed at once: it is the timeout that closes them (checked only while the
                // timeout has not passed, the machine may be loaded).
                if Date().timeIntervalSince(opened) < 6 {
                    #expect(sockets.filter(Self.closedByServer).count < sockets.count / 2, "closed before the timeout")
                }
                // Past the timeout, every one of them is closed by the server.
                // (Looked at from 16 s after the last one opened, for up to a minute: a loaded
                // machine runs the timers late.)
                try await Task.sleep(for: .seconds(max(1, 16 - Date().timeIntervalSince(allOpened))))
                var pending = sockets
                while !pending.isEmpty, Date().timeIntervalSince(allOpened) < 60 {
                    pending = pending.filter { !Self.closedByServer($0) }
                    if !pending.isEmpty { try await Task.sleep(for: .seconds(1)) }
                }
                let open = pending.count
                #expect(open == 0, "\(open) of \(sockets.count) connections still open")
                // The server let go of its ends: only the test's own remain (the margin is for
                // the other tests running meanwhile; held ends would double the count).
                #expect(Self.openDescriptors() < baseline + sockets.count + sockets.count / 2, "\(Self.openDescriptors()) descriptors, \(baseline) before \(sockets.count) sockets")
                #expect(try await server.send(.GET, "/health").status == 200)
            }
        }
    }
}
