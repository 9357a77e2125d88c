import Foundation

/// A manual number or a GAMMA 2 fallback LRN registered after the goods left (R-GPS-2), or
/// communicated to the office before they leave (R-OFF-1), as received. `validate` checks the
/// number (R-NUM-3 or R-NUM-6), that it matches the declared excise number (and, for a manual
/// number, the type), and the dispatch moment.
///
/// An LRN carries no type: the declared one is the document's. Its date part is the day the
/// paper document was drawn up, which must be a real day, not in the future, and the dispatch
/// day: the operator makes the LRN when the goods leave (seed 000), as `secours lrn` does.
public struct RegistrationRequest: Sendable, Equatable, Decodable {
    public var number: String?
    public var type: String?
    public var exciseNumber: String?
    public var transport: String?
    public var dispatchDate: String?
    public var dispatchTime: String?
    /// R-NUM-9: the caller confirms a number far beyond the last one used (`SequenceJump`).
    public var confirmJump: Bool?

    public init(number: String?, type: String?, exciseNumber: String?, transport: String?, dispatchDate: String?, dispatchTime: String?,
                confirmJump: Bool? = nil) {
        self.number = number
        self.type = type
        self.exciseNumber = exciseNumber
        self.transport = transport
        self.dispatchDate = dispatchDate
        self.dispatchTime = dispatchTime
        self.confirmJump = confirmJump
    }

    public struct Valid: Sendable, Equatable {
        public let number: FallbackDocumentNumber
        public let type: DocumentType
        public let exciseNumber: ExciseNumber
        public let transport: String
        public let dispatch: DispatchMoment
        /// The caller confirmed a number far beyond the last one used (R-NUM-9).
        public var confirmedJump = false
        /// The four-digit year of the number (for an LRN, of its date part).
        public var year: Int { number.year }
        public var kind: DocumentKind { number.kind }
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
        var number: FallbackDocumentNumber?
        if let n = f.present(self.number) {
            do { number = try FallbackDocumentNumber(parsingManual: n) } catch {
                f.fail("number", FallbackDocumentNumber.kind(of: n) == .lrn
                       ? localized("LRN de secours invalide : \(error.message)", "Invalid fallback LRN: \(error.message)")
                       : localized("Numéro de secours invalide : \(error.message)", "Invalid fallback number: \(error.message)"))
            }
        } else {
            f.fail("number", localized("Le numéro du document à enregistrer est obligatoire (numéro de secours de 21 caractères, ou LRN de secours GAMMA 2 commençant par PS).",
                                       "The number of the document to register is required (a 21-character fallback number, or a GAMMA 2 fallback LRN starting with PS)."))
        }
        let type = f.type(self.type)
        let excise = f.exciseNumber(exciseNumber)
        let transport = f.transport(self.transport)
        let day = f.day(dispatchDate)
        let time = f.time(dispatchTime)
        let today = ParisDay(now)
        switch number {
        case let .craps(number)?:
            if let excise, number.exciseNumber != excise {
                f.fail("number", localized("Les caractères 3 à 15 du numéro (\(number.exciseNumber)) doivent être le numéro d'accise de l'expéditeur (\(excise)).",
                                           "Characters 3 to 15 of the number (\(number.exciseNumber)) must be the consignor's excise number (\(excise))."))
            }
            if let type, let declared = number.manualType, declared != type {
                f.fail("number", localized("Le 21e caractère du numéro (\(declared.typeDigit)) désigne un \(declared.label), pas un \(type.label).",
                                           "The 21st character of the number (\(declared.typeDigit)) denotes a \(declared.label), not a \(type.label)."))
            }
        case let .lrn(lrn)?:
            if let excise, lrn.operatorSuffix != excise.lastFive {
                f.fail("number", localized("Les caractères 9 à 13 du LRN (\(lrn.operatorSuffix)) doivent être les cinq derniers caractères du numéro d'accise de l'expéditeur (\(excise.lastFive) pour \(excise)).",
                                           "Characters 9 to 13 of the LRN (\(lrn.operatorSuffix)) must be the last five characters of the consignor's excise number (\(excise.lastFive) for \(excise))."))
            }
            if lrn.day > today {
                f.fail("number", localized("La date du LRN (caractères 3 à 8 : \(lrn.day.french)) est dans le futur : un LRN de secours porte la date du jour où il est établi.",
                                           "The date of the LRN (characters 3 to 8: \(lrn.day.french)) is in the future: a fallback LRN bears the date of the day it is drawn up."))
            } else if let day, day != lrn.day {
                f.fail("dispatchDate", localized("La date d'expédition (\(day.french)) doit être celle du LRN (caractères 3 à 8 : \(lrn.day.french)) : le LRN de secours porte la date du départ.",
                                                 "The dispatch date (\(day.french)) must be that of the LRN (characters 3 to 8: \(lrn.day.french)): the fallback LRN bears the date of departure."))
            }
        case nil:
            break
        }
        if let day, let time {
            let moment = DispatchMoment(day: day, time: time)
            switch departure {
            case .departed where !moment.isNotAfter(now):
                f.fail("dispatchDate", localized("La date et l'heure d'expédition ne peuvent pas être dans le futur : on enregistre un départ qui a eu lieu.",
                                                 "The dispatch date and time cannot be in the future: a registration records a departure that has taken place."))
            case .upcoming where moment.date < now.addingTimeInterval(-3600):
                f.fail("dispatchDate", localized("Le numéro se communique avant le départ : la date et l'heure d'expédition ne peuvent pas être passées depuis plus d'une heure.",
                                                 "The number is communicated before departure: the dispatch date and time cannot be more than an hour in the past."))
            default: break
            }
        }
        if case let .craps(craps)? = number, let day, craps.year != day.shortYear, craps.year != today.shortYear {
            let year = (craps.year < 10 ? "0" : "") + String(craps.year)
            f.fail("number", localized("L'année du numéro (\(year)) ne correspond ni à l'année d'expédition ni à l'année en cours.",
                                       "The year of the number (\(year)) matches neither the dispatch year nor the current year."))
        }
        guard f.errors.isEmpty, let number, let type, let excise, let transport, let day, let time else { throw .invalid(f.errors) }
        var valid = Valid(number: number, type: type, exciseNumber: excise, transport: transport, dispatch: DispatchMoment(day: day, time: time))
        valid.confirmedJump = confirmJump == true
        return valid
    }
}
