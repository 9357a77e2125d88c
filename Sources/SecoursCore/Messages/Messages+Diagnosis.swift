import Foundation

extension Messages {
    /// « Je diagnostique ma panne » (R-DIAG-1): the page, its errors and where a conclusion leads.
    public enum Diagnosis {
        public static let pageTitle = "Je diagnostique ma panne"
        public static func flowPageTitle(_ flow: String) -> String { "Je diagnostique ma panne – \(flow)" }

        // Where a conclusion leads
        public static let askOffice = "Demander l'autorisation à mon bureau"
        public static let recordSAUDiagnosis = "Enregistrer le diagnostic du SAU (épisode de secours)"
        public static let recordProviderIncident = "Enregistrer l'incident du prestataire (épisode de secours)"
        public static let keepTrace = "Garder la trace dans un épisode de secours"
        public static let fileAssistanceRequest = "Déposer la demande d'assistance (auto-déclenchement)"

        // Errors
        public static func unknownFlow(_ id: String) -> String { "Diagnostic « \(id) » inconnu." }
        public static let pathTooLong = "Parcours de diagnostic trop long."
        public static let unknownPath = "Ce parcours de diagnostic n'existe pas (réponse inconnue ou en trop). Recommencez depuis la première question."
        public static let restart = "Recommencer le diagnostic"
    }
}
