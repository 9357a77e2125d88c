import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SecoursCore

/// The service's own commands: `serve` and `migrate`. The `secours-server`
/// executable runs them; `secours serve|migrate` hands over to it, so that the offline
/// toolkit in `secours` does not carry the web service (its start-up time would be the service's).
public struct SecoursServerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "secours",
        abstract: Messages.Settings.serverAbstract,
        version: SecoursVersion.current,
        subcommands: [Serve.self, Migrate.self]
    )

    public init() {}
}

/// Options shared by the commands that open the database.
struct DatabaseOptions: ParsableArguments {
    @ArgumentParser.Option(name: .long, help: ArgumentHelp(Messages.Settings.databaseHelp))
    var database: String?

    func apply(to settings: inout Settings) throws {
        if let database { settings.database = try Settings.parseDatabase(database) }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: Messages.Settings.serveAbstract)

    @ArgumentParser.Option(name: .long, help: ArgumentHelp(Messages.Settings.hostnameHelp)) var hostname: String?
    @ArgumentParser.Option(name: .long, help: ArgumentHelp(Messages.Settings.portHelp)) var port: Int?
    @OptionGroup var db: DatabaseOptions
    @ArgumentParser.Flag(name: .long, help: ArgumentHelp(Messages.Settings.demoHelp)) var demo = false

    func run() async throws {
        var settings = try Settings.fromEnvironment()
        if let hostname { settings.hostname = hostname }
        if let port {
            guard (1...65535).contains(port) else { throw ValidationError(Messages.Settings.portRange) }
            settings.port = port
        }
        try db.apply(to: &settings)
        settings.demo = demo
        try await runServer(settings)
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: Messages.Settings.migrateAbstract)

    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        var settings = try Settings.fromEnvironment()
        try db.apply(to: &settings)
        let app = try await makeApplication(settings)
        try await app.asyncShutdown()
        print(Messages.Settings.migrated)
    }
}

/// glibc gives each busy thread its own malloc arena, and memory freed in one is not reused by
/// another: with the event loops and the thread pool, a large import left the server's resident
/// memory 25–50 % higher than what it used, varying from run to run. Two arenas keep it close
/// to use (measured: 100,000-entry import, peak 285–360 MB → 236 MB, same speed). An explicit
/// `MALLOC_ARENA_MAX` in the environment wins.
public func limitMallocArenas() {
    #if canImport(Glibc)
    // mallopt is not in the Glibc module: found at run time. M_ARENA_MAX is -8 in <malloc.h>.
    guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil, let process = dlopen(nil, RTLD_NOW),
          let symbol = dlsym(process, "mallopt") else { return }
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    _ = unsafeBitCast(symbol, to: Mallopt.self)(-8, 2)
    #endif
}
