import Foundation
import NIOCore
import SecoursCore

/// Everything the service can be told, read in one place (README, "Settings").
public struct Settings: Sendable {
    public enum DatabaseLocation: Sendable, Equatable {
        /// An SQLite file (WAL mode).
        case sqlite(path: String)
        /// A PostgreSQL database, as a `postgres://user:password@host:port/name` URL.
        case postgres(url: String)

        /// What the logs say of it: never the password of a URL.
        public var summary: String {
            switch self {
            case let .sqlite(path): return "SQLite \(path)"
            case let .postgres(url):
                guard let c = URLComponents(string: url) else { return "PostgreSQL" }
                return "PostgreSQL \(c.host ?? "?"):\(c.port ?? 5432)\(c.path)"
            }
        }
    }

    public var hostname = "127.0.0.1"
    public var port = 8080
    public var database = DatabaseLocation.sqlite(path: "secours.sqlite")
    /// Fill an empty database with demonstration accounts and print them.
    public var demo = false
    /// `login:password` of a CID account created on start when no CID account exists.
    public var bootstrapAdmin: (login: String, password: String)?
    public var tokenLifetime: TimeInterval = 12 * 3600
    /// A token is renewed without the password (`POST /api/v1/auth/token/refresh`) for at most
    /// this long after the password sign-in.
    public var signInMaxAge: TimeInterval = 7 * 86_400
    /// bcrypt cost; lower only in tests.
    public var bcryptCost = 12
    /// Threads that check passwords (`SECOURS_HASH_THREADS`): half the cores, at least one, so
    /// that a rush of sign-ins leaves the rest of the machine to everything else.
    public var hashThreads = max(1, System.coreCount / 2)
    /// Sign-ins that may wait for those threads (`SECOURS_HASH_QUEUE`); beyond, 503 at once.
    public var hashQueue = 64
    /// Nice value of those threads (`SECOURS_HASH_NICE`, 0–19): higher gives the cores to the
    /// other requests first when they are busy.
    public var hashNice = 10
    /// How often each process reads what changed for the live consoles, in milliseconds.
    public var liveIntervalMilliseconds = 250
    /// How often each process reads the access counter again before trusting what it keeps of
    /// tokens, accounts and rights (`SECOURS_ACCESS_CHECK_MS`, milliseconds); 0 keeps nothing.
    public var accessCheckMilliseconds = 250
    /// R-NUM-9: a manual number registered more than this many numbers beyond the last one used
    /// must be confirmed (`SECOURS_SEQUENCE_JUMP_MAX`).
    public var sequenceJumpThreshold = SequenceJump.defaultThreshold
    /// How long one live stream lasts before the browser connects again (and who may watch is
    /// checked again), in seconds.
    public var liveStreamSeconds = 600
    /// Mark the session cookie `Secure` (behind HTTPS).
    public var secureCookies = false
    public var maxBodySize = 64 * 1024
    /// Largest import file accepted, and most entries in one file.
    public var maxImportSize = 32 * 1024 * 1024
    public var maxImportEntries = 200_000
    /// Failed logins per login name (and per client address) within the window before refusing.
    public var loginMaxFailures = 5
    public var loginMaxFailuresPerAddress = 100
    /// A connection that neither sends nor receives anything for this long is closed (R-NF-3).
    public var idleTimeout: TimeInterval = 60
    /// Concurrent connections in all (nil: what the process may open, less 256) and per client
    /// address (0: no limit per address) (R-NF-3).
    public var maxConnections: Int?
    public var maxConnectionsPerAddress = 512
    public var loginWindow: TimeInterval = 15 * 60
    /// PostgreSQL connections per event loop.
    public var postgresPoolSize = 4
    /// Where Leaf looks for templates; nil means the ones bundled with the server.
    public var viewsDirectory: String?
    /// Days an active document stays covered without regularisation (R-DOC-5).
    public var inactivationDays = 7
    /// How often the service looks for overdue documents; 0 turns the schedule off (tests).
    public var inactivationInterval: TimeInterval = 300
    /// Log level: trace, debug, info, notice, warning, error, critical.
    public var logLevel = "info"
    /// How log lines are written (`SECOURS_LOG_FORMAT`: text, logfmt or json).
    public var logFormat = LogFormat.text
    /// Where log lines go (tests collect them); standard error by default.
    public var logOutput = LogOutput.standardError
    /// The bearer token that may read `/metrics` (`SECOURS_METRICS_TOKEN`); nil: no `/metrics`.
    public var metricsToken: String?
    /// R-DIAG-2: generating a number needs an open fallback episode or a current alert covering
    /// the excise number's service and mode.
    public var requireEpisode = true
    /// How long the office has to answer an authorisation request before it is granted by silence.
    public var officeAnswerDelay: TimeInterval = 3600
    /// Mail relay for the office's notices (`smtp://host:port`, no authentication); nil: console only.
    public var smtp: (host: String, port: Int)?
    public var smtpFrom = "secours@localhost"
    /// How often pending notices are mailed, in seconds.
    public var mailInterval: TimeInterval = 15
    /// Run migrations on start (the default; several processes on one PostgreSQL database are
    /// started one after the other, or with `secours migrate` first).
    public var autoMigrate = true
    /// The service's private seal key, base64 (`SECOURS_SEAL_KEY`, for containers); never logged.
    public var sealKey: SealKeySecret?
    /// A file holding it, base64, readable by its owner alone (`SECOURS_SEAL_KEY_FILE`). With
    /// neither, an SQLite service keeps its key in `<database>.seal-key`; PostgreSQL refuses to start.
    public var sealKeyFile: String?
    /// Former service keys (public), still trusted for what they sealed (`SECOURS_SEAL_PREVIOUS_KEYS`).
    public var sealPreviousKeys: [SealPreviousKey] = []
    /// The service's address as people type it (`SECOURS_PUBLIC_URL`), printed under the seal;
    /// nil: the host the request named.
    public var publicURL: String?

