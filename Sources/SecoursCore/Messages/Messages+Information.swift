import Foundation

extension Messages {
    /// The information pages every public service gives: accessibility, legal notice, personal data.
    public enum Information {
        public static var accessibilityTitle: String { localized("Déclaration d'accessibilité", "Accessibility statement") }
        public static var legalNoticeTitle: String { localized("Mentions légales", "Legal notice") }
        public static var personalDataTitle: String { localized("Données personnelles", "Personal data") }
    }
}
