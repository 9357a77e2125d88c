/// A search of fallback documents (R-GPS-8): any combination of criteria, each `field=op:value`,
/// with the comparators the seeds give each field, plus sorting and paging. Parsing checks
/// every part and says precisely what is wrong.
public struct SearchQuery: Sendable, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case number, exciseNumber, transport, dispatchDate, registrationDate
        case status, actorType, type, registrationMode, cancellationReason, reactivationReason
        /// CRAPS number (GAMMA) or LRN (GAMMA 2).
        case kind

        public var column: String {
            switch self {
            case .number: "number"
            case .exciseNumber: "excise_number"
            case .transport: "transport"
            case .dispatchDate: "dispatch_date"
            case .registrationDate: "registration_date"
            case .status: "status"
            case .actorType: "actor_type"
            case .type: "type"
            case .registrationMode: "registration_mode"
            case .cancellationReason: "cancellation_reason"
            case .reactivationReason: "reactivation_reason"
            case .kind: "kind"
            }
        }

        /// The comparators of the seeds' search table.
        public var operators: [Operator] {
            switch self {
            case .number, .exciseNumber, .transport: [.eq, .starts, .ends, .contains]
            case .dispatchDate, .registrationDate: [.eq, .before, .after]
            default: [.eq]
            }
        }

        public var label: String {
            switch self {
            case .number: localized("Numéro de document", "Document number")
            case .exciseNumber: localized("Numéro d'accise de l'expéditeur", "Consignor's excise number")
            case .transport: localized("Immatriculation transport", "Transport registration plate")
            case .dispatchDate: localized("Date d'expédition", "Dispatch date")
            case .registrationDate: localized("Date d'enregistrement", "Registration date")
            case .status: localized("Statut", "Status")
            case .actorType: localized("Type acteur", "Actor type")
            case .type: localized("Type de document", "Document type")
            case .registrationMode: localized("Mode d'enregistrement", "Registration mode")
            case .cancellationReason: localized("Motif d'annulation", "Cancellation reason")
            case .reactivationReason: localized("Motif de réactivation", "Reactivation reason")
            case .kind: localized("Nature du numéro", "Kind of number")
            }
        }

        /// The allowed values of a list field, with their labels.
        public var choices: [(code: String, label: String)]? {
            switch self {
            case .status: Status.allCases.map { ($0.rawValue, $0.label) }
            case .actorType: ActorType.allCases.map { ($0.rawValue, $0.label) }
            case .type: DocumentType.allCases.map { ($0.rawValue, $0.rawValue) }
            case .registrationMode: RegistrationMode.allCases.map { ($0.rawValue, $0.label) }
            case .cancellationReason: CancellationReason.allCases.map { ($0.rawValue, $0.label) }
            case .reactivationReason: ReactivationReason.allCases.map { ($0.rawValue, $0.label) }
            case .kind: DocumentKind.allCases.map { ($0.rawValue, $0.label) }
            default: nil
            }
        }
    }

    public enum Operator: String, Sendable, CaseIterable {
        case eq, starts, ends, contains, before, after

        public var label: String {
            switch self {
            case .eq: localized("égal à", "equal to")
            case .starts: localized("commence par", "starts with")
            case .ends: localized("finit par", "ends with")
            case .contains: localized("contient", "contains")
            case .before: localized("avant", "before")
            case .after: localized("après", "after")
            }
        }
    }

    public struct Criterion: Sendable, Equatable {
        public let field: Field
        public let op: Operator
        /// Normalised: uppercase numbers, `YYYY-MM-DD` dates, codes for list fields.
        public let value: String
    }

    public enum SortKey: String, Sendable, CaseIterable {
        case registeredAt, number, exciseNumber, dispatchDate, registrationDate, status, type

        public var column: String {
            switch self {
            case .registeredAt: "registered_at"
            case .number: "number"
            case .exciseNumber: "excise_number"
            case .dispatchDate: "dispatch_date"
            case .registrationDate: "registration_date"
            case .status: "status"
            case .type: "type"
            }
        }
    }

    public static let maxPerPage = 500
    public static let defaultPerPage = 50

    public var criteria: [Criterion] = []
    public var sort: SortKey = .registeredAt
    public var descending = true
    public var page = 1
    public var perPage = SearchQuery.defaultPerPage

    public init() {}

    /// The answer's format, when the caller chose one (`format=`); otherwise the `Accept` header decides.
    public enum Format: String, Sendable, CaseIterable {
        case json, csv
    }

    public var format: Format?

    /// Reads query parameters: the criteria among `criteria`, and `sort`, `page`, `perPage` and
    /// `format`. Any other name is an error, so a typo never silently widens a search; a blank value
    /// is "not given" on a page's form and an error through the API (`QuerySource`).
    public static func parse(_ parameters: [(name: String, value: String)], from source: QuerySource = .form,
                             criteria: [Field] = Field.allCases) throws(SecoursError) -> SearchQuery {
        let known = ["sort", "page", "perPage", "format"] + criteria.map(\.rawValue)
        var q = SearchQuery()
        var errors: [SecoursError.FieldError] = []
        for (name, raw) in try source.read(parameters, known: known) {
            let value = raw.trimmingCharacters(in: .whitespaces)
            switch name {
            case "sort":
                let desc = value.hasPrefix("-")
                guard let key = SortKey(rawValue: desc ? String(value.dropFirst()) : value) else {
                    let keys = SortKey.allCases.map(\.rawValue).joined(separator: ", ")
                    errors.append(.init(field: "sort", message: localized("Tri « \(value) » inconnu : \(keys), précédé de « - » pour l'ordre décroissant.",
                                                                          "Unknown sort “\(value)”: \(keys), preceded by “-” for descending order.")))
                    continue
                }
                q.sort = key
                q.descending = desc
            case "page":
                guard let n = Int(value), n >= 1, n <= 1_000_000 else {
                    errors.append(.init(field: "page", message: localized("La page doit être un entier positif.", "The page must be a positive integer.")))
                    continue
                }
                q.page = n
            case "perPage":
                guard let n = Int(value), (1...maxPerPage).contains(n) else {
                    errors.append(.init(field: "perPage", message: localized("Le nombre de résultats par page doit être compris entre 1 et \(maxPerPage).",
                                                                             "The number of results per page must be between 1 and \(maxPerPage).")))
                    continue
                }
                q.perPage = n
            case "format":
                guard let f = Format(rawValue: value) else {
                    let formats = Format.allCases.map(\.rawValue)
                    errors.append(.init(field: "format", message: localized("Format « \(value) » inconnu : \(formats.joined(separator: " ou ")).",
                                                                            "Unknown format “\(value)”: \(formats.joined(separator: " or ")).")))
                    continue
                }
                q.format = f
            default:
                // `read` kept only known names: this one is a criterion.
                guard let field = Field(rawValue: name) else { continue }
                do { q.criteria.append(try criterion(field, value)) } catch { errors.append(contentsOf: error.fields) }
            }
        }
        guard errors.isEmpty else { throw .invalid(errors) }
        return q
    }

    /// `op:value`, or a bare value meaning `eq`.
    public static func criterion(_ field: Field, _ text: String) throws(SecoursError) -> Criterion {
        var op = Operator.eq
        var value = text
        if let colon = text.firstIndex(of: ":"), let o = Operator(rawValue: String(text[..<colon])) {
            op = o
            value = String(text[text.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        }
        guard field.operators.contains(op) else {
            let possible = field.operators.map(\.label).joined(separator: ", ")
            throw .invalid(field: field.rawValue, message: localized("« \(op.label) » ne s'applique pas au critère « \(field.label) » (possibles : \(possible)).",
                                                                     "“\(op.label)” does not apply to the criterion “\(field.label)” (possible: \(possible))."))
        }
        guard !value.isEmpty else { throw .invalid(field: field.rawValue, message: localized("Valeur manquante pour « \(field.label) ».",
                                                                                             "Missing value for “\(field.label)”.")) }
        guard TextInput.length(value) <= 64 else { throw .invalid(field: field.rawValue, message: localized("Valeur trop longue pour « \(field.label) ».",
                                                                                                            "Value too long for “\(field.label)”.")) }
        switch field {
        case .number, .exciseNumber:
            let v = value.uppercased()
            guard v.allSatisfy({ $0.isASCIIUpperLetter || $0.isASCIIDigit }) else {
                throw .invalid(field: field.rawValue, message: localized("« \(field.label) » ne contient que des lettres et des chiffres.",
                                                                         "“\(field.label)” contains only letters and digits."))
            }
            return Criterion(field: field, op: op, value: v)
        case .transport:
            return Criterion(field: field, op: op, value: value.uppercased())
        case .dispatchDate, .registrationDate:
            guard let day = ParisDay(text: value) else {
                throw .invalid(field: field.rawValue, message: localized("« \(field.label) » : date invalide (jj/mm/aaaa ou aaaa-mm-jj).",
                                                                         "“\(field.label)”: invalid date (dd/mm/yyyy or yyyy-mm-dd)."))
            }
            return Criterion(field: field, op: op, value: day.iso)
        default:
            let code = field == .type ? (DocumentType(code: value)?.rawValue ?? value) : value
            guard field.choices?.contains(where: { $0.code == code }) == true else {
                let possible = field.choices!.map(\.code).joined(separator: ", ")
                throw .invalid(field: field.rawValue, message: localized("Valeur « \(value) » inconnue pour « \(field.label) » (possibles : \(possible)).",
                                                                         "Unknown value “\(value)” for “\(field.label)” (possible: \(possible))."))
            }
            return Criterion(field: field, op: op, value: code)
        }
    }
}
