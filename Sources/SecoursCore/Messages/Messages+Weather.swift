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
