import Foundation

extension Messages {
    /// The information pages every public service gives: accessibility, legal notice, personal data.
    public enum Information {
        public static let accessibilityTitle = "Déclaration d'accessibilité"
        public static let legalNoticeTitle = "Mentions légales"
        public static let personalDataTitle = "Données personnelles"
    }
}
