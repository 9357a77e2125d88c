import Foundation

extension Messages {
    /// The service's settings (environment variables) and its command line.
    public enum Settings {
        // Settings errors
        public static let bootstrapAdminForm = "SECOURS_BOOTSTRAP_ADMIN doit avoir la forme identifiant:motdepasse"
        public static func logLevel(_ value: String) -> String {
            "SECOURS_LOG_LEVEL doit valoir trace, debug, info, notice, warning, error ou critical (« \(value) » lu)"
        }
        public static func logFormat(_ value: String) -> String { "SECOURS_LOG_FORMAT doit valoir text, logfmt ou json (« \(value) » lu)" }
        public static let metricsToken = "SECOURS_METRICS_TOKEN doit compter au moins 16 caractères ASCII visibles, sans espace"
        public static func smtpURL(_ value: String) -> String { "SECOURS_SMTP_URL doit être de la forme smtp://hôte:port (« \(value) » lu)" }
        public static func smtpFrom(_ value: String) -> String { "SECOURS_SMTP_FROM doit être une adresse électronique (« \(value) » lu)" }
        public static func invalidPostgresURL(_ text: String) -> String { "URL PostgreSQL invalide : \(text)" }
        public static func unsupportedDatabase(_ text: String) -> String {
            "Base de données non prise en charge : \(text) (fichier SQLite ou postgres://…)"
        }
        public static func notAnInteger(_ name: String, from lower: Int, to upper: Int, read value: String) -> String {
            "\(name) doit être un entier entre \(lower) et \(upper) (« \(value) » lu)"
        }
        public static func notABoolean(_ name: String, read value: String) -> String { "\(name) doit valoir true ou false (« \(value) » lu)" }

        // Command line
        public static let serverAbstract = "Secours – le service web et l'API."
        public static let databaseHelp = "Fichier SQLite ou URL postgres://… (sinon DATABASE_URL, sinon secours.sqlite)."
        public static let serveAbstract = "Démarre le service web et l'API."
        public static let hostnameHelp = "Adresse d'écoute (défaut 127.0.0.1)."
        public static let portHelp = "Port d'écoute (défaut 8080)."
        public static let demoHelp = "Remplit une base vide avec des données de démonstration et affiche les comptes."
        public static let portRange = "Le port doit être compris entre 1 et 65535."
        public static let migrateAbstract =
            "Applique les migrations de la base puis s'arrête (un serveur le fait aussi à son démarrage ; plusieurs démarrages simultanés s'attendent)."
        public static let migrated = "Base à jour."
    }

    /// The SMTP client's failures talking to the mail relay.
    public enum SMTP {
        public static func hostNotFound(_ host: String) -> String { "adresse \(host) introuvable" }
        public static func cannotConnect(host: String, port: Int) -> String { "connexion impossible à \(host):\(port)" }
        public static let sendInterrupted = "envoi interrompu"
        public static let relayClosed = "le relais a fermé la connexion"
        public static func unreadableReply(_ line: String) -> String { "réponse illisible : \(line)" }
        public static func relayRefused(_ line: String) -> String { "refus du relais : \(line)" }
        public static let timedOut = "délai dépassé en attendant le relais"
    }
}
