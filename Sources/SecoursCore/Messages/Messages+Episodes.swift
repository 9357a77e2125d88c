import Foundation

extension Messages {
    /// Fallback episodes and assistance requests: their errors, evidence lines and office notices.
    public enum Episodes {
        /// The office's answer sent without a choice.
        public static var chooseDecision: String { localized("Choisissez d'autoriser ou de refuser.", "Choose to authorise or to refuse.") }
        // Errors
        public static func notCovered(exciseNumber: String, mode: String) -> String {
            localized("Aucune alerte en cours ni épisode de secours ouvert ne couvre GAMMA en mode \(mode) pour \(exciseNumber) : "
                          + "faites le diagnostic (« Je diagnostique ma panne ») et, selon sa conclusion, demandez l'autorisation à votre bureau "
                          + "ou enregistrez le diagnostic du SAU.",
                      "No current alert or open fallback episode covers GAMMA in \(mode) mode for \(exciseNumber): "
                          + "run the diagnosis (“Diagnose my outage”) and, depending on its conclusion, ask your office for authorisation "
                          + "or record the SAU diagnosis.")
        }
        public static func noCoveringAlert(reference: String, service: String, mode: String) -> String {
            localized("Aucune alerte en cours « \(reference) » ne couvre \(service) en mode \(mode).",
                      "No current alert “\(reference)” covers \(service) in \(mode) mode.")
        }
        public static func alreadyActive(_ status: EpisodeStatus, exciseNumber: String, service: String, since: Date) -> String {
            let state = status.label.lowercased()
            return localized("Un épisode de secours est déjà \(state) pour \(exciseNumber) (\(service)) depuis le "
                                 + "\(ParisCalendar.french(since)) : suivez-le dans « Épisodes de secours ».",
                             "A fallback episode has already been \(state) for \(exciseNumber) (\(service)) since "
                                 + "\(ParisCalendar.display(since)): follow it in “Fallback episodes”.")
        }
        public static func activeBeforeAssistance(exciseNumber: String, service: String) -> String {
            localized("Un épisode de secours est déjà demandé ou ouvert pour \(exciseNumber) (\(service)) : closez-le d'abord.",
                      "A fallback episode is already requested or open for \(exciseNumber) (\(service)): close it first.")
        }
        public static func notPending(_ status: EpisodeStatus, bySilence: Bool) -> String {
            let state = status.label.lowercased()
            return localized("Cette demande n'attend plus de réponse (\(state)\(bySilence ? ", faute de réponse dans le délai" : "")).",
                             "This request no longer awaits an answer (\(state)\(bySilence ? ", for want of an answer in time" : "")).")
        }
        public static var justAnswered: String { localized("Cette demande vient d'être traitée.", "This request has just been dealt with.") }
        public static func over(_ status: EpisodeStatus) -> String {
            let state = status.label.lowercased()
            return localized("Cet épisode est déjà \(state).", "This episode is already \(state).")
        }
        public static var decisionRequired: String {
            localized("Décision requise : authorise ou refuse.", "Decision required: authorise or refuse.")
        }
        public static func unknownStatus(_ value: String) -> String {
            let known = EpisodeStatus.allCases.map(\.rawValue).joined(separator: ", ")
            return localized("Statut « \(value) » inconnu (\(known)).", "Unknown status “\(value)” (\(known)).")
        }
        public static var episodeWhat: String { localized("Épisode", "Episode") }
        public static var listTitle: String { localized("Épisodes de secours", "Fallback episodes") }
        public static var pageTitle: String { localized("Épisode de secours", "Fallback episode") }

        // Evidence lines and notices to the office: written to the record, kept in French.
        /// Written to the record: kept in French.
        public static let openedBySilence = "Aucune réponse du bureau dans le délai : l'opérateur est autorisé à utiliser la procédure de secours."
        /// Written to the record: kept in French (the basis's label too).
        public static func declared(basis: EpisodeBasis, reference: String?, reason: String) -> String {
            Messages.inFrench {
                basis.label + (reference.map { " — référence \($0)" } ?? "") + (reason.isEmpty ? "" : " — \(reason)")
            }
        }
        /// Written to the record: kept in French.
        public static func silenceGrants(at deadline: Date) -> String {
            " — sans réponse avant le \(ParisCalendar.french(deadline)), l'opérateur est autorisé."
        }
        /// Written to the record: kept in French.
        public static let authorised = "Autorisé."
        /// Written to the record: kept in French.
        public static let ended = "Fin de l'indisponibilité."

