import ArgumentParser
import Foundation
import SecoursCore
import SecoursServer

/// `secours-fixtures`: fills an empty database with the data sets the benchmarks measure
/// (scripts/bench-search, bench-signin, bench-rush). Not part of the service: it writes through
/// the service's `FixtureStore`, so the rows are those the service itself would write.
@main
struct FixturesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secours-fixtures",
        abstract: "Remplit une base vide pour les bancs de mesure (scripts/bench-*).",
        subcommands: [SearchFixture.self, RushFixture.self])
}

struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: "Fichier SQLite ou URL postgres://… (sinon DATABASE_URL, sinon secours.sqlite).")
    var database: String?

    func settings() throws -> Settings {
        var settings = try Settings.fromEnvironment()
        if let database { settings.database = try Settings.parseDatabase(database) }
        return settings
    }
}

/// Opens the store, runs `body`, closes it whatever happens.
func withStore(_ settings: Settings, _ body: (FixtureStore) async throws -> Void) async throws {
    let store = try await FixtureStore.open(settings)
    do { try await body(store) } catch {
        try? await store.close()
        throw error
    }
    try await store.close()
}
