import Foundation

/// The toolkit's French texts that are not errors (errors: `ToolkitError`).
enum ToolkitText {
    static func syncLabel(_ state: String) -> String {
        switch state {
        case "pending": "non envoyé"
        case "registered": "enregistré au service"
        case "conflict": "en conflit"
        default: state
        }
    }

    static func collisionWarning(serverLast: Int, localLast: Int, year: Int, syncedAt: Date?) -> String {
        let since = syncedAt.map { "synchronisation du \(Toolkit.french($0))" } ?? "dernière synchronisation"
        return """
            ce numéro suit le dernier connu (séquence \(year) : \(serverLast) au service lors de la \(since), \(localLast) sur ce poste). \
            Les réservations de numéros par poste n'existent pas encore : un numéro émis depuis par un autre poste ou par le service \
            peut être le même. Vérifiez avec votre bureau en le lui communiquant.
            """
    }

    static let defaultOutageReason = "Services en ligne inaccessibles depuis ce poste (réseau ou service indisponible)"

    static let noOutageHint = "Conseil : notez le début de la coupure et vos tentatives de joindre le bureau (« secours outage start --reason … », « secours outage attempt … »)."

    static let pushNotBuilt = """
        L'envoi du journal au service n'existe pas encore : au retour du réseau, enregistrez ces numéros a posteriori \
        sur le site (« Enregistrer ») ou par l'API ; le journal les garde.
        """
}
