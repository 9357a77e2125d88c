import Foundation

extension Messages {
    /// Manual numbers communicated to the office before departure (R-OFF-1).
    public enum Communications {
        public static func alreadyCommunicated(_ number: String) -> String { "Le numéro \(number) a déjà été communiqué au bureau." }
        public static func notice(_ v: RegistrationRequest.Valid) -> String {
            let what = v.kind == .lrn ? "\(v.type.label) – LRN de secours GAMMA 2" : v.type.label
            return "\(what) n° \(v.number.value), départ le \(v.dispatch.french), transport \(v.transport)."
        }
    }

    /// The office's console.
    public enum Console {
        public static let pageTitle = "Console du bureau"
        public static let communicateTitle = "Communiquer un numéro au bureau"
        public static let lrnSeries = "Séries de LRN GAMMA 2"
        public static func sequences(year: Int) -> String { "Séquences \(year)" }
        public static func device(_ name: String, login: String) -> String { "« \(name) » (\(login))" }
        public static func released(at: Date, used: Int, unused: String?) -> String {
            "Rendue le \(ParisCalendar.french(at)) : \(used) utilisé(s)" + ((unused ?? "").isEmpty ? "" : ", non utilisés \(unused!)")
        }
        public static let openReservation = "Ouverte : réservée à ce poste"
    }

    /// The mails the outbox sends to offices.
    public enum Mail {
        public static func noticeSubject(kind: String, exciseNumber: String) -> String { "[Secours] \(kind) – \(exciseNumber)" }
        public static func noticeBody(kind: String, exciseNumber: String, text: String, link: String) -> String {
            "\(kind) – \(exciseNumber)\n\n\(text)\n\nÀ voir dans la console du bureau : \(link)\n\n-- \nSecours, procédure de secours EMCS/GAMM@"
        }
    }
}
