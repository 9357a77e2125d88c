import Foundation

extension Messages {
    /// The weather page, its alerts and their feed.
    public enum Weather {
        public static let pageTitle = "Météo des téléservices"
        public static let referenceBusy = "Publication simultanée : réessayez."
        public static func endedPublishNew(_ reference: String) -> String { "L'alerte \(reference) est terminée : publiez une nouvelle alerte." }
        public static func alreadyEnded(_ reference: String) -> String { "L'alerte \(reference) est déjà terminée." }
        public static func unknownAlert(_ reference: String) -> String { "Alerte \(reference) introuvable." }
        public static let invalidStart = "Début : date et heure invalides."

        // The CID's forms on the page
        /// The heading of the summary of a refused form, at the top of the page.
        public static func errorSummary(_ count: Int) -> String {
            count == 1 ? "Le formulaire contient 1 erreur :" : "Le formulaire contient \(count) erreurs :"
        }
        /// Ending an alert from the page without ticking the confirmation.
        public static let endNotConfirmed =
            "Cochez « Je confirme la fin de l'alerte » pour terminer l'alerte : la météo repassera au vert et les opérateurs ne seront plus couverts par elle."
        public static func endClosingTooLong(_ max: Int) -> String { "Le message de fin d'alerte compte \(max) caractères au plus." }

        // The Atom feed
        public static let feedTitle = "Météo des téléservices – alertes"
        public static let endedMark = " (terminée)"
        public static func entryText(level: String, coverage: String, started: String, ended: String?, description: String) -> String {
            "\(level) — \(coverage)\nDébut : \(started)" + (ended.map { "\nFin : \($0)" } ?? "") + "\n\n\(description)"
        }
        public static func bulletinText(closing: Bool, at: String, text: String) -> String {
            "\n\n\(closing ? "Fin d'alerte" : "Bulletin") du \(at) : \(text)"
        }
    }
}
