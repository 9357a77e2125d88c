import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SecoursCore

/// The service's own commands: `serve`, `migrate` and `bench-fill`. The `secours-server`
/// executable runs them; `secours serve|migrate|bench-fill` hands over to it, so that the offline
/// toolkit in `secours` does not carry the web service (its start-up time would be the service's).
public struct SecoursServerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "secours",
        abstract: "Secours – le service web et l'API.",
        version: SecoursVersion.current,
        subcommands: [Serve.self, Migrate.self, BenchFill.self, BenchRushFill.self]
    )

    public init() {}
}

/// Options shared by the commands that open the database.
struct DatabaseOptions: ParsableArguments {
    @ArgumentParser.Option(name: .long, help: "Fichier SQLite ou URL postgres://… (sinon DATABASE_URL, sinon secours.sqlite).")
    var database: String?

    func apply(to settings: inout Settings) throws {
        if let database { settings.database = try Settings.parseDatabase(database) }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Démarre le service web et l'API.")

    @ArgumentParser.Option(name: .long, help: "Adresse d'écoute (défaut 127.0.0.1).") var hostname: String?
    @ArgumentParser.Option(name: .long, help: "Port d'écoute (défaut 8080).") var port: Int?
    @OptionGroup var db: DatabaseOptions
    @ArgumentParser.Flag(name: .long, help: "Remplit une base vide avec des données de démonstration et affiche les comptes.") var demo = false

    func run() async throws {
        var settings = try Settings.fromEnvironment()
        if let hostname { settings.hostname = hostname }
        if let port {
            guard (1...65535).contains(port) else { throw ValidationError("Le port doit être compris entre 1 et 65535.") }
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
        abstract: "Applique les migrations de la base puis s'arrête (un serveur le fait aussi à son démarrage ; plusieurs démarrages simultanés s'attendent).")

    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        var settings = try Settings.fromEnvironment()
        try db.apply(to: &settings)
        let app = try await makeApplication(settings)
        try await app.asyncShutdown()
        print("Base à jour.")
    }
}

/// Used by scripts/bench-search only: fills an empty database with generated documents.
struct BenchFill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-fill", abstract: "Remplit une base vide pour la mesure des recherches.",
                                                    shouldDisplay: false)

    @OptionGroup var db: DatabaseOptions
    @ArgumentParser.Option(help: "Nombre de documents.") var documents = 1_000_000
    @ArgumentParser.Option(help: "Nombre de numéros d'accise.") var exciseNumbers = 2_000
    @ArgumentParser.Option(help: "Mot de passe du compte bench.operator.") var password = "cuve-inox-2026"

    func run() async throws {
        var settings = try Settings.fromEnvironment()
        try db.apply(to: &settings)
        try await fillBenchmarkDatabase(settings, documents: documents, exciseCount: exciseNumbers, password: password)
    }
}

struct BenchRushFill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-rush-fill", abstract: "Remplit une base vide pour la mesure d'une panne nationale.",
                                                    shouldDisplay: false)

    @OptionGroup var db: DatabaseOptions
    @ArgumentParser.Option(help: "Nombre d'opérateurs (un numéro d'accise chacun).") var operators = 30_000
    @ArgumentParser.Option(help: "Nombre de bureaux (un agent chacun).") var offices = 200
    @ArgumentParser.Option(help: "Part des opérateurs déjà connectés (0 à 1).") var signedIn = 0.9
    @ArgumentParser.Option(help: "Mot de passe de tous les comptes.") var password = "cuve-inox-2026"
    @ArgumentParser.Option(help: "Fichier des comptes écrit pour le banc de mesure.") var fixture: String

    func run() async throws {
        guard (0...1).contains(signedIn), operators > 0, offices > 0 else { throw ValidationError("--signed-in entre 0 et 1, --operators et --offices positifs") }
        var settings = try Settings.fromEnvironment()
        try db.apply(to: &settings)
        try await fillRushDatabase(settings, operators: operators, offices: offices, signedIn: signedIn, password: password, fixture: fixture)
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
