import Foundation

extension Messages {
    /// What every request can get from the service itself: errors, refused bodies and headers,
    /// the input gate, CSRF and the metrics token.
    public enum Service {
        // Errors every request can get
        public static var databaseUnavailable: String {
            localized("Le service ne joint pas sa base de données pour le moment : réessayez dans quelques secondes.",
                      "The service cannot reach its database at the moment: try again in a few seconds.")
        }
        public static var overloaded: String {
            localized("Le service est très sollicité : réessayez dans quelques secondes.",
                      "The service is under heavy load: try again in a few seconds.")
        }
        public static var internalError: String {
            localized("Une erreur interne est survenue. Réessayez ; si elle persiste, contactez l'assistance.",
                      "An internal error occurred. Try again; if it persists, contact support.")
        }
        public static var addressNotFound: String { localized("Cette adresse n'existe pas.", "This address does not exist.") }
        public static var methodNotAllowed: String {
            localized("Méthode non permise sur cette adresse.", "Method not allowed at this address.")
        }
        public static var badRequest: String { localized("Requête invalide.", "Invalid request.") }
        public static func badRequestWithStatus(_ status: Int) -> String {
            localized("Requête invalide (\(status)).", "Invalid request (\(status)).")
        }
        public static func errorPageTitle(status: Int) -> String {
            localized("\(statusTitle(status)) (erreur \(status))", "\(statusTitle(status)) (error \(status))")
        }
        /// The heading of an error page, in the language of the request (never the HTTP reason phrase).
        public static func statusTitle(_ status: Int) -> String {
            switch status {
            case 400: localized("Requête invalide", "Invalid request")
            case 401: localized("Connexion requise", "Sign-in required")
            case 403: localized("Accès refusé", "Access denied")
            case 404: localized("Page introuvable", "Page not found")
            case 405: localized("Action non permise à cette adresse", "Action not allowed at this address")
            case 409: localized("Action impossible en l'état", "Action not possible as things stand")
            case 413: localized("Envoi trop volumineux", "Upload too large")
            case 415: localized("Format non pris en charge", "Format not supported")
            case 422: localized("Formulaire à corriger", "Form to be corrected")
            case 429: localized("Trop de demandes", "Too many requests")
            case 503: localized("Service momentanément indisponible", "Service temporarily unavailable")
            case 500..<600: localized("Incident du service", "Service incident")
            default: localized("Erreur \(status)", "Error \(status)")
            }
        }

        // Request bodies
        public static var importNotXML: String {
            localized("Un fichier d'import s'envoie en XML (Content-Type: application/xml).",
                      "An import file is sent as XML (Content-Type: application/xml).")
        }
        public static var text: String { localized("du texte", "text") }
        public static var boolean: String { localized("un booléen", "a boolean") }
        public static var number: String { localized("un nombre", "a number") }
        public static var otherType: String { localized("une valeur d'un autre type", "a value of another type") }
        public static func fieldMustBe(_ field: String, _ what: String) -> String {
            localized("Le champ « \(field) » doit être \(what).", "The field “\(field)” must be \(what).")
        }
        public static func mustBe(_ what: String) -> String { localized("Doit être \(what).", "Must be \(what).") }
        public static func fieldRequired(_ field: String) -> String {
            localized("Le champ « \(field) » est obligatoire.", "The field “\(field)” is required.")
        }
        public static var required: String { localized("Champ obligatoire.", "Required field.") }
        public static func fieldNotNull(_ field: String) -> String {
            localized("Le champ « \(field) » ne peut pas être nul.", "The field “\(field)” cannot be null.")
        }
        public static var notNull: String { localized("Ne peut pas être nul.", "Cannot be null.") }
        public static var bodyNotJSON: String {
            localized("Le corps de la requête n'est pas un JSON valide.", "The request body is not valid JSON.")
        }
        public static func fieldInvalid(_ field: String, _ detail: String) -> String {
            localized("Le champ « \(field) » est invalide : \(detail)", "The field “\(field)” is invalid: \(detail)")
        }
        public static var uuidExpected: String {
            localized("un identifiant UUID est attendu (32 chiffres hexadécimaux en 5 groupes, par exemple 6f1c1c0e-7a51-4f00-9a51-000000000001).",
                      "a UUID is expected (32 hexadecimal digits in 5 groups, for example 6f1c1c0e-7a51-4f00-9a51-000000000001).")
        }
        public static var knownValueExpected: String {
            localized("la valeur n'est pas l'une de celles que le champ accepte (voir le document OpenAPI).",
                      "the value is not one of those the field accepts (see the OpenAPI document).")
        }
        public static var bodyInvalid: String { localized("Le corps de la requête est invalide.", "The request body is invalid.") }

        // Input gate
        public static func queryParameterRefused(_ name: String) -> String {
            localized("Le paramètre « \(name) » de l'adresse contient un caractère de contrôle ou un encodage invalide.",
                      "The address parameter “\(name)” contains a control character or an invalid encoding.")
        }
        public static var controlCharacterOrEncoding: String {
            localized("Caractère de contrôle ou encodage invalide.", "Control character or invalid encoding.")
        }
        public static func headerInvalid(_ name: String) -> String { localized("En-tête \(name) invalide.", "Invalid \(name) header.") }
        public static var requestIDInvalid: String {
            localized("En-tête X-Request-Id invalide : 1 à 128 lettres, chiffres ou . _ : -",
                      "Invalid X-Request-Id header: 1 to 128 letters, digits or . _ : -")
        }

        public static var dateTimeExpected: String {
            localized("une date et heure au format RFC 3339 (par exemple 2026-12-03T08:30:00+01:00)",
                      "a date and time in RFC 3339 format (for example 2026-12-03T08:30:00+01:00)")
        }

        // CSRF
        public static var formExpired: String {
            localized("Le formulaire a expiré ou ne provient pas de ce site. Rechargez la page et recommencez.",
                      "The form has expired or does not come from this site. Reload the page and try again.")
        }

        // Metrics
        public static var metricsTokenRequired: String {
            localized("Jeton de lecture des métriques requis.", "Metrics read token required.")
        }
    }
}
