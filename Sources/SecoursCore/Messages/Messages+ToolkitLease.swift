import Foundation

extension Messages {
    /// The lease of an offline device (R-NUM-8): duplicated journals, revoked and retired devices.
    public enum ToolkitLease {
        /// « « portable-chai » et « portable-bureau » », or « « portable-chai » et sa copie ».
        static func pair(_ name: String, other: String) -> String {
            name == other ? localized("« \(name) » et une copie de son journal", "“\(name)” and a copy of its journal")
                : localized("« \(name) » et « \(other) »", "“\(name)” and “\(other)”")
        }

        public static func duplicated(device: String, other: String) -> String {
            localized("Deux journaux partagent la réserve de numéros du poste \(pair(device, other: other)) : l'un est une copie ou une sauvegarde restaurée. "
                      + "Sa réserve est gelée : ses numéros ne seront plus donnés à personne, et elle n'est plus renouvelée. "
                      + "Sur chaque ordinateur, terminez l'envoi (« secours sync »), puis « secours logout » et « secours login » : chacun reçoit sa propre réserve. Le bureau est prévenu.",
                      "Two journals share the number reserve of the computer \(pair(device, other: other)): one is a copy or a restored backup. "
                      + "Its reserve is frozen: its numbers will never be given to anyone, and it is no longer renewed. "
                      + "On each computer, finish sending (“secours sync”), then “secours logout” and “secours login”: each gets its own reserve. The office has been told.")
        }

        public static func collision(number: String, device: String, other: String) -> String {
            localized("Le numéro \(number) a été fait sur les deux journaux du poste \(pair(device, other: other)), qui partagent la même réserve : "
                      + "le service garde celui reçu en premier. Vérifiez les deux documents papier et annulez ou corrigez celui qui n'a pas servi avec le bureau.",
                      "Number \(number) was made on both journals of the computer \(pair(device, other: other)), which share one reserve: "
                      + "the service keeps the one received first. Check both paper documents and cancel or correct the one not used, with the office.")
        }

        /// Written to the office's news: kept in French.
        public static func duplicatedNotice(device: String, other: String, login: String) -> String {
            "Journal du poste hors ligne en double : \(pair(device, other: other)) (compte \(login)) partagent une réserve de numéros. "
                + "Réserve gelée ; des numéros peuvent figurer deux fois sur papier : vérifiez les conflits de sa prochaine synchronisation."
        }

        /// Written to the office's news: kept in French.
        public static func revokedNotice(device: String, login: String, by: String, reason: String) -> String {
            "Poste hors ligne « \(device) » (compte \(login)) révoqué par \(by) : \(reason). Ses numéros réservés ne seront jamais attribués."
        }

        public static func revoked(device: String, reason: String?) -> String {
            localized("Le poste « \(device) » a été révoqué\(reason.map { " (\($0))" } ?? "") : il ne peut plus se synchroniser. Ses numéros réservés ne seront jamais attribués. Adressez-vous à votre bureau.",
                      "The computer “\(device)” has been revoked\(reason.map { " (\($0))" } ?? ""): it can no longer sync. Its reserved numbers will never be given. Contact your office.")
        }

        public static func retired(device: String) -> String {
            localized("Le poste « \(device) » a été retiré (« secours logout ») : reconnectez-le avec « secours login » pour qu'il reçoive une nouvelle réserve.",
                      "The computer “\(device)” has been retired (“secours logout”): sign it in again with “secours login” to get a new reserve.")
        }

        /// A hole in the DRM: « 4–21 (réservés au poste « portable-chai », compte marie.laurent, rendus le 22/11/2026 : poste retiré) ».
        public static func drmHole(ranges: String, device: String, login: String, at: Date, ended: SecoursCore.ToolkitLease.Event) -> String {
            localized("\(ranges) (réservés au poste « \(device) », compte \(login), \(event(ended)) le \(ParisCalendar.french(at)))",
                      "\(ranges) (reserved for the computer “\(device)”, account \(login), \(event(ended)) on \(ParisCalendar.display(at)))")
        }

        public static var drmNature: String { localized("Numéros réservés non utilisés", "Reserved numbers not used") }

        public static func sequencesOfYear(_ year: Int) -> String { localized("séquences \(year)", "sequences \(year)") }

        public static var otherCompany: String {
            localized("Cet identifiant de poste appartient à une autre société : reconnectez ce poste (« secours logout » puis « secours login ») pour qu'il reçoive un identifiant à lui.",
                      "This computer id belongs to another company: sign this computer in again (“secours logout” then “secours login”) to give it an id of its own.")
        }

        public static var alreadyRevoked: String {
            localized("Ce poste est déjà révoqué.", "This computer is already revoked.")
        }

        /// Written to the record of a segment released with holes: kept in French.
        public static func event(_ e: SecoursCore.ToolkitLease.Event) -> String {
            switch e {
            case .reserved: localized("réservé", "reserved")
            case .renewed: localized("complément", "top-up")
            case .used: localized("utilisé", "used")
            case .retired: localized("rendu (poste retiré)", "given back (computer retired)")
            case .yearEnded: localized("rendu (fin d'année)", "given back (year ended)")
            case .revoked: localized("gardé (poste révoqué)", "kept (computer revoked)")
            case .duplicated: localized("gardé (journal en double)", "kept (duplicated journal)")
            }
        }

        public static func status(_ s: SecoursCore.ToolkitLease.DeviceStatus) -> String {
            switch s {
            case .active: localized("actif", "active")
            case .retired: localized("retiré", "retired")
            case .revoked: localized("révoqué", "revoked")
            case .duplicated: localized("journal en double", "duplicated journal")
            }
        }
    }
}
