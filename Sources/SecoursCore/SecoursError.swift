/// An error a user can act on: a stable machine code, a French message, the kind of failure
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
        let summary = fields.count == 1 ? fields[0].message : "Le formulaire contient \(fields.count) erreurs."
        return .init(kind: .invalid, code: "validation_failed", message: summary, fields: fields)
    }

    public static func moveRefused(from status: Status, move: StatusMove) -> SecoursError {
        let why = status.isFinal
            ? "le statut « \(status.label) » est définitif"
            : "ce changement n'est pas permis depuis le statut « \(status.label) »"
        return .init(kind: .conflict, code: "status_move_refused",
                     message: "Impossible de \(move.verb) ce document : \(why).")
    }

    public static let sequenceExhausted = SecoursError(
        kind: .conflict, code: "sequence_exhausted",
        message: "La séquence annuelle de ce numéro d'accise est épuisée (99999 numéros).")
}

extension SecoursError {
    /// A write that lost a race the database itself refused (a uniqueness constraint): nothing
    /// was stored.
    public static let concurrentWrite = SecoursError(
        kind: .conflict, code: "concurrent_write",
        message: "Un autre enregistrement vient d'utiliser ce numéro, cette séquence ou cette référence : rien n'a été enregistré. Rechargez et recommencez.")

    /// A manual number or its sequence taken by another document meanwhile.
    public static let numberTaken = SecoursError(
        kind: .conflict, code: "sequence_already_used",
        message: "Ce numéro ou sa séquence annuelle vient d'être utilisé par un autre document : un numéro de secours ne peut être utilisé qu'une fois.")

    /// A text that holds a control character (U+0000–U+001F other than tab and line breaks,
    /// U+007F–U+009F) or a lone surrogate: refused before anything is read or stored.
    public static func controlCharacter(field: String) -> SecoursError {
        .invalid(field: field, message: "Le champ « \(field) » contient un caractère de contrôle ou invalide : retirez-le et recommencez.")
    }
}
