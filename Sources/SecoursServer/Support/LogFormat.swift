#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging

/// How log lines are written (`SECOURS_LOG_FORMAT`): `text` for a person at a terminal (the
/// default), `logfmt` (`key=value`) or `json` (one object per line) for a log collector.
public enum LogFormat: String, Sendable, CaseIterable {
    case text, logfmt, json
}

/// Where the lines go: standard error by default; tests collect them.
public struct LogOutput: Sendable {
    let write: @Sendable (String) -> Void

    public init(_ write: @escaping @Sendable (String) -> Void) { self.write = write }

    /// One `write` per line, so lines of concurrent requests never interleave.
    public static let standardError = LogOutput { line in
        var line = line
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }
}

/// The service's log handler: one line per event, in the chosen format, with the logger's
/// metadata (the request id among it) and the event's own.
public struct SecoursLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let format: LogFormat
    let output: LogOutput

    public init(label: String, format: LogFormat, level: Logger.Level, output: LogOutput = .standardError) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let explicit = event.metadata { all.merge(explicit) { _, new in new } }
        if let error = event.error { all["error"] = .string(String(describing: error)) }
        output.write(Self.line(time: Date(), level: event.level, message: event.message.description, label: label, metadata: all, format: format))
    }

    /// The line for one event, newline included.
    static func line(time: Date, level: Logger.Level, message: String, label: String, metadata: Logger.Metadata, format: LogFormat) -> String {
        let stamp = timestamp(time)
        let keys = metadata.keys.sorted()
        switch format {
        case .text:
            var out = "\(stamp) \(level) \(message)"
            if !keys.isEmpty { out += " [" + keys.map { "\($0)=\(flat(metadata[$0]!))" }.joined(separator: " ") + "]" }
            return out + "\n"
        case .logfmt:
            var out = "time=\(stamp) level=\(level) msg=\(logfmtValue(message))"
            for key in keys { out += " \(logfmtKey(key))=\(logfmtValue(flat(metadata[key]!)))" }
            return out + "\n"
        case .json:
            var out = "{\"time\":\(jsonString(stamp)),\"level\":\(jsonString(level.rawValue)),\"msg\":\(jsonString(message)),\"logger\":\(jsonString(label))"
            for key in keys where !["time", "level", "msg", "logger"].contains(key) {
                out += ",\(jsonString(key)):\(json(metadata[key]!))"
            }
            return out + "}\n"
        }
    }

    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        let millis = Int((date.timeIntervalSince1970 - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), millis)
    }

    static func flat(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case let .string(s): return s
        case let .stringConvertible(c): return c.description
        case let .array(a): return "[" + a.map(flat).joined(separator: ",") + "]"
        case let .dictionary(d): return "{" + d.keys.sorted().map { "\($0)=\(flat(d[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case let .string(s): return jsonString(s)
        case let .stringConvertible(c):
            // Numbers stay numbers, so that a collector can sum and compare them.
            if c is any BinaryInteger || c is Double { return c.description }
            return jsonString(c.description)
        case let .array(a): return "[" + a.map(json).joined(separator: ",") + "]"
        case let .dictionary(d): return "{" + d.keys.sorted().map { "\(jsonString($0)):\(json(d[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func logfmtKey(_ key: String) -> String {
        String(key.unicodeScalars.map { scalar -> Character in
            scalar == "=" || scalar == " " || scalar == "\"" || scalar.value < 0x21 ? "_" : Character(scalar)
        })
    }

    /// Bare when it holds no space, quote, equals sign or control character; quoted and escaped otherwise.
    static func logfmtValue(_ s: String) -> String {
        let needsQuotes = s.isEmpty || s.unicodeScalars.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "\\" || $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
        return needsQuotes ? jsonString(s) : s
    }
}
