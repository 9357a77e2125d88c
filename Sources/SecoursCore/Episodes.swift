import Foundation

/// Where a fallback episode stands (R-DIAG-2).
public enum EpisodeStatus: String, Sendable, Codable, CaseIterable {
    /// Asked of the office, which has an hour to answer.
    case requested
    /// The fallback procedure may be used.
    case open
    /// The office said no.
    case refused
    /// Over: the fault is fixed (or the episode was withdrawn).
    case closed

    public var label: String {
        switch self {
        case .requested: localized("Demandé au bureau", "Requested from the office")
        case .open: localized("Ouvert", "Open")
        case .refused: localized("Refusé", "Refused")
        case .closed: localized("Clos", "Closed")
        }
    }

    /// Requested or open: at most one per excise number and service.
    public var isActive: Bool { self == .requested || self == .open }
}

/// What an episode's evidence log records (append-only, R-DIAG-2).
public enum EpisodeEvent: String, Sendable, Codable, CaseIterable {
    case requested, opened, authorised, refused, openedBySilence = "opened-by-silence", evidence, closed

    public var label: String {
        switch self {
        case .requested: localized("Demande d'autorisation au bureau", "Authorisation request to the office")
        case .opened: localized("Ouverture", "Opening")
        case .authorised: localized("Autorisation du bureau", "Authorisation by the office")
        case .refused: localized("Refus du bureau", "Refusal by the office")
        case .openedBySilence: localized("Ouverture sans réponse du bureau dans l'heure", "Opening without an answer from the office within the hour")
        case .evidence: localized("Pièce ou note", "Document or note")
        case .closed: localized("Clôture", "Closure")
        }
    }
}

/// How an episode begins (R-DIAG-2): a request for the office's authorisation made by the operator
/// waits for the answer (or the delay); everything else — a declaration on a basis the operator
/// holds, an officer's own authorisation — opens at once.
public struct EpisodeStart: Equatable, Sendable {
    public let status: EpisodeStatus
    public let event: EpisodeEvent

    public init(basis: EpisodeBasis, declaredByOffice: Bool) {
        switch (basis, declaredByOffice) {
        case (.officeAuthorisation, false): (status, event) = (.requested, .requested)
        case (.officeAuthorisation, true): (status, event) = (.open, .authorised)
        default: (status, event) = (.open, .opened)
        }
    }
}

/// The moves of an episode once it exists: which statuses each starts from, where it leads, and
/// the line it writes in the evidence log. The stores apply a move as a compare-and-set on
/// `from`, so two concurrent moves cannot both apply.
public enum EpisodeMove: String, Sendable, CaseIterable {
    /// The office did not answer in the delay: the request opens by itself (actor Système).
    case openBySilence
    /// The office authorises the request.
    case authorise
    /// The office refuses the request.
    case refuse
    /// The operator or its office ends the episode (the fault is fixed, or it is withdrawn).
    case end
    /// The self-trigger's assistance request is closed: its episode ends with it.
    case closeWithAssistanceRequest

    public var from: Set<EpisodeStatus> {
        switch self {
        case .openBySilence, .authorise, .refuse: [.requested]
        case .end: [.requested, .open]
        case .closeWithAssistanceRequest: [.open]
        }
    }

    public var to: EpisodeStatus {
        switch self {
        case .openBySilence, .authorise: .open
        case .refuse: .refused
        case .end, .closeWithAssistanceRequest: .closed
        }
    }

    public var event: EpisodeEvent {
        switch self {
        case .openBySilence: .openedBySilence
        case .authorise: .authorised
        case .refuse: .refused
        case .end, .closeWithAssistanceRequest: .closed
        }
    }

    /// The basis the episode rests on after the move, when the move changes it.
    public var basis: EpisodeBasis? { self == .openBySilence ? .officeSilence : nil }

    /// Whether the move starts the fallback (sets its start) or ends the episode (sets its end).
    public var starts: Bool { to == .open }
    public var ends: Bool { !to.isActive }
}

