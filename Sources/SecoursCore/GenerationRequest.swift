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
    /// How far ahead a dispatch may be planned: a fallback number covers a movement of the
    /// outage, not one of next year (a typing slip such as 31/12/2099 is refused).
    public static let maxDaysAhead = 30

    /// The web form prefills the time with the current minute. A person who leaves it as it was
    /// means « now »: when the minute has passed while they typed, the time of sending is used
    /// instead of refusing a form that was right when it was shown. A time they changed is theirs.
    public func keepingDefaultTime(_ prefilled: String?, now: Date) -> GenerationRequest {
        guard let prefilled, let sent = dispatchTime?.trimmingCharacters(in: .whitespaces), sent == prefilled,
              let day = dispatchDate.flatMap({ ParisDay(text: $0.trimmingCharacters(in: .whitespaces)) }), day == ParisDay(now),
              let time = ParisTime(text: sent), time < ParisTime(now) else { return self }
        var kept = self
        kept.dispatchTime = ParisTime(now).text
        return kept
    }

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
                    f.fail("dispatchDate", localized("La date d'expédition doit être égale ou postérieure à la date du jour.",
                                                     "The dispatch date must be today or later."))
                } else {
                    f.fail("dispatchTime", localized("L'heure d'expédition doit être égale ou postérieure à l'heure actuelle (\(ParisTime(now).text), heure de Paris).",
                                                     "The dispatch time must be the current time or later (\(ParisTime(now).text), Paris time)."))
                }
            } else if case let latest = ParisDay(now.addingTimeInterval(Double(Self.maxDaysAhead) * 86_400)), day > latest {
                f.fail("dispatchDate", Messages.Documents.dispatchTooFar(days: Self.maxDaysAhead, latest: latest.french))
            }
        }

        guard f.errors.isEmpty, let type, let excise, let transport, let day, let time else { throw .invalid(f.errors) }
        return Valid(type: type, exciseNumber: excise, transport: transport, dispatch: DispatchMoment(day: day, time: time))
    }
}
