/// The terms of art of the fallback procedure, each with its stable API code and French label.

/// DAA/DAE (movement under duty suspension) or DSA (duty paid).
public enum DocumentType: String, Sendable, Codable, CaseIterable {
    case dae = "DAE"
    case dsa = "DSA"

    /// Reads `DAE`, `DSA`, and the older name `DAA` for a DAE, in any case.
    public init?(code: String) {
        switch normalised(code) {
        case "DAE", "DAA": self = .dae
        case "DSA": self = .dsa
        default: return nil
        }
    }

    /// The 21st character of a manual number of this type (R-NUM-3).
    public var typeDigit: Character { self == .dae ? "1" : "2" }

    public init?(typeDigit: Character) {
        switch typeDigit {
        case "1": self = .dae
        case "2": self = .dsa
        default: return nil
        }
    }

    public var label: String { self == .dae ? "DAA / DAE" : "DSA" }
}

public enum DocumentKind: String, Sendable, Codable, CaseIterable {
    /// A CRAPS number for GAMMA.
    case craps
    /// A fallback LRN for GAMMA 2.
    case lrn
}

public enum RegistrationMode: String, Sendable, Codable, CaseIterable {
    case normal
    case aPosteriori = "a-posteriori"

    public var label: String { self == .normal ? "normal" : "a posteriori" }
}

public enum ActorType: String, Sendable, Codable, CaseIterable {
    case `operator`
    case customsOfficer = "customs-officer"
    case ediProvider = "edi-provider"
    case system

    public var label: String {
        switch self {
        case .operator: "Opérateur"
        case .customsOfficer: "Douanier"
        case .ediProvider: "Prestataire EDI"
        case .system: "Système"
        }
    }
}

/// How an excise number exchanges with GAMMA (R-ACC-1).
public enum TransmissionMode: String, Sendable, Codable, CaseIterable {
    case dti = "DTI"
    case dtiPlus = "DTI+"
    case edi = "EDI"
}

/// The kind of account (R-ACC-2/3).
public enum Role: String, Sendable, Codable, CaseIterable {
    /// An economic operator's employee, with rights per excise number.
    case `operator`
    /// A customs officer of one office, acting for the operators attached to it.
    case officer
    /// The customs IT centre: administers offices, companies, accounts and alerts.
    case cid
    /// An EDI service provider acting for its client operators through API tokens.
    case edi
    /// The GAMMA system reporting reintegrations.
    case system

    /// Who the history says acted when an account of this role does something.
    public var actorType: ActorType {
        switch self {
        case .operator: .operator
        case .officer, .cid: .customsOfficer
        case .edi: .ediProvider
        case .system: .system
        }
    }

    public var label: String {
        switch self {
        case .operator: "Opérateur"
        case .officer: "Agent des douanes"
        case .cid: "Centre informatique douanier"
        case .edi: "Prestataire EDI"
        case .system: "Système GAMMA"
        }
    }
}

/// The seven rights an account can hold on an excise number (R-ACC-2, seed 004).
public enum Right: String, Sendable, Codable, CaseIterable, Comparable {
    case prepareDAA = "prepare-daa"
    case prepareDSA = "prepare-dsa"
    case issueDAA = "issue-daa"
    case issueDSA = "issue-dsa"
    case dischargeDAA = "discharge-daa"
    case searchDAA = "search-daa"
    case searchDSA = "search-dsa"

    public var label: String {
        switch self {
        case .prepareDAA: "Préparer un DAA"
        case .prepareDSA: "Préparer un DSA"
        case .issueDAA: "Émettre un DAA / DAA secours"
        case .issueDSA: "Émettre un DSA / DSA secours"
        case .dischargeDAA: "Apurer un DAA"
        case .searchDAA: "Rechercher DAA"
        case .searchDSA: "Rechercher DSA"
        }
    }

    /// Needed to generate, register or cancel a document of this type.
    public static func issue(_ type: DocumentType) -> Right { type == .dae ? .issueDAA : .issueDSA }
    /// Needed to see documents of this type.
    public static func search(_ type: DocumentType) -> Right { type == .dae ? .searchDAA : .searchDSA }

    public static func < (lhs: Right, rhs: Right) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What an office's console shows as news (R-OFF-1).
public enum OfficeNoticeKind: String, Sendable, Codable, CaseIterable {
    case authorisationRequest = "authorisation-request"
    case episodeDeclared = "episode-declared"
    case selfTrigger = "self-trigger"
    case communication

    public var label: String {
        switch self {
        case .authorisationRequest: "Demande d'autorisation"
        case .episodeDeclared: "Épisode déclaré"
        case .selfTrigger: "Auto-déclenchement"
        case .communication: "Numéro communiqué"
        }
    }
}

/// What a history line records.
public enum HistoryAction: String, Sendable, Codable, CaseIterable {
    case creation, registration, importation = "import", cancellation, inactivation, reactivation, reintegration, edit, note

    public var label: String {
        switch self {
        case .creation: "Génération"
        case .registration: "Enregistrement a posteriori"
        case .importation: "Import"
        case .cancellation: "Annulation"
        case .inactivation: "Inactivation"
        case .reactivation: "Réactivation"
        case .reintegration: "Réintégration"
        case .edit: "Modification"
        case .note: "Note du service"
        }
    }
}
