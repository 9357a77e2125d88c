import Foundation
import SecoursCore

/// The toolkit's French texts that are not errors (errors: `ToolkitError`).
enum ToolkitText {
    static func syncLabel(_ state: ToolkitSync.EntryState) -> String {
        switch state {
        case .pending: "non envoyé"
        case .registered: "enregistré au service"
        case .waiting: "en attente du départ"
        case .conflict: "en conflit"
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

    /// What this laptop holds on one excise number: `séquences 2026 : 4–20, 61–63 (20 restants) ; LRN : 1–10 (10 restants)`.
    static func reserve(_ blocks: [Journal.Block]) -> String {
        guard !blocks.isEmpty else { return "pas de réserve sur ce poste" }
        let groups = Dictionary(grouping: blocks) { $0.kind == .lrn ? "LRN" : "séquences \($0.year ?? 0)" }
        return "réserve de ce poste : " + groups.sorted { $0.key > $1.key }.map { name, list in
            let ranges = ToolkitLease.text(ToolkitLease.merged(list.map { $0.first...$0.last }))
            let left = list.reduce(0) { $0 + $1.remaining }
            return "\(name) \(ranges) (\(left) restant\(left > 1 ? "s" : ""))"
        }.joined(separator: ", ")
    }

    /// A segment the service closed: given back, used up, or kept.
    static func released(_ r: ToolkitReservation) -> String {
        let what = "\(r.exciseNumber) \(r.kind == .lrn ? "LRN" : "séquences \(r.year ?? 0)") \(r.first)–\(r.last)"
        switch r.ended {
        case .used?:
            return "Réserve utilisée en entier : \(what)."
        default:
            let holes = (r.unused ?? "").isEmpty ? "aucun trou" : "non utilisés et laissés en trou (expliqué au bureau) : \(r.unused!)"
            return "Réserve rendue \(what) : \(r.used ?? 0) utilisé(s), \(r.returned ?? 0) rendu(s) à la séquence, \(holes)."
        }
    }

    static func frozenLeaseLeft(_ device: String) -> String {
        """
        Session fermée sur ce poste (« \(device) ») ; sa réserve reste gelée au service : ses numéros ne seront donnés à personne. \
        « secours login » donne à ce poste une nouvelle réserve, à lui seul. Réglez avec votre bureau les numéros en conflit (« secours journal »).
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
