import Foundation

extension Messages {
    /// The paper fallback forms as PDF (R-PDF-1, R-GPS-10).
    public enum Forms {
        public static func unknownForm(_ file: String) -> String { "Formulaire « \(file) » inconnu : DAE.pdf ou DSA.pdf." }
        public static func unknownVariant(_ value: String) -> String { "Variante « \(value) » inconnue (gamma, gamma2)." }
    }
}
