import Foundation

extension Messages {
    /// The service's settings (environment variables) and its command line.
    public enum Settings {
        // Settings errors
        public static var bootstrapAdminForm: String {
            localized("SECOURS_BOOTSTRAP_ADMIN doit avoir la forme identifiant:motdepasse",
                      "SECOURS_BOOTSTRAP_ADMIN must have the form login:password")
        }
        public static func logLevel(_ value: String) -> String {
            localized("SECOURS_LOG_LEVEL doit valoir trace, debug, info, notice, warning, error ou critical (« \(value) » lu)",
                      "SECOURS_LOG_LEVEL must be trace, debug, info, notice, warning, error or critical (“\(value)” read)")
        }
        public static func logFormat(_ value: String) -> String {
            localized("SECOURS_LOG_FORMAT doit valoir text, logfmt ou json (« \(value) » lu)",
                      "SECOURS_LOG_FORMAT must be text, logfmt or json (“\(value)” read)")
        }
        public static var metricsToken: String {
            localized("SECOURS_METRICS_TOKEN doit compter au moins 16 caractères ASCII visibles, sans espace",
                      "SECOURS_METRICS_TOKEN must have at least 16 visible ASCII characters, without spaces")
        }
        public static func smtpURL(_ value: String) -> String {
            localized("SECOURS_SMTP_URL doit être de la forme smtp://hôte:port (« \(value) » lu)",
                      "SECOURS_SMTP_URL must have the form smtp://host:port (“\(value)” read)")
        }
        public static func smtpFrom(_ value: String) -> String {
            localized("SECOURS_SMTP_FROM doit être une adresse électronique (« \(value) » lu)",
                      "SECOURS_SMTP_FROM must be an email address (“\(value)” read)")
        }
        public static func invalidPostgresURL(_ text: String) -> String {
            localized("URL PostgreSQL invalide : \(text)", "Invalid PostgreSQL URL: \(text)")
        }
        public static func unsupportedDatabase(_ text: String) -> String {
            localized("Base de données non prise en charge : \(text) (fichier SQLite ou postgres://…)",
                      "Unsupported database: \(text) (SQLite file or postgres://…)")
        }
        public static func notAnInteger(_ name: String, from lower: Int, to upper: Int, read value: String) -> String {
            localized("\(name) doit être un entier entre \(lower) et \(upper) (« \(value) » lu)",
                      "\(name) must be an integer between \(lower) and \(upper) (“\(value)” read)")
        }
        public static func notABoolean(_ name: String, read value: String) -> String {
            localized("\(name) doit valoir true ou false (« \(value) » lu)", "\(name) must be true or false (“\(value)” read)")
        }

        // Command line
        public static var serverAbstract: String { localized("Secours – le service web et l'API.", "Secours – the web service and the API.") }
        public static var databaseHelp: String {
            localized("Fichier SQLite ou URL postgres://… (sinon DATABASE_URL, sinon secours.sqlite).",
                      "SQLite file or postgres://… URL (otherwise DATABASE_URL, otherwise secours.sqlite).")
        }
        public static var serveAbstract: String { localized("Démarre le service web et l'API.", "Starts the web service and the API.") }
        public static var hostnameHelp: String { localized("Adresse d'écoute (défaut 127.0.0.1).", "Listening address (default 127.0.0.1).") }
        public static var portHelp: String { localized("Port d'écoute (défaut 8080).", "Listening port (default 8080).") }
        public static var demoHelp: String {
            localized("Remplit une base vide avec des données de démonstration et affiche les comptes.",
                      "Fills an empty database with demonstration data and prints the accounts.")
        }
        public static var portRange: String { localized("Le port doit être compris entre 1 et 65535.", "The port must be between 1 and 65535.") }
        public static var migrateAbstract: String {
            localized("Applique les migrations de la base puis s'arrête (un serveur le fait aussi à son démarrage ; plusieurs démarrages simultanés s'attendent).",
                      "Applies the database migrations, then stops (a server also does so when it starts; several simultaneous starts wait for each other).")
        }
        public static var migrated: String { localized("Base à jour.", "Database up to date.") }
    }

    /// The SMTP client's failures talking to the mail relay.
    public enum SMTP {
        public static func hostNotFound(_ host: String) -> String { localized("adresse \(host) introuvable", "address \(host) not found") }
        public static func cannotConnect(host: String, port: Int) -> String {
            localized("connexion impossible à \(host):\(port)", "cannot connect to \(host):\(port)")
        }
        public static var sendInterrupted: String { localized("envoi interrompu", "sending interrupted") }
        public static var relayClosed: String { localized("le relais a fermé la connexion", "the relay closed the connection") }
        public static func unreadableReply(_ line: String) -> String { localized("réponse illisible : \(line)", "unreadable reply: \(line)") }
        public static func relayRefused(_ line: String) -> String { localized("refus du relais : \(line)", "refused by the relay: \(line)") }
        public static var timedOut: String { localized("délai dépassé en attendant le relais", "timed out waiting for the relay") }
    }
}
