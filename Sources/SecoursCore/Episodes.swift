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
        var errors: [SecoursError.FieldError] = []
        var excise: ExciseNumber?
        do { excise = try ExciseNumber(parsing: exciseNumber ?? "") } catch {
            errors.append(.init(field: "exciseNumber", message: "Numéro d'accise : \(error.message)"))
        }
        let serviceText = (service ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        let service = serviceText.isEmpty ? OnlineService.gamma : OnlineService(rawValue: serviceText)
        if service == nil { errors.append(.init(field: "service", message: "Service « \(serviceText) » inconnu (\(OnlineService.allCases.map(\.rawValue).joined(separator: ", ").lowercased()))).")) }
        let basis = EpisodeBasis(rawValue: (self.basis ?? "").trimmingCharacters(in: .whitespaces))
        if basis == nil || !Self.declarable.contains(basis!) {
            errors.append(.init(field: "basis", message: "Fondement requis : \(Self.declarable.map(\.rawValue).joined(separator: ", ")) (l'auto-déclenchement passe par une demande d'assistance)."))
        }
        let reference = reference?.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty
        if let basis, [.sauDiagnosis, .ediProviderIncident, .alert].contains(basis), reference == nil {
            errors.append(.init(field: "reference", message: "Indiquez la référence (\(basis == .alert ? "de l'alerte" : basis == .sauDiagnosis ? "du diagnostic du SAU" : "de l'incident du prestataire")."))
        }
        if let reference, reference.count > 64 { errors.append(.init(field: "reference", message: "La référence compte 64 caractères au plus.")) }
        let reason = (self.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if basis == .officeAuthorisation, reason.isEmpty {
            errors.append(.init(field: "reason", message: "Décrivez l'indisponibilité de vos moyens d'accès pour le bureau."))
        }
        if reason.count > Self.maxText { errors.append(.init(field: "reason", message: "Le texte compte \(Self.maxText) caractères au plus.")) }
        guard errors.isEmpty, let excise, let service, let basis else { throw .invalid(errors) }
        return Valid(exciseNumber: excise, service: service, basis: basis, reference: reference, reason: reason)
    }

    /// A note for an episode's evidence log, or a comment: required or not, bounded.
    public static func note(_ text: String?, field: String = "text", required: Bool) throws(SecoursError) -> String? {
        let t = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty {
            if required { throw .invalid(field: field, message: "Le texte est requis.") }
            return nil
        }
        guard t.count <= maxText else { throw .invalid(field: field, message: "Le texte compte \(maxText) caractères au plus.") }
        return t
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
