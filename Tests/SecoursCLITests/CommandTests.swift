import Foundation
import Testing
@testable import SecoursCLI

@Suite("secours command line")
struct CommandTests {
    @Test func verifyParsesItsArgument() throws {
        let command = try SecoursCommand.parseAsRoot(["verify", "16GB00000000000192223"])
        #expect((command as? Verify)?.number == "16GB00000000000192223")
    }

    @Test func serviceCommandsAreHandedOverWithTheirArguments() throws {
        #expect(ServerHandOver.commands == ["serve", "migrate"])
        let command = try SecoursCommand.parseAsRoot(["serve", "--port", "9090", "--demo"])
        #expect((command as? ServerHandOver.Serve)?.arguments == ["--port", "9090", "--demo"])
        // Built beside `secours` (the test bundle lives in the same folder).
        #expect(ServerHandOver.serverExecutable().hasSuffix("/secours-server"))
    }

    /// The real executables: `secours migrate` runs `secours-server migrate` with its arguments and
    /// its exit status; an unknown option of the service is the service's clear error.
    @Test func secoursMigrateRunsTheServiceBesideIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("secours-handover-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("base.sqlite").path

        func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: secoursExecutable)
            process.arguments = arguments
            var environment = ProcessInfo.processInfo.environment
            environment["DATABASE_URL"] = nil
            environment["SECOURS_LOG_LEVEL"] = "error"
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }

        let migrated = try run(["migrate", "--database", database])
        #expect(migrated.status == 0, "\(migrated.output)")
        #expect(migrated.output.contains("Base à jour."))
        #expect(FileManager.default.fileExists(atPath: database))

        let refused = try run(["serve", "--port", "huit"])
        #expect(refused.status != 0)
        #expect(refused.output.contains("huit"))
    }
}
