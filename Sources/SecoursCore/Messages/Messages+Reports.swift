import Foundation

extension Messages {
    /// The DRM report (R-OFF-2): its page, its query's errors and the scope printed on the PDF.
    public enum Reports {
        public static let pageTitle = "Relevé DRM"

        // Errors
        public static let invalidMonth = "Mois invalide : AAAA-MM (ou mm/aaaa)."
        public static let invalidFormat = "Format : json, csv ou pdf."

        // The PDF's scope
        public static func scopeExciseNumber(_ number: String) -> String { "numéro d'accise \(number)" }
        public static func scopeAll(login: String) -> String { "tous les numéros d'accise du périmètre de \(login)" }
    }
}
