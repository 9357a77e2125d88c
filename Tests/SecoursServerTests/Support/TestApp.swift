import Fluent
import FluentPostgresDriver
import Foundation
import NIOCore
import SecoursCore
import Testing
import VaporTesting
@testable import SecoursServer

/// The databases every persistence test runs on. PostgreSQL joins when the test command gives
/// `SECOURS_TEST_POSTGRES_URL` (an administrator URL of a throwaway cluster).
enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static let postgresAdminURL = ProcessInfo.processInfo.environment["SECOURS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let available: [TestDatabase] = {
        guard postgresAdminURL != nil else {
            // Said once, on standard error, so that a green run on SQLite alone is not mistaken for the whole suite.
            FileHandle.standardError.write(Data("""
                ⚠︎ SECOURS_TEST_POSTGRES_URL is not set: the persistence tests run on SQLite only, PostgreSQL is SKIPPED.
                  Run scripts/test (it starts a throwaway PostgreSQL cluster) for the whole suite.

                """.utf8))
            return [.sqlite]
        }
        return [.sqlite, .postgres]
    }()

    var testDescription: String { rawValue }
}

/// A fresh, empty database of the given kind, removed afterwards where possible.
struct ScratchDatabase: Sendable {
    let location: Settings.DatabaseLocation
    let cleanup: @Sendable () async -> Void

    static func make(_ kind: TestDatabase) async throws -> ScratchDatabase {
        switch kind {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("secours-test-\(UUID().uuidString).sqlite").path
            return ScratchDatabase(location: .sqlite(path: path)) {
                for suffix in ["", "-wal", "-shm", ".seal-key"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        case .postgres:
            guard let admin = TestDatabase.postgresAdminURL, var parts = URLComponents(string: admin) else {
                throw TestSetupError("SECOURS_TEST_POSTGRES_URL is not set")
            }
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try await PostgresAdmin.run(admin, "CREATE DATABASE \(name)")
            parts.path = "/" + name
            return ScratchDatabase(location: .postgres(url: parts.string!)) {
                try? await PostgresAdmin.run(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            }
        }
    }
}

/// Runs one statement on the cluster's administrative database.
enum PostgresAdmin {
    static func run(_ url: String, _ statement: String) async throws {
        let app = try await Application.make(.testing)
        do {
            app.databases.use(.postgres(configuration: try SQLPostgresConfiguration(url: url)), as: .psql)
            try await (app.db as! SQLDatabase).raw(SQLQueryString(statement)).run()
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// A mutable clock the tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date
    init(_ date: Date) { value = date }
    var now: Date { lock.withLock { value } }
    func set(_ d: Date) { lock.withLock { value = d } }
}

/// The seal key of the tests on PostgreSQL (a throwaway Ed25519 private key, base64).
let testSealKey = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A="

/// 22 November 2026, 10:15 in Paris.
let referenceNow = ISO8601DateFormatter().date(from: "2026-11-22T09:15:00Z")!

/// Builds the production application on a scratch database (with the demo data set unless told
/// otherwise), runs `body`, then shuts it down and removes the database.
func withApp(_ kind: TestDatabase, demo: Bool = true, clock: TestClock = TestClock(referenceNow),
             configure: (inout Settings) -> Void = { _ in },
             _ body: (Application) async throws -> Void) async throws {
    let scratch = try await ScratchDatabase.make(kind)
    var settings = Settings()
    settings.database = scratch.location
    settings.bcryptCost = 4
    // Request logs and the demo accounts at warning: a failure is not buried under them.
    settings.logLevel = "warning"
    settings.demo = demo
    // Tests run the inactivation themselves, with their own clock.
    settings.inactivationInterval = 0
    // The episode rule has tests of its own (EpisodeTests), which turn it on.
    settings.requireEpisode = false
    // The idle timeout counts a request still being answered as idle: on a loaded machine a
    // racing request may wait that long for its lock. ConnectionTests sets its own.
    settings.idleTimeout = 600
    configure(&settings)
    // PostgreSQL starts only with a seal key given (an SQLite database makes its own).
    if case .postgres = settings.database, settings.sealKey == nil, settings.sealKeyFile == nil {
        settings.sealKey = SealKeySecret(testSealKey)
    }
    let app = try await makeApplication(settings, environment: .testing, clock: { clock.now })
    do {
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        await scratch.cleanup()
        throw error
    }
    try await app.asyncShutdown()
    await scratch.cleanup()
}

/// Builds a second application instance on the same database, as a second server process would.
func withSecondInstance(of app: Application, configure: (inout Settings) -> Void = { _ in },
                        _ body: (Application) async throws -> Void) async throws {
    var settings = app.secours.settings
    settings.demo = false
    configure(&settings)
    let other = try await makeApplication(settings, environment: .testing, clock: app.secours.clock)
    do { try await body(other) } catch {
        try? await other.asyncShutdown()
        throw error
    }
    try await other.asyncShutdown()
}

/// A JSON answer: status, headers, and the body parsed as JSON.
struct APIResponse {
    let status: HTTPResponseStatus
    let headers: HTTPHeaders
    let text: String
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
    var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
    var errorMessage: String? { (object["error"] as? [String: Any])?["message"] as? String }
    var errorFields: [String] { ((object["error"] as? [String: Any])?["fields"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? [] }
}

extension Application {
    /// Sends a request to the API; `body` is JSON-encoded from a dictionary, or sent as is when a String.
    func api(_ method: HTTPMethod, _ path: String, token: String? = nil, body: Any? = nil,
             headers extra: [(String, String)] = []) async throws -> APIResponse {
        var headers = HTTPHeaders()
        if let token { headers.add(name: .authorization, value: "Bearer \(token)") }
        var buffer: ByteBuffer?
        if let body {
            let data: Data = body is String ? Data((body as! String).utf8) : try JSONSerialization.data(withJSONObject: body)
            buffer = ByteBuffer(data: data)
            headers.contentType = .json
        }
        for (k, v) in extra { headers.replaceOrAdd(name: k, value: v) }
        let response = try await testing().sendRequest(method, path, headers: headers, body: buffer)
        return APIResponse(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    /// A bearer token for a demo account (all share one password).
    func token(_ login: String, password: String = DemoData.password) async throws -> String {
        let r = try await api(.POST, "/api/v1/auth/token", body: ["login": login, "password": password])
        guard r.status == .ok, let token = r.object["token"] as? String else {
            throw TestSetupError("no token for \(login): \(r.status) \(r.text)")
        }
        return token
    }

    /// Ends the demonstration alert (the demo data opens one so that numbers can be generated),
    /// for tests that start from a clear sky.
    func endDemoAlert() async throws {
        let cid = try await token("cid.admin")
        for a in (try await api(.GET, "/api/v1/alerts")).object["current"] as? [[String: Any]] ?? [] {
            _ = try await api(.POST, "/api/v1/alerts/\(a["reference"] as! String)/end", token: cid)
        }
    }

    /// Generates a number through the API and returns the answer.
    func generate(_ token: String, type: String = "DAE", excise: String = "FR007328E0001", transport: String = "AB-123-CD",
                  date: String = "2026-11-23", time: String = "08:30") async throws -> APIResponse {
        try await api(.POST, "/api/v1/documents", token: token,
                      body: ["type": type, "exciseNumber": excise, "transport": transport, "dispatchDate": date, "dispatchTime": time])
    }
}
