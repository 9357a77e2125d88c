/// The life of a fallback document (R-DOC-2).
public enum Status: String, Sendable, Codable, CaseIterable {
    /// Covers the movement.
    case active
    /// Not regularised in time: no more legal cover.
    case inactive
    /// Not used, with a reason. Final.
    case cancelled
    /// Regularised in GAMMA. Final.
    case reintegrated

    public var label: String {
        switch self {
        case .active: localized("Actif", "Active")
        case .inactive: localized("Inactif", "Inactive")
        case .cancelled: localized("Annulé", "Cancelled")
        case .reintegrated: localized("Réintégré", "Reintegrated")
        }
    }

    public var isFinal: Bool { self == .cancelled || self == .reintegrated }

    /// The status after `move`, or the reason the move is refused. The only place that knows
    /// which moves are allowed.
    public func applying(_ move: StatusMove) throws(SecoursError) -> Status {
        switch (self, move) {
        case (.active, .cancel): return .cancelled
        case (.active, .reintegrate): return .reintegrated
        case (.active, .inactivate): return .inactive
        case (.inactive, .reactivate): return .active
        case (.inactive, .reintegrate): return .reintegrated
        default: throw .moveRefused(from: self, move: move)
        }
    }
}

public enum StatusMove: String, Sendable, Codable, CaseIterable {
    case cancel
    case reintegrate
    case inactivate
    case reactivate

    /// The infinitive, in the language of the request, for messages ("impossible d'annuler…").
    public var verb: String {
        switch self {
        case .cancel: localized("annuler", "cancel")
        case .reintegrate: localized("réintégrer", "reintegrate")
        case .inactivate: localized("inactiver", "inactivate")
        case .reactivate: localized("réactiver", "reactivate")
        }
    }
}

/// Why an operator does not use a number (R-DOC-3).
public enum CancellationReason: String, Sendable, Codable, CaseIterable {
    case commercialTransactionInterrupted = "commercial-transaction-interrupted"
    case documentError = "document-error"
    case systemRestoredBeforeDispatch = "system-restored-before-dispatch"
    case other

    public var label: String {
        switch self {
        case .commercialTransactionInterrupted: localized("Transaction commerciale interrompue", "Commercial transaction interrupted")
        case .documentError: localized("Erreur sur le document", "Error in the document")
        case .systemRestoredBeforeDispatch: localized("Reprise du système avant expédition des marchandises", "System restored before dispatch of the goods")
        case .other: localized("Autre", "Other")
        }
    }
}

/// Why the office brings an inactive document back to life (R-DOC-4).
public enum ReactivationReason: String, Sendable, Codable, CaseIterable {
    case operatorRecurringTechnicalProblems = "operator-recurring-technical-problems"
    case customsRecurringTechnicalProblems = "customs-recurring-technical-problems"
    case operatorOversight = "operator-oversight"
    case gammaRegularisationFailed = "gamma-regularisation-failed"
    case other

    public var label: String {
        switch self {
        case .operatorRecurringTechnicalProblems: localized("Problèmes techniques récurrents chez l'opérateur", "Recurring technical problems at the operator")
        case .customsRecurringTechnicalProblems: localized("Problèmes techniques récurrents douaniers", "Recurring technical problems at customs")
        case .operatorOversight: localized("Oubli de la part de l'opérateur", "Oversight by the operator")
        case .gammaRegularisationFailed: localized("Échec de la régularisation dans GAMM@", "Regularisation in GAMM@ failed")
        case .other: localized("Autre", "Other")
        }
    }
}

/// A reason with its optional comment; `other` requires a comment (R-DOC-3/4).
public struct ReasonedMove<Reason: RawRepresentable & Sendable>: Sendable where Reason.RawValue == String {
    public let reason: Reason
    public let comment: String?

    public static var maxCommentLength: Int { 500 }

    public init(code: String?, comment: String?) throws(SecoursError) {
        guard let code = code?.trimmingCharacters(in: .whitespacesAndNewlines), !code.isEmpty else {
            throw .invalid(field: "reason", message: localized("Le motif est obligatoire.", "The reason is required."))
        }
        guard let reason = Reason(rawValue: code) else {
            throw .invalid(field: "reason", message: localized("Motif « \(code) » inconnu.", "Unknown reason “\(code)”."))
        }
        let comment = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        let text = (comment?.isEmpty ?? true) ? nil : comment
        if reason.rawValue == "other", text == nil {
            throw .invalid(field: "comment", message: localized("Un commentaire est obligatoire avec le motif « Autre ».",
                                                                "A comment is required with the reason “Other”."))
        }
        if let text, TextInput.length(text) > Self.maxCommentLength {
            throw .invalid(field: "comment", message: localized("Le commentaire ne doit pas dépasser \(Self.maxCommentLength) caractères.",
                                                                "The comment must not exceed \(Self.maxCommentLength) characters."))
        }
        self.reason = reason
        self.comment = text
    }
}

import Foundation
