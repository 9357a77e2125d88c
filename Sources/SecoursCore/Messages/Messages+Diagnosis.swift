import Foundation

extension Messages {
    /// « Je diagnostique ma panne » (R-DIAG-1): the page, its errors and where a conclusion leads.
    public enum Diagnosis {
        public static var pageTitle: String { localized("Je diagnostique ma panne", "Diagnose my outage") }
        public static func flowPageTitle(_ flow: String) -> String {
            localized("Je diagnostique ma panne – \(flow)", "Diagnose my outage – \(flow)")
        }

        // Where a conclusion leads
        public static var askOffice: String {
            localized("Demander l'autorisation à mon bureau", "Ask my office for authorisation")
        }
        public static var recordSAUDiagnosis: String {
            localized("Enregistrer le diagnostic du SAU (épisode de secours)", "Record the SAU diagnosis (fallback episode)")
        }
        public static var recordProviderIncident: String {
            localized("Enregistrer l'incident du prestataire (épisode de secours)", "Record the provider's incident (fallback episode)")
        }
        public static var keepTrace: String {
            localized("Garder la trace dans un épisode de secours", "Keep a record in a fallback episode")
        }
        public static var fileAssistanceRequest: String {
            localized("Déposer la demande d'assistance (auto-déclenchement)", "File the assistance request (self-trigger)")
        }

        // Errors
        public static func unknownFlow(_ id: String) -> String {
            localized("Diagnostic « \(id) » inconnu.", "Unknown diagnosis “\(id)”.")
        }
        public static var pathTooLong: String { localized("Parcours de diagnostic trop long.", "Diagnosis path too long.") }
        public static var unknownPath: String {
            localized("Ce parcours de diagnostic n'existe pas (réponse inconnue ou en trop). Recommencez depuis la première question.",
                      "This diagnosis path does not exist (unknown or extra answer). Start again from the first question.")
        }
        public static var restart: String { localized("Recommencer le diagnostic", "Start the diagnosis again") }
    }
}
