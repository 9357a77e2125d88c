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
        case .requested: "Demandé au bureau"
        case .open: "Ouvert"
        case .refused: "Refusé"
        case .closed: "Clos"
        }
    }

    /// Requested or open: at most one per excise number and service.
    public var isActive: Bool { self == .requested || self == .open }
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
        let excise = f.exciseNumber(exciseNumber, missing: "Le numéro d'accise est obligatoire.")
        let serviceText = (service ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        let service = serviceText.isEmpty ? OnlineService.gamma : OnlineService(rawValue: serviceText)
        if service == nil { f.fail("service", "Service « \(serviceText) » inconnu (\(OnlineService.allCases.map(\.rawValue).joined(separator: ", ").lowercased())).") }
        let basis = EpisodeBasis(rawValue: (self.basis ?? "").trimmingCharacters(in: .whitespaces))
        if basis == nil || !Self.declarable.contains(basis!) {
            f.fail("basis", "Fondement requis : \(Self.declarable.map(\.rawValue).joined(separator: ", ")) (l'auto-déclenchement passe par une demande d'assistance).")
        }
        let needsReference = basis.map { [.sauDiagnosis, .ediProviderIncident, .alert].contains($0) } ?? false
        let what = basis == .alert ? "de l'alerte" : basis == .sauDiagnosis ? "du diagnostic du SAU" : "de l'incident du prestataire"
        let reference = f.text(self.reference, field: "reference", max: 64, missing: needsReference ? "Indiquez la référence (\(what))." : nil,
                               tooLong: "La référence compte 64 caractères au plus.")
        let reason = f.text(self.reason, field: "reason", max: Self.maxText,
                            missing: basis == .officeAuthorisation ? "Décrivez l'indisponibilité de vos moyens d'accès pour le bureau." : nil,
                            tooLong: "Le texte compte \(Self.maxText) caractères au plus.")
        guard f.errors.isEmpty, let excise, let service, let basis else { throw .invalid(f.errors) }
        return Valid(exciseNumber: excise, service: service, basis: basis, reference: reference.isEmpty ? nil : reference, reason: reason)
    }

    /// A note for an episode's evidence log, or a comment: required or not, bounded.
    public static func note(_ text: String?, field: String = "text", required: Bool) throws(SecoursError) -> String? {
        try FormFields.note(text, field: field, max: maxText, required: required, missing: "Le texte est requis.",
                            tooLong: "Le texte compte \(maxText) caractères au plus.")
    }
}
