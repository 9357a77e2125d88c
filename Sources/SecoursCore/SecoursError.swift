/// An error a user can act on: a stable machine code, a message in the language of the request, the kind of failure
/// (which the server turns into an HTTP status) and, for forms, the message of each field.
public struct SecoursError: Error, Equatable, Sendable {
    public enum Kind: String, Sendable {
        case invalid, malformed, unsupportedMediaType, unauthorized, forbidden, notFound, methodNotAllowed, conflict, tooManyRequests, payloadTooLarge, unavailable, `internal`
    }

    public struct FieldError: Equatable, Sendable, Codable {
        public let field: String
        public let message: String
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public let kind: Kind
    public let code: String
    public let message: String
    public let fields: [FieldError]

    public init(kind: Kind, code: String, message: String, fields: [FieldError] = []) {
        self.kind = kind
        self.code = code
        self.message = message
        self.fields = fields
    }

    /// The message of one field, for inline form errors.
    public func message(for field: String) -> String? {
        fields.first { $0.field == field }?.message
    }
}

extension SecoursError {
    public static func invalid(field: String, message: String) -> SecoursError {
        .init(kind: .invalid, code: "validation_failed", message: message, fields: [.init(field: field, message: message)])
    }

    public static func invalid(_ fields: [FieldError]) -> SecoursError {
        let summary = fields.count == 1 ? fields[0].message : localized("Le formulaire contient \(fields.count) erreurs.",
                                                                        "The form contains \(fields.count) errors.")
        return .init(kind: .invalid, code: "validation_failed", message: summary, fields: fields)
    }

    public static func moveRefused(from status: Status, move: StatusMove) -> SecoursError {
        let why = status.isFinal
            ? localized("le statut « \(status.label) » est définitif", "the status “\(status.label)” is final")
            : localized("ce changement n'est pas permis depuis le statut « \(status.label) »", "this change is not allowed from the status “\(status.label)”")
        return .init(kind: .conflict, code: "status_move_refused",
                     message: localized("Impossible de \(move.verb) ce document : \(why).", "Cannot \(move.verb) this document: \(why)."))
    }

    public static var sequenceExhausted: SecoursError {
        SecoursError(kind: .conflict, code: "sequence_exhausted",
                     message: localized("La séquence annuelle de ce numéro d'accise est épuisée (99999 numéros).",
                                        "The annual sequence of this excise number is exhausted (99999 numbers)."))
    }
}

extension SecoursError {
    /// A write that lost a race the database itself refused (a uniqueness constraint): nothing
    /// was stored.
    public static var concurrentWrite: SecoursError {
        SecoursError(kind: .conflict, code: "concurrent_write",
                     message: localized("Un autre enregistrement vient d'utiliser ce numéro, cette séquence ou cette référence : rien n'a été enregistré. Rechargez et recommencez.",
                                        "Another record has just used this number, sequence or reference: nothing was saved. Reload and try again."))
    }

    /// A manual number or its sequence taken by another document meanwhile.
    public static var numberTaken: SecoursError {
        SecoursError(kind: .conflict, code: "sequence_already_used",
                     message: localized("Ce numéro ou sa séquence annuelle vient d'être utilisé par un autre document : un numéro de secours ne peut être utilisé qu'une fois.",
                                        "This number or its annual sequence has just been used by another document: a fallback number can be used only once."))
    }

    /// A text that holds a control character (U+0000–U+001F other than tab and line breaks,
    /// U+007F–U+009F) or a lone surrogate: refused before anything is read or stored.
    public static func controlCharacter(field: String) -> SecoursError {
        .invalid(field: field, message: localized("Le champ « \(field) » contient un caractère de contrôle ou invalide : retirez-le et recommencez.",
                                                  "The field “\(field)” contains a control or invalid character: remove it and try again."))
    }
}
