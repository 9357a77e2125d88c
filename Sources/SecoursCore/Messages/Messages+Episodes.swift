import Foundation

extension Messages {
    /// Fallback episodes and assistance requests: their errors, evidence lines and office notices.
    public enum Episodes {
        // Errors
        public static func notCovered(exciseNumber: String, mode: String) -> String {
            "Aucune alerte en cours ni épisode de secours ouvert ne couvre GAMMA en mode \(mode) pour \(exciseNumber) : "
                + "faites le diagnostic (« Je diagnostique ma panne ») et, selon sa conclusion, demandez l'autorisation à votre bureau "
                + "ou enregistrez le diagnostic du SAU."
        }
        public static func noCoveringAlert(reference: String, service: String, mode: String) -> String {
            "Aucune alerte en cours « \(reference) » ne couvre \(service) en mode \(mode)."
        }
        public static func alreadyActive(_ status: EpisodeStatus, exciseNumber: String, service: String, since: Date) -> String {
            "Un épisode de secours est déjà \(status.label.lowercased()) pour \(exciseNumber) (\(service)) depuis le "
                + "\(ParisCalendar.french(since)) : suivez-le dans « Épisodes de secours »."
        }
        public static func activeBeforeAssistance(exciseNumber: String, service: String) -> String {
            "Un épisode de secours est déjà demandé ou ouvert pour \(exciseNumber) (\(service)) : closez-le d'abord."
        }
        public static func notPending(_ status: EpisodeStatus, bySilence: Bool) -> String {
            "Cette demande n'attend plus de réponse (\(status.label.lowercased())\(bySilence ? ", faute de réponse dans le délai" : ""))."
        }
        public static let justAnswered = "Cette demande vient d'être traitée."
        public static func over(_ status: EpisodeStatus) -> String { "Cet épisode est déjà \(status.label.lowercased())." }
        public static let decisionRequired = "Décision requise : authorise ou refuse."
        public static func unknownStatus(_ value: String) -> String {
            "Statut « \(value) » inconnu (\(EpisodeStatus.allCases.map(\.rawValue).joined(separator: ", ")))."
        }
        public static let episodeWhat = "Épisode"
        public static let listTitle = "Épisodes de secours"
        public static let pageTitle = "Épisode de secours"

        // Evidence lines
        public static let openedBySilence = "Aucune réponse du bureau dans le délai : l'opérateur est autorisé à utiliser la procédure de secours."
        public static func declared(basis: EpisodeBasis, reference: String?, reason: String) -> String {
            basis.label + (reference.map { " — référence \($0)" } ?? "") + (reason.isEmpty ? "" : " — \(reason)")
        }
        public static func silenceGrants(at deadline: Date) -> String {
            " — sans réponse avant le \(ParisCalendar.french(deadline)), l'opérateur est autorisé."
        }
        public static let authorised = "Autorisé."
        public static let ended = "Fin de l'indisponibilité."

        // Notices to the office
        public static func authorisationAsked(exciseNumber: String, service: String, reason: String) -> String {
            "Demande d'autorisation pour \(exciseNumber) (\(service)) : réponse attendue dans l'heure. \(reason)"
        }
        public static func declaredNotice(exciseNumber: String, service: String, details: String) -> String {
            "Épisode de secours déclaré pour \(exciseNumber) (\(service)) : \(details)"
        }
    }

    /// Self-triggering assistance requests (R-DIAG-3).
    public enum Assistance {
        public static func alreadyOpen(service: String, reference: String) -> String {
            "Une demande d'assistance est déjà ouverte pour \(service) (\(reference)) : une seule par service en ligne."
        }
        public static func alreadyClosed(_ reference: String) -> String { "La demande \(reference) est déjà close." }
        public static let what = "Demande d'assistance"
        public static let pageTitle = "Demande d'assistance – auto-déclenchement"

        public static func opened(_ v: AssistanceRequest.Valid, reference: String) -> String {
            "Demande d'assistance \(reference) — « \(AssistanceRequest.mention) » — \(v.service.label), passage en alerte le "
                + "\(ParisCalendar.french(v.switchedAt)) ; EORI \(v.eori), \(v.companyName), \(v.address), tél. \(v.phone). Raisons : \(v.reasons)"
        }
        public static func selfTriggerNotice(companyName: String, service: String, reference: String) -> String {
            "\(companyName) auto-déclenche la procédure de secours pour \(service) (demande \(reference))."
        }
        public static func closed(_ reference: String, comment: String?) -> String {
            "Demande d'assistance \(reference) close : dysfonctionnement résolu." + (comment.map { " \($0)" } ?? "")
        }
    }

    /// What the offline toolkit's sync writes in episodes and notices.
    public enum ToolkitSync {
        public static func onDevice(_ name: String) -> String { "sur le poste « \(name) »" }
        public static func outageLogged(onDevice: String, reason: String) -> String { "Coupure consignée hors ligne \(onDevice) : \(reason)" }
        public static func attempt(channel: String, note: String?) -> String {
            "Tentative de joindre le bureau (\(channel))" + (note.map { " : \($0)" } ?? "")
        }
        public static func outageEnd(note: String?) -> String { "Fin de la coupure" + (note.map { " : \($0)" } ?? "") }
        public static func outageSummary(from start: Date, to end: Date, onDevice: String, attempts: Int) -> String {
            "Journal de la coupure du \(ParisCalendar.french(start)) au \(ParisCalendar.french(end)) reçu à la synchronisation \(onDevice) "
                + "(\(attempts) tentative(s) de joindre le bureau)."
        }
        public static func outageNotice(exciseNumber: String, service: String, summary: String) -> String {
            "Coupure hors ligne déclarée a posteriori pour \(exciseNumber) (\(service)) : \(summary)"
        }
        public static func notYetDeparted(date: String, time: String) -> String {
            "Départ prévu le \(date) à \(time) : le numéro sera enregistré à une synchronisation après le départ."
        }
        public static let messageInTheFuture = "L'heure du message est dans le futur : l'horloge du poste est-elle juste ?"
        public static func communicatedBy(login: String, device: String) -> String { "\(login) (poste « \(device) »)" }
        public static func communicatedOffline(count: Int, device: String, numbers: String) -> String {
            "\(count) numéro(s) communiqué(s) hors ligne depuis le poste « \(device) », reçu(s) à sa synchronisation : \(numbers)."
        }
    }
}
