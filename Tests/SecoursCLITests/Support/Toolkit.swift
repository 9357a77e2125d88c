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
    var settings = Settings()
    settings.bcryptCost = 4
    settings.logLevel = "warning"
    settings.demo = true
    settings.inactivationInterval = 0
    settings.requireEpisode = false
    // On a loaded machine a sign-in can wait longer than the default idle timeout; cutting it
    // would fail the test for the machine's sake, and leave the server to shut down under it.
    settings.idleTimeout = 600
    var cleanup: () async -> Void = {}
    switch kind {
    case .sqlite:
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secours-cli-\(UUID().uuidString).sqlite").path
        settings.database = .sqlite(path: path)
        cleanup = { for s in ["", "-wal", "-shm", ".startup-lock"] { try? FileManager.default.removeItem(atPath: path + s) } }
    case .postgres:
        let admin = ServerDatabase.postgresAdminURL!
        var parts = URLComponents(string: admin)!
        let name = "c_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await postgresAdmin(admin, "CREATE DATABASE \(name)")
        parts.path = "/" + name
        settings.database = .postgres(url: parts.string!)
        cleanup = { try? await postgresAdmin(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
    }
    configure(&settings)
    let app = try await makeApplication(settings, environment: .testing)
    do {
        try await app.asyncBoot()
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let port = app.http.server.shared.localAddress!.port!
        try await body("http://127.0.0.1:\(port)", app)
    } catch {
        await app.server.shutdown()
        try? await app.asyncShutdown()
        await cleanup()
        throw error
    }
    await app.server.shutdown()
    try await app.asyncShutdown()
    await cleanup()
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
