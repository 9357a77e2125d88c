import Foundation

extension Messages {
    /// The DRM report (R-OFF-2): its page, its query's errors and the scope printed on the PDF.
    public enum Reports {
        public static var pageTitle: String { localized("Relevé DRM", "DRM report") }

        // Errors
        public static var invalidMonth: String { localized("Mois invalide : AAAA-MM (ou mm/aaaa).", "Invalid month: YYYY-MM (or mm/yyyy).") }
        public static var invalidFormat: String { localized("Format : json, csv ou pdf.", "Format: json, csv or pdf.") }

        // The PDF's scope
        public static func scopeExciseNumber(_ number: String) -> String {
            localized("numéro d'accise \(number)", "excise number \(number)")
        }
        public static func scopeAll(login: String) -> String {
            localized("tous les numéros d'accise du périmètre de \(login)", "all excise numbers in the scope of \(login)")
        }
    }
}
