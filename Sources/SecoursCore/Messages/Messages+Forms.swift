import Foundation

extension Messages {
    /// The paper fallback forms as PDF (R-PDF-1, R-GPS-10).
    public enum Forms {
        public static func unknownForm(_ file: String) -> String {
            localized("Formulaire « \(file) » inconnu : DAE.pdf ou DSA.pdf.", "Unknown form “\(file)”: DAE.pdf or DSA.pdf.")
        }
        public static func unknownVariant(_ value: String) -> String {
            localized("Variante « \(value) » inconnue (gamma, gamma2).", "Unknown variant “\(value)” (gamma, gamma2).")
        }
    }
}
