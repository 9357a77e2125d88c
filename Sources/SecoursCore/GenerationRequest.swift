import Foundation

/// What an operator types to get a fallback number (R-GPS-1), as received: every field may be
/// missing or malformed. `validate` either returns a checked request or every field's error.
public struct GenerationRequest: Sendable, Equatable {
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
        var errors: [SecoursError.FieldError] = []
        func fail(_ field: String, _ message: String) { errors.append(.init(field: field, message: message)) }
        func present(_ s: String?) -> String? {
            guard let t = s?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
            return t
        }

        var type: DocumentType?
        if let t = present(self.type) {
            type = DocumentType(code: t)
            if type == nil { fail("type", "Le type de document doit être DAA (DAE) ou DSA.") }
        } else {
            fail("type", "Le type de document est obligatoire (DAA ou DSA).")
        }

        var excise: ExciseNumber?
        if let e = present(exciseNumber) {
            do { excise = try ExciseNumber(parsing: e) } catch { fail("exciseNumber", "Numéro d'accise invalide : \(error.message)") }
        } else {
            fail("exciseNumber", "Le numéro d'accise de l'expéditeur est obligatoire.")
        }

        let transport = Self.validTransport(self.transport, fail: fail)

        var day: ParisDay?
        if let d = present(dispatchDate) {
            day = ParisDay(text: d)
            if day == nil { fail("dispatchDate", "La date d'expédition doit être une date valide au format jj/mm/aaaa.") }
        } else {
            fail("dispatchDate", "La date d'expédition est obligatoire.")
        }
        var time: ParisTime?
        if let t = present(dispatchTime) {
            time = ParisTime(text: t)
            if time == nil { fail("dispatchTime", "L'heure d'expédition doit être une heure valide au format hh:mm.") }
        } else {
            fail("dispatchTime", "L'heure d'expédition est obligatoire.")
        }
        if let day, let time {
            let moment = DispatchMoment(day: day, time: time)
            if !moment.isNotBefore(now) {
                if day < ParisDay(now) {
                    fail("dispatchDate", "La date d'expédition doit être égale ou postérieure à la date du jour.")
                } else {
                    fail("dispatchTime", "L'heure d'expédition doit être égale ou postérieure à l'heure actuelle (\(ParisTime(now).text), heure de Paris).")
                }
            }
        }

        guard errors.isEmpty, let type, let excise, let transport, let day, let time else { throw .invalid(errors) }
        return Valid(type: type, exciseNumber: excise, transport: transport, dispatch: DispatchMoment(day: day, time: time))
    }

    /// The registration of the first means of transport: free text, but printable and short
    /// enough to fit the paper form's box.
    static func validTransport(_ text: String?, fail: (String, String) -> Void) -> String? {
        guard let t = text?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else {
            fail("transport", "L'immatriculation du premier moyen de transport est obligatoire.")
            return nil
        }
        if t.count > maxTransportLength {
            fail("transport", "L'immatriculation ne doit pas dépasser \(maxTransportLength) caractères.")
            return nil
        }
        if t.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) {
            fail("transport", "L'immatriculation contient des caractères de contrôle.")
            return nil
        }
        return t
    }
}
