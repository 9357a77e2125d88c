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

    /// The mention the seeds require in the request.
    public static let mention = "auto-déclenchement de la procédure de secours"

    public func validate(now: Date) throws(SecoursError) -> Valid {
        var f = FormFields()
        func text(_ v: String?, _ field: String, _ label: String, max: Int) -> String {
            f.text(v, field: field, max: max, missing: "\(label) : requis.", tooLong: "\(label) : \(max) caractères au plus.")
        }
        let excise = f.exciseNumber(exciseNumber, missing: "Le numéro d'accise est obligatoire.")
        let eori = (self.eori ?? "").replacingOccurrences(of: " ", with: "").uppercased()
        let eoriChars = Array(eori)
        if eoriChars.count < 3 || eoriChars.count > 17 || !eoriChars.prefix(2).allSatisfy(\.isASCIIUpperLetter)
            || !eoriChars.dropFirst(2).allSatisfy({ $0.isASCIIUpperLetter || $0.isASCIIDigit }) {
            f.fail("eori", "Numéro EORI : code pays sur deux lettres puis 15 lettres ou chiffres au plus (ex. FR73282932000074).")
        }
        let company = text(companyName, "companyName", "Raison sociale", max: 200)
        let address = text(self.address, "address", "Adresse", max: 400)
        let phone = (self.phone ?? "").trimmingCharacters(in: .whitespaces)
        let digits = phone.filter(\.isASCIIDigit).count
        if digits < 6 || digits > 20 || !phone.allSatisfy({ $0.isASCIIDigit || " +.-()".contains($0) }) {
            f.fail("phone", "Téléphone : de 6 à 20 chiffres (espaces, points, tirets, + admis).")
        }
        let serviceText = (service ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        let service = OnlineService(rawValue: serviceText)
        if service == nil { f.fail("service", "Choisissez le service en ligne en panne (\(OnlineService.allCases.map(\.label).joined(separator: ", "))).") }
        var switched: Date?
        if let day = ParisDay(text: switchDate ?? ""), let time = ParisTime(text: switchTime ?? "") {
            let d = DispatchMoment(day: day, time: time).date
            if d > now.addingTimeInterval(60) { f.fail("switchDate", "Le passage en alerte ne peut pas être dans le futur.") }
            else if d < now.addingTimeInterval(-7 * 86_400) { f.fail("switchDate", "Le passage en alerte remonte à 7 jours au plus.") }
            else { switched = d }
        } else {
            f.fail("switchDate", "Date (jj/mm/aaaa) et heure (hh:mm) du passage en alerte requises.")
        }
        let reasons = text(self.reasons, "reasons", "Raisons de l'auto-déclenchement", max: 2_000)
        guard f.errors.isEmpty, let excise, let service, let switched else { throw .invalid(f.errors) }
        return Valid(exciseNumber: excise, eori: eori, companyName: company, address: address, phone: phone, service: service,
                     switchedAt: switched, reasons: reasons)
    }
}
