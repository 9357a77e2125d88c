import ArgumentParser
import Foundation
import SecoursCore
import SecoursFixtures

struct RushFixture: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rush", abstract: "Opérateurs et bureaux pour la mesure d'une panne nationale.")

    @OptionGroup var db: DatabaseOption
    @Option(help: "Nombre d'opérateurs (un numéro d'accise chacun).") var operators = 30_000
    @Option(help: "Nombre de bureaux (un agent chacun).") var offices = 200
    @Option(help: "Part des opérateurs déjà connectés (0 à 1).") var signedIn = 0.9
    @Option(help: "Mot de passe de tous les comptes.") var password = "cuve-inox-2026"
    @Option(help: "Fichier des comptes écrit pour le banc de mesure.") var fixture: String

    func validate() throws {
        guard (0...1).contains(signedIn), operators > 0, offices > 0 else { throw ValidationError("--signed-in entre 0 et 1, --operators et --offices positifs") }
    }

    func run() async throws {
        let set = RushDataSet(operators: operators, offices: offices, signedIn: signedIn, password: password, fixture: fixture)
        try await withStore(try db.settings()) { store in try await set.fill(store) }
    }
}
