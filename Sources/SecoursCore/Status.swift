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
        case .active: "Actif"
        case .inactive: "Inactif"
        case .cancelled: "Annulé"
        case .reintegrated: "Réintégré"
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

    /// French infinitive, for messages ("impossible d'annuler…").
    public var verb: String {
        switch self {
        case .cancel: "annuler"
        case .reintegrate: "réintégrer"
        case .inactivate: "inactiver"
        case .reactivate: "réactiver"
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
        case .commercialTransactionInterrupted: "Transaction commerciale interrompue"
        case .documentError: "Erreur sur le document"
        case .systemRestoredBeforeDispatch: "Reprise du système avant expédition des marchandises"
        case .other: "Autre"
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
        case .operatorRecurringTechnicalProblems: "Problèmes techniques récurrents chez l'opérateur"
        case .customsRecurringTechnicalProblems: "Problèmes techniques récurrents douaniers"
        case .operatorOversight: "Oubli de la part de l'opérateur"
        case .gammaRegularisationFailed: "Échec de la régularisation dans GAMM@"
        case .other: "Autre"
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
            throw .invalid(field: "reason", message: "Le motif est obligatoire.")
        }
        guard let reason = Reason(rawValue: code) else {
            throw .invalid(field: "reason", message: "Motif « \(code) » inconnu.")
        }
        let comment = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        let text = (comment?.isEmpty ?? true) ? nil : comment
        if reason.rawValue == "other", text == nil {
            throw .invalid(field: "comment", message: "Un commentaire est obligatoire avec le motif « Autre ».")
        }
        if let text, TextInput.length(text) > Self.maxCommentLength {
            throw .invalid(field: "comment", message: "Le commentaire ne doit pas dépasser \(Self.maxCommentLength) caractères.")
        }
        self.reason = reason
        self.comment = text
    }
}

import Foundation