    public init() {}

    /// Reads `DATABASE_URL` and the `SECOURS_*` variables; unknown values are errors, not
    /// silently ignored.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> Settings {
        var s = Settings()
        if let url = env["DATABASE_URL"], !url.isEmpty { s.database = try parseDatabase(url) }
        if let v = env["SECOURS_HOSTNAME"], !v.isEmpty { s.hostname = v }
        if let v = env["SECOURS_PORT"], !v.isEmpty { s.port = try int(v, "SECOURS_PORT", 1...65535) }
        if let v = env["SECOURS_BOOTSTRAP_ADMIN"], !v.isEmpty {
            guard let colon = v.firstIndex(of: ":"), colon != v.startIndex, v.index(after: colon) != v.endIndex else {
                throw SettingsError(Messages.Settings.bootstrapAdminForm)
            }
            s.bootstrapAdmin = (String(v[..<colon]), String(v[v.index(after: colon)...]))
        }
        if let v = env["SECOURS_TOKEN_TTL_HOURS"], !v.isEmpty {
            s.tokenLifetime = TimeInterval(try int(v, "SECOURS_TOKEN_TTL_HOURS", 1...720)) * 3600
        }
        if let v = env["SECOURS_SIGN_IN_MAX_DAYS"], !v.isEmpty {
            s.signInMaxAge = TimeInterval(try int(v, "SECOURS_SIGN_IN_MAX_DAYS", 1...90)) * 86_400
        }
        if let v = env["SECOURS_BCRYPT_COST"], !v.isEmpty { s.bcryptCost = try int(v, "SECOURS_BCRYPT_COST", 4...31) }
        if let v = env["SECOURS_HASH_THREADS"], !v.isEmpty { s.hashThreads = try int(v, "SECOURS_HASH_THREADS", 1...256) }
        if let v = env["SECOURS_HASH_NICE"], !v.isEmpty { s.hashNice = try int(v, "SECOURS_HASH_NICE", 0...19) }
        if let v = env["SECOURS_HASH_QUEUE"], !v.isEmpty { s.hashQueue = try int(v, "SECOURS_HASH_QUEUE", 0...100_000) }
        if let v = env["SECOURS_LIVE_INTERVAL_MS"], !v.isEmpty { s.liveIntervalMilliseconds = try int(v, "SECOURS_LIVE_INTERVAL_MS", 20...10_000) }
        if let v = env["SECOURS_ACCESS_CHECK_MS"], !v.isEmpty { s.accessCheckMilliseconds = try int(v, "SECOURS_ACCESS_CHECK_MS", 0...10_000) }
        if let v = env["SECOURS_SEQUENCE_JUMP_MAX"], !v.isEmpty {
            s.sequenceJumpThreshold = try int(v, "SECOURS_SEQUENCE_JUMP_MAX", SequenceJump.thresholds.lowerBound...SequenceJump.thresholds.upperBound)
        }
        if let v = env["SECOURS_LIVE_STREAM_S"], !v.isEmpty { s.liveStreamSeconds = try int(v, "SECOURS_LIVE_STREAM_S", 1...86_400) }
        if let v = env["SECOURS_SECURE_COOKIES"], !v.isEmpty { s.secureCookies = try bool(v, "SECOURS_SECURE_COOKIES") }
        if let v = env["SECOURS_MAX_BODY_KB"], !v.isEmpty { s.maxBodySize = try int(v, "SECOURS_MAX_BODY_KB", 1...1_048_576) * 1024 }
        if let v = env["SECOURS_MAX_IMPORT_MB"], !v.isEmpty { s.maxImportSize = try int(v, "SECOURS_MAX_IMPORT_MB", 1...1024) * 1024 * 1024 }
        if let v = env["SECOURS_LOGIN_MAX_FAILURES"], !v.isEmpty { s.loginMaxFailures = try int(v, "SECOURS_LOGIN_MAX_FAILURES", 1...1000) }
        if let v = env["SECOURS_IDLE_TIMEOUT_SECONDS"], !v.isEmpty { s.idleTimeout = TimeInterval(try int(v, "SECOURS_IDLE_TIMEOUT_SECONDS", 1...3600)) }
        if let v = env["SECOURS_MAX_CONNECTIONS"], !v.isEmpty { s.maxConnections = try int(v, "SECOURS_MAX_CONNECTIONS", 1...1_000_000) }
        if let v = env["SECOURS_MAX_CONNECTIONS_PER_ADDRESS"], !v.isEmpty {
            s.maxConnectionsPerAddress = try int(v, "SECOURS_MAX_CONNECTIONS_PER_ADDRESS", 0...1_000_000)
        }
        if let v = env["SECOURS_LOGIN_MAX_FAILURES_PER_ADDRESS"], !v.isEmpty {
            s.loginMaxFailuresPerAddress = try int(v, "SECOURS_LOGIN_MAX_FAILURES_PER_ADDRESS", 1...100_000)
        }
        if let v = env["SECOURS_INACTIVATION_DAYS"], !v.isEmpty { s.inactivationDays = try int(v, "SECOURS_INACTIVATION_DAYS", 1...365) }
        if let v = env["SECOURS_INACTIVATION_INTERVAL_SECONDS"], !v.isEmpty {
            s.inactivationInterval = TimeInterval(try int(v, "SECOURS_INACTIVATION_INTERVAL_SECONDS", 0...86_400))
        }
        if let v = env["SECOURS_LOG_LEVEL"], !v.isEmpty {
            guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(v.lowercased()) else {
                throw SettingsError(Messages.Settings.logLevel(v))
            }
            s.logLevel = v.lowercased()
        }
        if let v = env["SECOURS_LOG_FORMAT"], !v.isEmpty {
            guard let format = LogFormat(rawValue: v.lowercased()) else {
                throw SettingsError(Messages.Settings.logFormat(v))
            }
            s.logFormat = format
        }
        if let v = env["SECOURS_METRICS_TOKEN"], !v.isEmpty {
            guard v.count >= 16, v.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
                throw SettingsError(Messages.Settings.metricsToken)
            }
            s.metricsToken = v
        }
        if let v = env["SECOURS_SMTP_URL"], !v.isEmpty {
            guard let url = URL(string: v), url.scheme == "smtp", let host = url.host, !host.isEmpty else {
                throw SettingsError(Messages.Settings.smtpURL(v))
            }
            s.smtp = (host, url.port ?? 25)
        }
        if let v = env["SECOURS_SMTP_FROM"], !v.isEmpty {
            guard v.contains("@"), !v.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "<" || $0 == ">" || $0 == " " }) else {
                throw SettingsError(Messages.Settings.smtpFrom(v))
            }
            s.smtpFrom = v
        }
        if let v = env["SECOURS_REQUIRE_EPISODE"], !v.isEmpty { s.requireEpisode = try bool(v, "SECOURS_REQUIRE_EPISODE") }
        if let v = env["SECOURS_SEAL_KEY"], !v.isEmpty { s.sealKey = SealKeySecret(v) }
        if let v = env["SECOURS_SEAL_KEY_FILE"], !v.isEmpty { s.sealKeyFile = v }
        if s.sealKey != nil, s.sealKeyFile != nil {
            throw SettingsError(localized("SECOURS_SEAL_KEY et SECOURS_SEAL_KEY_FILE sont donnés tous deux : gardez-en un seul.",
                                          "Both SECOURS_SEAL_KEY and SECOURS_SEAL_KEY_FILE are set: keep only one."))
        }
        if let v = env["SECOURS_SEAL_PREVIOUS_KEYS"], !v.isEmpty { s.sealPreviousKeys = try SealPreviousKey.parseList(v) }
        if let v = env["SECOURS_PUBLIC_URL"], !v.isEmpty {
            guard let url = URL(string: v), ["http", "https"].contains(url.scheme ?? ""), url.host?.isEmpty == false,
                  v.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
                throw SettingsError(localized("SECOURS_PUBLIC_URL : « \(v) » n'est pas une adresse http(s)://hôte.",
                                              "SECOURS_PUBLIC_URL: “\(v)” is not an http(s)://host address."))
            }
            s.publicURL = v.hasSuffix("/") ? String(v.dropLast()) : v
        }
        if let v = env["SECOURS_PG_POOL_SIZE"], !v.isEmpty { s.postgresPoolSize = try int(v, "SECOURS_PG_POOL_SIZE", 1...100) }
        return s
    }

    /// The blocking threads an SQLite server needs: one per connection of its two pools (one
    /// connection per event loop each), plus four for password hashing and file reads.
    static func sqliteThreads(eventLoops: Int) -> Int { 2 * eventLoops + 4 }

    /// A path or file name means SQLite; `postgres://` or `postgresql://` means PostgreSQL.
    public static func parseDatabase(_ text: String) throws -> DatabaseLocation {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            guard URL(string: text)?.host != nil else { throw SettingsError(Messages.Settings.invalidPostgresURL(text)) }
            return .postgres(url: text)
        }
        if text.contains("://") { throw SettingsError(Messages.Settings.unsupportedDatabase(text)) }
        return .sqlite(path: text)
    }

    private static func int(_ v: String, _ name: String, _ range: ClosedRange<Int>) throws -> Int {
        guard let n = Int(v), range.contains(n) else {
            throw SettingsError(Messages.Settings.notAnInteger(name, from: range.lowerBound, to: range.upperBound, read: v))
        }
        return n
    }

    private static func bool(_ v: String, _ name: String) throws -> Bool {
        switch v.lowercased() {
        case "1", "true", "yes", "oui": return true
        case "0", "false", "no", "non": return false
        default: throw SettingsError(Messages.Settings.notABoolean(name, read: v))
        }
    }
}

public struct SettingsError: Error, CustomStringConvertible {
    public let description: String
    init(_ d: String) { description = d }
}
