import Foundation

extension Messages {
    /// The weather page, its alerts and their feed.
    public enum Weather {
        public static var pageTitle: String { localized("Météo des téléservices", "Online services weather") }
        public static var referenceBusy: String { localized("Publication simultanée : réessayez.", "Simultaneous publication: try again.") }
        public static func endedPublishNew(_ reference: String) -> String {
            localized("L'alerte \(reference) est terminée : publiez une nouvelle alerte.",
                      "Alert \(reference) has ended: publish a new alert.")
        }
        public static func alreadyEnded(_ reference: String) -> String {
            localized("L'alerte \(reference) est déjà terminée.", "Alert \(reference) has already ended.")
        }
        public static func unknownAlert(_ reference: String) -> String {
            localized("Alerte \(reference) introuvable.", "Alert \(reference) not found.")
        }
        public static var invalidStart: String { localized("Début : date et heure invalides.", "Start: invalid date and time.") }

        // The CID's forms on the page
        /// The heading of the summary of a refused form, at the top of the page.
        public static func errorSummary(_ count: Int) -> String {
            count == 1
                ? localized("Le formulaire contient 1 erreur :", "The form contains 1 error:")
                : localized("Le formulaire contient \(count) erreurs :", "The form contains \(count) errors:")
        }
        /// Ending an alert from the page without ticking the confirmation.
        public static var endNotConfirmed: String {
            localized("Cochez « Je confirme la fin de l'alerte » pour terminer l'alerte : la météo repassera au vert et les opérateurs ne seront plus couverts par elle.",
                      "Tick “I confirm the end of the alert” to end the alert: the weather will return to green and operators will no longer be covered by it.")
        }
        public static func endClosingTooLong(_ max: Int) -> String {
            localized("Le message de fin d'alerte compte \(max) caractères au plus.",
                      "The end-of-alert message may have at most \(max) characters.")
        }

        // The Atom feed
        public static var feedTitle: String { localized("Météo des téléservices – alertes", "Online services weather – alerts") }
        public static var endedMark: String { localized(" (terminée)", " (ended)") }
        public static func entryText(level: String, coverage: String, started: String, ended: String?, description: String) -> String {
            localized("\(level) — \(coverage)\nDébut : \(started)" + (ended.map { "\nFin : \($0)" } ?? "") + "\n\n\(description)",
                      "\(level) — \(coverage)\nStart: \(started)" + (ended.map { "\nEnd: \($0)" } ?? "") + "\n\n\(description)")
        }
        public static func bulletinText(closing: Bool, at: String, text: String) -> String {
            localized("\n\n\(closing ? "Fin d'alerte" : "Bulletin") du \(at) : \(text)",
                      "\n\n\(closing ? "End of alert" : "Bulletin") of \(at): \(text)")
        }
    }
}
