import Foundation
import SecoursCore
#if canImport(Glibc)
import Glibc
private let sysConnect = Glibc.connect
private let sysSend = Glibc.send
private let noSignal = Int32(MSG_NOSIGNAL)
#elseif canImport(Darwin)
import Darwin
private let sysConnect = Darwin.connect
private let sysSend = Darwin.send
private let noSignal: Int32 = 0
#endif

/// A plain SMTP client (RFC 5321) for a relay on the customs network: EHLO, MAIL, RCPT, DATA,
/// QUIT, no TLS or authentication. Blocking: run it off the event loops.
struct SMTPClient {
    let host: String
    let port: Int
    let from: String
    var timeout: TimeInterval = 10

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    struct Message {
        let to: String
        let subject: String
        let body: String
        let date: Date
    }

    func send(_ m: Message) throws {
        let fd = try connect()
        defer { close(fd) }
        var reader = LineReader(fd: fd)
        try expect(&reader, 220)
        try command(fd, "EHLO secours", &reader, 250)
        try command(fd, "MAIL FROM:<\(from)>", &reader, 250)
        try command(fd, "RCPT TO:<\(m.to)>", &reader, 250, 251)
        try command(fd, "DATA", &reader, 354)
        try write(fd, Self.render(m, from: from))
        try expect(&reader, 250)
        try command(fd, "QUIT", &reader, 221)
    }

    /// Headers and body; the subject in RFC 2047 UTF-8, lines dot-stuffed, ended by a lone dot.
    static func render(_ m: Message, from: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let subject = "=?UTF-8?B?" + Data(m.subject.utf8).base64EncodedString() + "?="
        var out = "From: Secours <\(from)>\r\nTo: <\(m.to)>\r\nSubject: \(subject)\r\nDate: \(f.string(from: m.date))\r\n"
        out += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        for line in m.body.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            out += (line.hasPrefix(".") ? "." : "") + line + "\r\n"
        }
        return out + ".\r\n"
    }

    private func connect() throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { throw Failure(description: Messages.SMTP.hostNotFound(host)) }
        defer { freeaddrinfo(list) }
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let a = cursor {
            let fd = socket(a.pointee.ai_family, a.pointee.ai_socktype, a.pointee.ai_protocol)
            if fd >= 0 {
                var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                if sysConnect(fd, a.pointee.ai_addr, a.pointee.ai_addrlen) == 0 { return fd }
                close(fd)
            }
            cursor = a.pointee.ai_next
        }
        throw Failure(description: Messages.SMTP.cannotConnect(host: host, port: port))
    }

    private func write(_ fd: Int32, _ text: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { sysSend(fd, $0.baseAddress, $0.count, noSignal) }
            guard n > 0 else { throw Failure(description: Messages.SMTP.sendInterrupted) }
            bytes = bytes.dropFirst(n)
        }
    }

    private func command(_ fd: Int32, _ line: String, _ reader: inout LineReader, _ codes: Int...) throws {
        try write(fd, line + "\r\n")
        try expect(&reader, codes)
    }

    private func expect(_ reader: inout LineReader, _ codes: Int...) throws { try expect(&reader, codes) }

    /// Reads a reply (its continuation lines too) and checks its code.
    private func expect(_ reader: inout LineReader, _ codes: [Int]) throws {
        while true {
            guard let line = try reader.line() else { throw Failure(description: Messages.SMTP.relayClosed) }
            guard line.count >= 3, let code = Int(line.prefix(3)) else { throw Failure(description: Messages.SMTP.unreadableReply(line)) }
            if line.count > 3, line[line.index(line.startIndex, offsetBy: 3)] == "-" { continue }
            guard codes.contains(code) else { throw Failure(description: Messages.SMTP.relayRefused(line)) }
            return
        }
    }

    struct LineReader {
        let fd: Int32
        var buffer: [UInt8] = []

        mutating func line() throws -> String? {
            while true {
                if let i = buffer.firstIndex(of: 0x0A) {
                    let line = buffer[..<i]
                    buffer.removeSubrange(...i)
                    return String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
                }
                var chunk = [UInt8](repeating: 0, count: 1024)
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n < 0 { throw Failure(description: Messages.SMTP.timedOut) }
                if n == 0 { return nil }
                buffer += chunk[..<n]
            }
        }
    }
}
