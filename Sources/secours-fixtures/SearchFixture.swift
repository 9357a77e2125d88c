import ArgumentParser
import Foundation
import SecoursCore
import SecoursFixtures

struct SearchFixture: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Documents variés pour la mesure des recherches.")

    @OptionGroup var db: DatabaseOption
    @Option(help: "Nombre de documents.") var documents = 1_000_000
    @Option(help: "Nombre de numéros d'accise.") var exciseNumbers = 2_000
    @Option(help: "Mot de passe du compte bench.operator.") var password = "cuve-inox-2026"

    func validate() throws {
        guard documents >= 0, exciseNumbers > 0 else { throw ValidationError("--documents positif ou nul, --excise-numbers positif") }
    }

    func run() async throws {
        let set = SearchDataSet(documents: documents, exciseNumbers: exciseNumbers, password: password)
        try await withStore(try db.settings()) { store in try await set.fill(store) }
    }
}
