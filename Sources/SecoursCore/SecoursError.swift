/// An error a user can act on: a stable machine code, a French message, the kind of failure
/// (which the server turns into an HTTP status) and, for forms, the message of each field.
public struct SecoursError: Error, Equatable, Sendable {
    public enum Kind: String, Sendable {
        case invalid, malformed, unsupportedMediaType, unauthorized, forbidden, notFound, conflict, tooManyRequests, payloadTooLarge, unavailable, `internal`
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
