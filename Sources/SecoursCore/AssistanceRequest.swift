import Foundation

/// An assistance request that self-triggers the fallback procedure (R-DIAG-3, seeds 003 and 000):
/// the operator's references, the service, when it went into alert, and why. Its registration
/// time is the start of the fallback; one request per service.
public struct AssistanceRequest: Decodable, Sendable {
    public var exciseNumber: String?
    public var eori: String?
    public var companyName: String?
    public var address: String?
    public var phone: String?
    public var service: String?
    /// Date and time of the switch to alert, Paris time: `YYYY-MM-DD` (or `jj/mm/aaaa`) and `hh:mm`.
    public var switchDate: String?
    public var switchTime: String?
    public var reasons: String?

    public init(exciseNumber: String?, eori: String?, companyName: String?, address: String?, phone: String?, service: String?,
                switchDate: String?, switchTime: String?, reasons: String?) {
        self.exciseNumber = exciseNumber
        self.eori = eori
        self.companyName = companyName
        self.address = address
        self.phone = phone
        self.service = service
        self.switchDate = switchDate
        self.switchTime = switchTime
        self.reasons = reasons
    }

    public struct Valid: Sendable {
        public let exciseNumber: ExciseNumber
        public let eori: String
        public let companyName: String
        public let address: String
        public let phone: String
        public let service: OnlineService
        public let switchedAt: Date
        public let reasons: String
    }

    /// The mention the seeds require in the request, word for word in French (the language of the
    /// procedure), whatever the language of the page.
    public static let mention = "auto-déclenchement de la procédure de secours"

    public func validate(now: Date) throws(SecoursError) -> Valid {
        var f = FormFields()
        func text(_ v: String?, _ field: String, _ label: String, max: Int) -> String {
            f.text(v, field: field, max: max, missing: localized("\(label) : requis.", "\(label): required."),
                   tooLong: localized("\(label) : \(max) caractères au plus.", "\(label): \(max) characters at most."))
        }
        let excise = f.exciseNumber(exciseNumber, missing: localized("Le numéro d'accise est obligatoire.", "The excise number is required."))
        let eori = (self.eori ?? "").replacingOccurrences(of: " ", with: "").uppercased()
        let eoriChars = Array(eori)
        if eoriChars.count < 3 || eoriChars.count > 17 || !eoriChars.prefix(2).allSatisfy(\.isASCIIUpperLetter)
            || !eoriChars.dropFirst(2).allSatisfy({ $0.isASCIIUpperLetter || $0.isASCIIDigit }) {
            f.fail("eori", localized("Numéro EORI : code pays sur deux lettres puis 15 lettres ou chiffres au plus (ex. FR73282932000074).",
                                     "EORI number: a two-letter country code then at most 15 letters or digits (e.g. FR73282932000074)."))
        }
        let company = text(companyName, "companyName", localized("Raison sociale", "Company name"), max: 200)
        let address = text(self.address, "address", localized("Adresse", "Address"), max: 400)
        let phone = (self.phone ?? "").trimmingCharacters(in: .whitespaces)
        let digits = phone.filter(\.isASCIIDigit).count
        if digits < 6 || digits > 20 || !phone.allSatisfy({ $0.isASCIIDigit || " +.-()".contains($0) }) {
            f.fail("phone", localized("Téléphone : de 6 à 20 chiffres (espaces, points, tirets, + admis).",
                                      "Telephone: 6 to 20 digits (spaces, dots, hyphens and + allowed)."))
        }
        let serviceText = (service ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        let service = OnlineService(rawValue: serviceText)
        if service == nil {
            let services = OnlineService.allCases.map(\.label).joined(separator: ", ")
            f.fail("service", localized("Choisissez le service en ligne en panne (\(services)).", "Choose the online service that is down (\(services))."))
        }
        var switched: Date?
        if let day = ParisDay(text: switchDate ?? ""), let time = ParisTime(text: switchTime ?? "") {
            let d = DispatchMoment(day: day, time: time).date
            if d > now.addingTimeInterval(60) { f.fail("switchDate", localized("Le passage en alerte ne peut pas être dans le futur.",
                                                                               "The switch to alert cannot be in the future.")) }
            else if d < now.addingTimeInterval(-7 * 86_400) { f.fail("switchDate", localized("Le passage en alerte remonte à 7 jours au plus.",
                                                                                             "The switch to alert goes back 7 days at most.")) }
            else { switched = d }
        } else {
            f.fail("switchDate", localized("Date (jj/mm/aaaa) et heure (hh:mm) du passage en alerte requises.",
                                           "Date (dd/mm/yyyy) and time (hh:mm) of the switch to alert required."))
        }
        let reasons = text(self.reasons, "reasons", localized("Raisons de l'auto-déclenchement", "Reasons for the self-trigger"), max: 2_000)
        guard f.errors.isEmpty, let excise, let service, let switched else { throw .invalid(f.errors) }
        return Valid(exciseNumber: excise, eori: eori, companyName: company, address: address, phone: phone, service: service,
                     switchedAt: switched, reasons: reasons)
    }
}
