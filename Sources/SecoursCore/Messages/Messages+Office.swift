import Foundation

extension Messages {
    /// Manual numbers communicated to the office before departure (R-OFF-1).
    public enum Communications {
        public static func alreadyCommunicated(_ number: String) -> String {
            localized("Le numéro \(number) a déjà été communiqué au bureau.", "Number \(number) has already been communicated to the office.")
        }
        /// Written to the record: kept in French (the document type's label too).
        public static func notice(_ v: RegistrationRequest.Valid) -> String {
            Messages.inFrench {
                let what = v.kind == .lrn ? "\(v.type.label) – LRN de secours GAMMA 2" : v.type.label
                return "\(what) n° \(v.number.value), départ le \(v.dispatch.french), transport \(v.transport)."
            }
        }
    }

    /// The office's console.
    public enum Console {
        public static var pageTitle: String { localized("Console du bureau", "Office console") }
        public static var communicateTitle: String { localized("Communiquer un numéro au bureau", "Inform the office of a number") }
        public static var lrnSeries: String { localized("Séries de LRN GAMMA 2", "GAMMA 2 LRN series") }
        public static func sequences(year: Int) -> String { localized("Séquences \(year)", "\(year) sequences") }
        public static func device(_ name: String, login: String) -> String { localized("« \(name) » (\(login))", "“\(name)” (\(login))") }
        /// Where a segment of a laptop's lease stands: open, used up, given back (with its holes),
        /// or kept for ever.
        public static func segmentState(_ r: ToolkitReservation) -> String {
            switch (r.releasedAt, r.ended) {
            case (nil, .revoked?), (nil, .duplicated?):
                return ToolkitLease.event(r.ended!) + localized(" : ces numéros ne seront jamais attribués", ": these numbers will never be given")
            case (nil, _):
                return openReservation
            case let (at?, ended):
                let rest = r.unused ?? ""
                let how = ended.map(ToolkitLease.event) ?? localized("rendue", "given back")
                return localized("\(how) le \(ParisCalendar.french(at)) : \(r.used ?? 0) utilisé(s), \(r.returned ?? 0) rendu(s) à la séquence"
                                 + (rest.isEmpty ? "" : ", non utilisés (trou) \(rest)"),
                                 "\(how) on \(ParisCalendar.display(at)): \(r.used ?? 0) used, \(r.returned ?? 0) returned to the sequence"
                                 + (rest.isEmpty ? "" : ", not used (gap) \(rest)"))
            }
        }
        public static var openReservation: String { localized("Ouverte : réservée à ce poste", "Open: reserved for this computer") }
    }

    /// The mails the outbox sends to offices. Written to the record: kept in French.
    public enum Mail {
        /// Written to the record: kept in French.
        public static func noticeSubject(kind: String, exciseNumber: String) -> String { "[Secours] \(kind) – \(exciseNumber)" }
        /// Written to the record: kept in French.
        public static func noticeBody(kind: String, exciseNumber: String, text: String, link: String) -> String {
            "\(kind) – \(exciseNumber)\n\n\(text)\n\nÀ voir dans la console du bureau : \(link)\n\n-- \nSecours, procédure de secours EMCS/GAMM@"
        }
    }
}