        // Notices to the office
        /// Written to the record: kept in French.
        public static func authorisationAsked(exciseNumber: String, service: String, reason: String) -> String {
            "Demande d'autorisation pour \(exciseNumber) (\(service)) : réponse attendue dans l'heure. \(reason)"
        }
        /// Written to the record: kept in French.
        public static func declaredNotice(exciseNumber: String, service: String, details: String) -> String {
            "Épisode de secours déclaré pour \(exciseNumber) (\(service)) : \(details)"
        }
    }

    /// Self-triggering assistance requests (R-DIAG-3).
    public enum Assistance {
        public static func alreadyOpen(service: String, reference: String) -> String {
            localized("Une demande d'assistance est déjà ouverte pour \(service) (\(reference)) : une seule par service en ligne.",
                      "An assistance request is already open for \(service) (\(reference)): only one per online service.")
        }
        public static func alreadyClosed(_ reference: String) -> String {
            localized("La demande \(reference) est déjà close.", "Request \(reference) is already closed.")
        }
        public static var what: String { localized("Demande d'assistance", "Assistance request") }
        public static var pageTitle: String {
            localized("Demande d'assistance – auto-déclenchement", "Assistance request – self-trigger")
        }

        /// Written to the record: kept in French (the service's label too).
        public static func opened(_ v: AssistanceRequest.Valid, reference: String) -> String {
            Messages.inFrench {
                "Demande d'assistance \(reference) — « \(AssistanceRequest.mention) » — \(v.service.label), passage en alerte le "
                    + "\(ParisCalendar.french(v.switchedAt)) ; EORI \(v.eori), \(v.companyName), \(v.address), tél. \(v.phone). Raisons : \(v.reasons)"
            }
        }
        /// Written to the record: kept in French.
        public static func selfTriggerNotice(companyName: String, service: String, reference: String) -> String {
            "\(companyName) auto-déclenche la procédure de secours pour \(service) (demande \(reference))."
        }
        /// Written to the record: kept in French.
        public static func closed(_ reference: String, comment: String?) -> String {
            "Demande d'assistance \(reference) close : dysfonctionnement résolu." + (comment.map { " \($0)" } ?? "")
        }
    }

    /// What the offline toolkit's sync writes in episodes and notices, and its answers per entry.
    public enum ToolkitSync {
        // Event lines of the outage's episode and notices to the office.
        /// Written to the record: kept in French.
        public static func onDevice(_ name: String) -> String { "sur le poste « \(name) »" }
        /// Written to the record: kept in French.
        public static func outageLogged(onDevice: String, reason: String) -> String { "Coupure consignée hors ligne \(onDevice) : \(reason)" }
        /// Written to the record: kept in French.
        public static func attempt(channel: String, note: String?) -> String {
            "Tentative de joindre le bureau (\(channel))" + (note.map { " : \($0)" } ?? "")
        }
        /// Written to the record: kept in French.
        public static func outageEnd(note: String?) -> String { "Fin de la coupure" + (note.map { " : \($0)" } ?? "") }
        /// Written to the record: kept in French.
        public static func outageSummary(from start: Date, to end: Date, onDevice: String, attempts: Int) -> String {
            "Journal de la coupure du \(ParisCalendar.french(start)) au \(ParisCalendar.french(end)) reçu à la synchronisation \(onDevice) "
                + "(\(attempts) tentative(s) de joindre le bureau)."
        }
        /// Written to the record: kept in French.
        public static func outageNotice(exciseNumber: String, service: String, summary: String) -> String {
            "Coupure hors ligne déclarée a posteriori pour \(exciseNumber) (\(service)) : \(summary)"
        }

        // Answers to the toolkit, per entry
        public static func notYetDeparted(date: String, time: String) -> String {
            localized("Départ prévu le \(date) à \(time) : le numéro sera enregistré à une synchronisation après le départ.",
                      "Departure planned on \(date) at \(time): the number will be registered at a synchronisation after departure.")
        }
        public static var messageInTheFuture: String {
            localized("L'heure du message est dans le futur : l'horloge du poste est-elle juste ?",
                      "The time of the message is in the future: is the computer's clock right?")
        }

        /// Who communicated the numbers, as stored with them. Written to the record: kept in French.
        public static func communicatedBy(login: String, device: String) -> String { "\(login) (poste « \(device) »)" }
        /// Written to the record: kept in French.
        public static func communicatedOffline(count: Int, device: String, numbers: String) -> String {
            "\(count) numéro(s) communiqué(s) hors ligne depuis le poste « \(device) », reçu(s) à sa synchronisation : \(numbers)."
        }
    }
}
