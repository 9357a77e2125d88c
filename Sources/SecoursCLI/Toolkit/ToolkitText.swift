import Foundation

/// The toolkit's French texts that are not errors (errors: `ToolkitError`).
enum ToolkitText {
    static func syncLabel(_ state: String) -> String {
        switch state {
        case "pending": "non envoyé"
        case "registered": "enregistré au service"
        case "waiting": "en attente du départ"
        case "conflict": "en conflit"
        default: state
        }
    }

    /// What a number taken from the device's block, or past it, can be trusted for.
    static func numberWarning(_ a: Journal.Allocation, syncedAt: Date?) -> String {
        if let b = a.block {
            return """
                numéro pris dans la réserve de ce poste (séquences \(b.first) à \(b.last) de \(a.entry.year), \(b.remaining - 1) restante(s)) : \
                ni le service ni un autre poste ne peut le donner.
                """
        }
        let since = syncedAt.map { "synchronisation du \(Toolkit.french($0))" } ?? "dernière synchronisation"
        let why = a.hadBlocks ? "La réserve de numéros de ce poste est épuisée" : "Ce poste n'a pas de réserve de numéros pour ce numéro d'accise et cette année"
        return """
            \(why) : ce numéro suit le dernier connu (séquence \(a.entry.year) : \(a.serverLast) au service lors de la \(since), \
            \(a.localLast) sur ce poste) et PEUT ÊTRE LE MÊME qu'un numéro émis depuis par un autre poste ou par le service. \
            Vérifiez avec votre bureau en le lui communiquant ; à la prochaine synchronisation, « secours sync » réserve de nouveaux numéros.
            """
    }

    static let defaultOutageReason = "Services en ligne inaccessibles depuis ce poste (réseau ou service indisponible)"

    static let noOutageHint = "Conseil : notez le début de la coupure et vos tentatives de joindre le bureau (« secours outage start --reason … », « secours outage attempt … »)."

    static let pushHint = "Au retour du réseau, « secours sync » enregistre le journal au service (enregistrement a posteriori, communications, coupure)."

    static let conflictHint = """
        Une entrée en conflit n'a pas été enregistrée : le service en donne la raison ci-dessus (numéro déjà connu avec d'autres \
        données, séquence prise ou réservée par un autre poste). Ne réutilisez pas ce numéro ; appelez votre bureau avec cette \
        raison : il décide de l'annuler ou de l'enregistrer. Le journal garde l'entrée.
        """
}
