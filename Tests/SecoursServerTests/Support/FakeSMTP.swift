import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A mail relay for tests: accepts SMTP sessions on a free local port, one at a time, and keeps
/// what it receives. `refuseRecipients` makes it answer 550 to RCPT.
final class FakeSMTP: @unchecked Sendable {
    struct Mail { let from: String; let to: String; let data: String }

    private let lock = NSLock()
    private var _mails: [Mail] = []
    var mails: [Mail] { lock.withLock { _mails } }
    let port: Int
    private let fd: Int32
    private var _refuse = false
    var refuseRecipients: Bool {
        get { lock.withLock { _refuse } }
        set { lock.withLock { _refuse = newValue } }
    }

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard bound == 0, listen(fd, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        self.fd = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    func stop() { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }

    private func serve() {
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 { return }
            session(c)
            close(c)
        }
    }

    private func session(_ c: Int32) {
        func say(_ s: String) { _ = (s + "\r\n").withCString { send(c, $0, strlen($0), Int32(MSG_NOSIGNAL)) } }
        var buffer: [UInt8] = []
        func line() -> String? {
            while true {
                if let i = buffer.firstIndex(of: 0x0A) {
                    let l = String(decoding: buffer[..<i], as: UTF8.self).trimmingCharacters(in: .newlines)
                    buffer.removeSubrange(...i)
                    return l
                }
                var chunk = [UInt8](repeating: 0, count: 1024)
                let n = recv(c, &chunk, 1024, 0)
                if n <= 0 { return nil }
                buffer += chunk[..<n]
            }
        }
        say("220 fake ESMTP")
        var from = "", to = ""
        while let l = line() {
            let upper = l.uppercased()
            if upper.hasPrefix("EHLO") { say("250-fake"); say("250 8BITMIME") }
            else if upper.hasPrefix("MAIL FROM:") { from = String(l.dropFirst(10)); say("250 ok") }
            else if upper.hasPrefix("RCPT TO:") {
                if refuseRecipients { say("550 no such user") } else { to = String(l.dropFirst(8)); say("250 ok") }
            } else if upper == "DATA" {
                say("354 go on")
                var data: [String] = []
                while let d = line(), d != "." { data.append(d) }
                lock.withLock { _mails.append(Mail(from: from, to: to, data: data.joined(separator: "\n"))) }
                say("250 queued")
            } else if upper == "QUIT" { say("221 bye"); return }
            else { say("500 what") }
        }
    }
}
