import Fluent
import FluentPostgresDriver
import Foundation
import Vapor
@testable import SecoursServer

/// The `secours` executable the build made, beside the test bundle.
let secoursExecutable: String = {
    var candidates: [URL] = []
    if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
        candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("secours"))
    }
    candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("secours"))
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    candidates.append(root.appendingPathComponent(".build/debug/secours"))
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }?.path ?? candidates.last!.path
}()

struct Run: Sendable {
    let status: Int32
    let out: String
    let err: String
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(out.utf8))) as? [String: Any] ?? [:] }
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var errorMessage: String? { (json["error"] as? [String: Any])?["message"] as? String }
}

/// Runs `secours ARGS` as its own process, with `SECOURS_HOME` set to `home` and nothing else
/// of the toolkit's environment inherited.
@discardableResult
func secours(_ args: [String], home: ScratchHome, env: [String: String] = [:], cwd: String? = nil) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: secoursExecutable)
    process.arguments = args
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SECOURS_") && $0.key != "XDG_DATA_HOME" }
    environment["SECOURS_HOME"] = home.path
    // A loaded test machine can take longer than a person would wait; a request cut short would
    // leave the test server to shut down under it.
    environment["SECOURS_TIMEOUT_SECONDS"] = "600"
    for (k, v) in env { environment[k] = v }
    process.environment = environment
    process.currentDirectoryURL = URL(fileURLWithPath: cwd ?? FileManager.default.temporaryDirectory.path)
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self), err: String(decoding: errData, as: UTF8.self))
}

enum ServerDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    static let postgresAdminURL = ProcessInfo.processInfo.environment["SECOURS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let available: [ServerDatabase] = postgresAdminURL == nil ? [.sqlite] : [.sqlite, .postgres]
    var testDescription: String { rawValue }
}

import Testing

/// The real service with its demo data, serving on a free port of 127.0.0.1 for the time of `body`.
func withServer(_ kind: ServerDatabase, configure: (inout Settings) -> Void = { _ in },
                _ body: (_ base: String, _ app: Application) async throws -> Void) async throws {
    let service = try await ToolkitService(kind, configure: configure)
    do {
        let app = try await service.start()
        try await body(service.base, app)
    } catch {
        await service.destroy()
        throw error
    }
    await service.destroy()
}

/// The real service on its own database, which can be stopped (the network is gone) and started
/// again on the same address and database (the network is back).
final class ToolkitService: @unchecked Sendable {
    let settings: Settings
    private let cleanup: () async -> Void
    private(set) var app: Application?
    private var port = 0
    var base: String { "http://127.0.0.1:\(port)" }

    init(_ kind: ServerDatabase, configure: (inout Settings) -> Void = { _ in }) async throws {
        var settings = Settings()
        settings.bcryptCost = 4
        settings.logLevel = "warning"
        settings.demo = true
        settings.inactivationInterval = 0
        settings.requireEpisode = false
        // On a loaded machine a sign-in can wait longer than the default idle timeout; cutting it
        // would fail the test for the machine's sake, and leave the server to shut down under it.
        settings.idleTimeout = 600
        switch kind {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("secours-cli-\(UUID().uuidString).sqlite").path
            settings.database = .sqlite(path: path)
            cleanup = { for s in ["", "-wal", "-shm", ".startup-lock", ".seal-key"] { try? FileManager.default.removeItem(atPath: path + s) } }
        case .postgres:
            let admin = ServerDatabase.postgresAdminURL!
            var parts = URLComponents(string: admin)!
            let name = "c_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try await postgresAdmin(admin, "CREATE DATABASE \(name)")
            parts.path = "/" + name
            settings.database = .postgres(url: parts.string!)
            settings.sealKey = SealKeySecret("nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=")
            cleanup = { try? await postgresAdmin(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        }
        configure(&settings)
        self.settings = settings
    }

    /// Starts the service: on a free port the first time, on the same one afterwards.
    @discardableResult
    func start() async throws -> Application {
        let app = try await makeApplication(settings, environment: .testing)
        do {
            try await app.asyncBoot()
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            port = app.http.server.shared.localAddress!.port!
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        self.app = app
        return app
    }

    func stop() async {
        guard let app else { return }
        await app.server.shutdown()
        try? await app.asyncShutdown()
        self.app = nil
    }

    func destroy() async {
        await stop()
        await cleanup()
    }
}

private func postgresAdmin(_ url: String, _ statement: String) async throws {
    let app = try await Application.make(.testing)
    do {
        app.databases.use(.postgres(configuration: try SQLPostgresConfiguration(url: url)), as: .psql)
        try await (app.db as! any SQLDatabase).raw(SQLQueryString(statement)).run()
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

import AsyncHTTPClient
import NIOCore

/// A bearer token of a demo account, straight from the service.
func tokenFor(_ app: Application, _ login: String) async throws -> String {
    let base = "http://127.0.0.1:\(app.http.server.shared.localAddress!.port!)"
    let answer = try await postJSON(base + "/api/v1/auth/token", token: nil, ["login": login, "password": DemoData.password])
    return try #require(answer["token"] as? String)
}

/// POSTs a JSON body and returns the JSON object answered.
func postJSON(_ url: String, token: String?, _ body: [String: Any]) async throws -> [String: Any] {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    request.headers.add(name: "Connection", value: "close")
    if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
    let data = try await response.body.collect(upTo: 1 << 20)
    return (try? JSONSerialization.jsonObject(with: Data(data.readableBytesView))) as? [String: Any] ?? [:]
}
