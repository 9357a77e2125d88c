/// The terms of art of the fallback procedure, each with its stable API code and its label in the language of the request.

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
        case .operator: localized("Opérateur", "Operator")
        case .customsOfficer: localized("Douanier", "Customs officer")
        case .ediProvider: localized("Prestataire EDI", "EDI provider")
        case .system: localized("Système", "System")
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
        case .operator: localized("Opérateur", "Operator")
        case .officer: localized("Agent des douanes", "Customs officer")
        case .cid: localized("Centre informatique douanier", "Customs IT centre")
        case .edi: localized("Prestataire EDI", "EDI provider")
        case .system: localized("Système GAMMA", "GAMMA system")
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
        case .prepareDAA: localized("Préparer un DAA", "Prepare a DAA")
        case .prepareDSA: localized("Préparer un DSA", "Prepare a DSA")
        case .issueDAA: localized("Émettre un DAA / DAA secours", "Issue a DAA / fallback DAA")
        case .issueDSA: localized("Émettre un DSA / DSA secours", "Issue a DSA / fallback DSA")
        case .dischargeDAA: localized("Apurer un DAA", "Discharge a DAA")
        case .searchDAA: localized("Rechercher DAA", "Search DAA")
        case .searchDSA: localized("Rechercher DSA", "Search DSA")
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
    /// An offline device revoked, or caught with two journals (R-NUM-8).
    case toolkitDevice = "toolkit-device"

    public var label: String {
        switch self {
        case .toolkitDevice: localized("Poste hors ligne", "Offline computer")
        case .authorisationRequest: localized("Demande d'autorisation", "Authorisation request")
        case .episodeDeclared: localized("Épisode déclaré", "Episode declared")
        case .selfTrigger: localized("Auto-déclenchement", "Self-trigger")
        case .communication: localized("Numéro communiqué", "Number communicated")
        }
    }
}

/// What a history line records.
public enum HistoryAction: String, Sendable, Codable, CaseIterable {
    case creation, registration, importation = "import", cancellation, inactivation, reactivation, reintegration, edit, note

    public var label: String {
        switch self {
        case .creation: localized("Génération", "Generation")
        case .registration: localized("Enregistrement a posteriori", "A posteriori registration")
        case .importation: "Import"
        case .cancellation: localized("Annulation", "Cancellation")
        case .inactivation: "Inactivation"
        case .reactivation: localized("Réactivation", "Reactivation")
        case .reintegration: localized("Réintégration", "Reintegration")
        case .edit: localized("Modification", "Edit")
        case .note: localized("Note du service", "Office note")
        }
    }
}