extension EpisodeStatus {
    /// The status after `move`, or the conflict that says why it cannot apply.
    public func applying(_ move: EpisodeMove, basis: EpisodeBasis? = nil) throws(SecoursError) -> EpisodeStatus {
        guard move.from.contains(self) else {
            switch move {
            case .authorise, .refuse, .openBySilence:
                throw SecoursError(kind: .conflict, code: "episode_not_pending", message: Messages.Episodes.notPending(self, bySilence: basis == .officeSilence))
            case .end, .closeWithAssistanceRequest:
                throw SecoursError(kind: .conflict, code: "episode_over", message: Messages.Episodes.over(self))
            }
        }
        return move.to
    }
}

/// An episode as an operator (or an officer for an operator) declares it: the excise number, the
/// service, the basis and its evidence. Office silence is the service's own conclusion and
/// self-triggers come with an assistance request, so neither is declared here.
public struct EpisodeRequest: Decodable, Sendable {
    public var exciseNumber: String?
    public var service: String?
    public var basis: String?
    /// The SAU diagnosis reference, the provider's incident reference, or the alert reference.
    public var reference: String?
    public var reason: String?

    public init(exciseNumber: String?, service: String?, basis: String?, reference: String?, reason: String?) {
        self.exciseNumber = exciseNumber
        self.service = service
        self.basis = basis
        self.reference = reference
        self.reason = reason
    }

    public struct Valid: Sendable {
        public let exciseNumber: ExciseNumber
        public let service: OnlineService
        public let basis: EpisodeBasis
        public let reference: String?
        public let reason: String
    }

    public static let declarable: [EpisodeBasis] = [.officeAuthorisation, .sauDiagnosis, .ediProviderIncident, .alert]
    public static let maxText = 2_000

    public func validate() throws(SecoursError) -> Valid {
        var f = FormFields()
        let excise = f.exciseNumber(exciseNumber, missing: localized("Le numéro d'accise est obligatoire.", "The excise number is required."))
        let serviceText = (service ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        let service = serviceText.isEmpty ? OnlineService.gamma : OnlineService(rawValue: serviceText)
        if service == nil {
            let services = OnlineService.allCases.map(\.rawValue).joined(separator: ", ").lowercased()
            f.fail("service", localized("Service « \(serviceText) » inconnu (\(services)).", "Unknown service “\(serviceText)” (\(services))."))
        }
        let basis = EpisodeBasis(rawValue: (self.basis ?? "").trimmingCharacters(in: .whitespaces))
        if basis == nil || !Self.declarable.contains(basis!) {
            let bases = Self.declarable.map(\.rawValue).joined(separator: ", ")
            f.fail("basis", localized("Fondement requis : \(bases) (l'auto-déclenchement passe par une demande d'assistance).",
                                      "Basis required: \(bases) (a self-trigger goes through an assistance request)."))
        }
        let needsReference = basis.map { [.sauDiagnosis, .ediProviderIncident, .alert].contains($0) } ?? false
        let what = basis == .alert ? localized("de l'alerte", "of the alert")
            : basis == .sauDiagnosis ? localized("du diagnostic du SAU", "of the SAU diagnosis")
            : localized("de l'incident du prestataire", "of the provider's incident")
        let reference = f.text(self.reference, field: "reference", max: 64,
                               missing: needsReference ? localized("Indiquez la référence (\(what)).", "Give the reference (\(what)).") : nil,
                               tooLong: localized("La référence compte 64 caractères au plus.", "The reference has at most 64 characters."))
        let reason = f.text(self.reason, field: "reason", max: Self.maxText,
                            missing: basis == .officeAuthorisation ? localized("Décrivez l'indisponibilité de vos moyens d'accès pour le bureau.",
                                                                               "Describe, for the office, the unavailability of your means of access.") : nil,
                            tooLong: localized("Le texte compte \(Self.maxText) caractères au plus.", "The text has at most \(Self.maxText) characters."))
        guard f.errors.isEmpty, let excise, let service, let basis else { throw .invalid(f.errors) }
        return Valid(exciseNumber: excise, service: service, basis: basis, reference: reference.isEmpty ? nil : reference, reason: reason)
    }

    /// A note for an episode's evidence log, or a comment: required or not, bounded.
    public static func note(_ text: String?, field: String = "text", required: Bool) throws(SecoursError) -> String? {
        try FormFields.note(text, field: field, max: maxText, required: required, missing: localized("Le texte est requis.", "The text is required."),
                            tooLong: localized("Le texte compte \(maxText) caractères au plus.", "The text has at most \(maxText) characters."))
    }
}
