import Foundation

extension Messages {
    /// What every request can get from the service itself: errors, refused bodies and headers,
    /// the input gate, CSRF and the metrics token.
    public enum Service {
        // Errors every request can get
        public static let databaseUnavailable = "Le service ne joint pas sa base de données pour le moment : réessayez dans quelques secondes."
        public static let overloaded = "Le service est très sollicité : réessayez dans quelques secondes."
        public static let internalError = "Une erreur interne est survenue. Réessayez ; si elle persiste, contactez l'assistance."
        public static let addressNotFound = "Cette adresse n'existe pas."
        public static let methodNotAllowed = "Méthode non permise sur cette adresse."
        public static let badRequest = "Requête invalide."
        public static func badRequestWithStatus(_ status: Int) -> String { "Requête invalide (\(status))." }
        public static func errorPageTitle(status: Int) -> String { "\(statusTitle(status)) (erreur \(status))" }
        /// The heading of an error page, in French (never the HTTP reason phrase).
        public static func statusTitle(_ status: Int) -> String {
            switch status {
            case 400: "Requête invalide"
            case 401: "Connexion requise"
            case 403: "Accès refusé"
            case 404: "Page introuvable"
            case 405: "Action non permise à cette adresse"
            case 409: "Action impossible en l'état"
            case 413: "Envoi trop volumineux"
            case 415: "Format non pris en charge"
            case 422: "Formulaire à corriger"
            case 429: "Trop de demandes"
            case 503: "Service momentanément indisponible"
            case 500..<600: "Incident du service"
            default: "Erreur \(status)"
            }
        }

        // Request bodies
        public static let importNotXML = "Un fichier d'import s'envoie en XML (Content-Type: application/xml)."
        public static let text = "du texte"
        public static let boolean = "un booléen"
        public static let number = "un nombre"
        public static let otherType = "une valeur d'un autre type"
        public static func fieldMustBe(_ field: String, _ what: String) -> String { "Le champ « \(field) » doit être \(what)." }
        public static func mustBe(_ what: String) -> String { "Doit être \(what)." }
        public static func fieldRequired(_ field: String) -> String { "Le champ « \(field) » est obligatoire." }
        public static let required = "Champ obligatoire."
        public static func fieldNotNull(_ field: String) -> String { "Le champ « \(field) » ne peut pas être nul." }
        public static let notNull = "Ne peut pas être nul."
        public static let bodyNotJSON = "Le corps de la requête n'est pas un JSON valide."
        public static func fieldInvalid(_ field: String, _ detail: String) -> String { "Le champ « \(field) » est invalide : \(detail)" }
        public static let bodyInvalid = "Le corps de la requête est invalide."

        // Input gate
        public static func queryParameterRefused(_ name: String) -> String {
            "Le paramètre « \(name) » de l'adresse contient un caractère de contrôle ou un encodage invalide."
        }
        public static let controlCharacterOrEncoding = "Caractère de contrôle ou encodage invalide."
        public static func headerInvalid(_ name: String) -> String { "En-tête \(name) invalide." }
        public static let requestIDInvalid = "En-tête X-Request-Id invalide : 1 à 128 lettres, chiffres ou . _ : -"

        public static let dateTimeExpected = "une date et heure au format RFC 3339 (par exemple 2026-12-03T08:30:00+01:00)"

        // CSRF
        public static let formExpired = "Le formulaire a expiré ou ne provient pas de ce site. Rechargez la page et recommencez."

        // Metrics
        public static let metricsTokenRequired = "Jeton de lecture des métriques requis."
    }
}
