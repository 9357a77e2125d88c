/// Why a number could not be read. Every case names the rule that failed and, where it makes
/// sense, the 1-based position of the offending character, so a user can fix a typo at once.
public enum NumberError: Error, Equatable, Sendable {
    case empty
    case wrongLength(expected: Int, actual: Int)
    case tooLong(maximum: Int, actual: Int)
    /// A character that is not allowed at this position (`expected` says what is).
    case invalidCharacter(position: Int, found: Character, expected: String)
    /// The check digit of a generated number does not match its first 20 characters.
    case checkDigitMismatch(expected: Character, found: Character)
    /// The 21st character of a manual number is not a document type digit (1 or 2).
    case invalidTypeDigit(found: Character)
    case sequenceZero
    case missingPrefix(expected: String)
    case invalidDate(String)

    /// The French message shown to users and sent in API errors.
    public var message: String {
        switch self {
        case .empty:
            return "Le numéro est vide."
        case let .wrongLength(expected, actual):
            return "Le numéro doit comporter \(expected) caractères (\(actual) saisis)."
        case let .tooLong(maximum, actual):
            return "Le numéro ne doit pas dépasser \(maximum) caractères (\(actual) saisis)."
        case let .invalidCharacter(position, found, expected):
            return "Caractère « \(found) » invalide en position \(position) : \(expected) attendu."
        case let .checkDigitMismatch(expected, found):
            return "Le caractère de contrôle (21e caractère) ne correspond pas : « \(expected) » attendu, « \(found) » saisi."
        case let .invalidTypeDigit(found):
            return "Le 21e caractère d'un numéro manuel indique le type de document : 1 pour un DAA/DAE, 2 pour un DSA (« \(found) » saisi)."
        case .sequenceZero:
            return "Le numéro de séquence ne peut pas être nul (que des zéros)."
        case let .missingPrefix(expected):
            return "Le numéro doit commencer par « \(expected) »."
        case let .invalidDate(text):
            return "La date « \(text) » contenue dans le numéro n'existe pas."
        }
    }
}

/// Trims surrounding white space and upper-cases: the only normalisation R-NUM-7 allows.
@inlinable
func normalised(_ text: String) -> String {
    text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
}

extension Character {
    @usableFromInline var isASCIIUpperLetter: Bool {
        guard let a = asciiValue else { return false }
        return a >= 65 && a <= 90
    }
    @usableFromInline var isASCIIDigit: Bool {
        guard let a = asciiValue else { return false }
        return a >= 48 && a <= 57
    }
}

import Foundation
