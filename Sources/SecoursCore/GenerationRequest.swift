import Foundation

/// What an operator types to get a fallback number (R-GPS-1), as received: every field may be
/// missing or malformed. `validate` either returns a checked request or every field's error.
public struct GenerationRequest: Sendable, Equatable, Decodable {
    public var type: String?
    public var exciseNumber: String?
    public var transport: String?
    public var dispatchDate: String?
    public var dispatchTime: String?

    public init(type: String?, exciseNumber: String?, transport: String?, dispatchDate: String?, dispatchTime: String?) {
        self.type = type
        self.exciseNumber = exciseNumber
        self.transport = transport
        self.dispatchDate = dispatchDate
        self.dispatchTime = dispatchTime
    }

    public struct Valid: Sendable, Equatable {
        public let type: DocumentType
        public let exciseNumber: ExciseNumber
        public let transport: String
        public let dispatch: DispatchMoment
    }

    public static let maxTransportLength = 35

    public func validate(now: Date) throws(SecoursError) -> Valid {
        var f = FormFields()
        let type = f.type(self.type)
        let excise = f.exciseNumber(exciseNumber)
        let transport = f.transport(self.transport)
        let day = f.day(dispatchDate)
        let time = f.time(dispatchTime)
        if let day, let time {
            let moment = DispatchMoment(day: day, time: time)
            if !moment.isNotBefore(now) {
                if day < ParisDay(now) {
                    f.fail("dispatchDate", "La date d'expédition doit être égale ou postérieure à la date du jour.")
                } else {
                    f.fail("dispatchTime", "L'heure d'expédition doit être égale ou postérieure à l'heure actuelle (\(ParisTime(now).text), heure de Paris).")
                }
            }
        }

        guard f.errors.isEmpty, let type, let excise, let transport, let day, let time else { throw .invalid(f.errors) }
        return Valid(type: type, exciseNumber: excise, transport: transport, dispatch: DispatchMoment(day: day, time: time))
    }
}
