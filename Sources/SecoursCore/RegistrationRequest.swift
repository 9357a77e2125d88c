import Foundation

/// A manual number registered after the goods left (R-GPS-2), as received. `validate` checks
/// the number (R-NUM-3), that its excise part and type digit match the declared ones, and that
/// the dispatch is not in the future.
public struct RegistrationRequest: Sendable, Equatable, Decodable {
    public var number: String?
    public var type: String?
    public var exciseNumber: String?
    public var transport: String?
    public var dispatchDate: String?
    public var dispatchTime: String?

    public init(number: String?, type: String?, exciseNumber: String?, transport: String?, dispatchDate: String?, dispatchTime: String?) {
        self.number = number
        self.type = type
        self.exciseNumber = exciseNumber
        self.transport = transport
        self.dispatchDate = dispatchDate
        self.dispatchTime = dispatchTime
    }

    public struct Valid: Sendable, Equatable {
        public let number: FallbackNumber
        public let type: DocumentType
        public let exciseNumber: ExciseNumber
        public let transport: String
        public let dispatch: DispatchMoment
        /// The four-digit year of the number.
        public var year: Int { 2000 + number.year }
    }

    /// When the goods leave, relative to now.
    public enum Departure: Sendable {
        /// Registration a posteriori: the goods have left (not in the future).
        case departed
        /// A manual number communicated to the office before departure (R-OFF-1): not more than an
        /// hour in the past.
        case upcoming
    }

    public func validate(now: Date, departure: Departure = .departed) throws(SecoursError) -> Valid {
        var f = FormFields()
        var number: FallbackNumber?
        if let n = f.present(self.number) {
            do { number = try FallbackNumber(parsingManual: n) } catch { f.fail("number", "Numéro de secours invalide : \(error.message)") }
        } else {
            f.fail("number", "Le numéro du document à enregistrer est obligatoire (21 caractères).")
        }
        let type = f.type(self.type)
        let excise = f.exciseNumber(exciseNumber)
        let transport = f.transport(self.transport)
        let day = f.day(dispatchDate)
        let time = f.time(dispatchTime)
        if let number, let excise, number.exciseNumber != excise {
            f.fail("number", "Les caractères 3 à 15 du numéro (\(number.exciseNumber)) doivent être le numéro d'accise de l'expéditeur (\(excise)).")
        }
        if let number, let type, let declared = number.manualType, declared != type {
            f.fail("number", "Le 21e caractère du numéro (\(declared.typeDigit)) désigne un \(declared.label), pas un \(type.label).")
        }
        if let day, let time {
            let moment = DispatchMoment(day: day, time: time)
            switch departure {
            case .departed where !moment.isNotAfter(now):
                f.fail("dispatchDate", "La date et l'heure d'expédition ne peuvent pas être dans le futur : on enregistre un départ qui a eu lieu.")
            case .upcoming where moment.date < now.addingTimeInterval(-3600):
                f.fail("dispatchDate", "Le numéro se communique avant le départ : la date et l'heure d'expédition ne peuvent pas être passées depuis plus d'une heure.")
            default: break
            }
        }
        if let number, let day, number.year != day.shortYear, number.year != ParisDay(now).shortYear {
            f.fail("number", "L'année du numéro (\(number.year < 10 ? "0" : "")\(number.year)) ne correspond ni à l'année d'expédition ni à l'année en cours.")
        }
        guard f.errors.isEmpty, let number, let type, let excise, let transport, let day, let time else { throw .invalid(f.errors) }
        return Valid(number: number, type: type, exciseNumber: excise, transport: transport, dispatch: DispatchMoment(day: day, time: time))
    }
}
