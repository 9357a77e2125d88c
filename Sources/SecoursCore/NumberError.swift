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

    /// The message shown to users and sent in API errors, in the language of the request.
    public var message: String {
        switch self {
        case .empty:
            return localized("Le numéro est vide.", "The number is empty.")
        case let .wrongLength(expected, actual):
            return localized("Le numéro doit comporter \(expected) caractères (\(actual) saisis).",
                             "The number must have \(expected) characters (\(actual) entered).")
        case let .tooLong(maximum, actual):
            return localized("Le numéro ne doit pas dépasser \(maximum) caractères (\(actual) saisis).",
                             "The number must not exceed \(maximum) characters (\(actual) entered).")
        case let .invalidCharacter(position, found, expected):
            return localized("Caractère « \(found) » invalide en position \(position) : \(expected) attendu.",
                             "Invalid character “\(found)” at position \(position): \(expected) expected.")
        case let .checkDigitMismatch(expected, found):
            return localized("Le caractère de contrôle (21e caractère) ne correspond pas : « \(expected) » attendu, « \(found) » saisi.",
                             "The check character (21st character) does not match: “\(expected)” expected, “\(found)” entered.")
        case let .invalidTypeDigit(found):
            return localized("Le 21e caractère d'un numéro manuel indique le type de document : 1 pour un DAA/DAE, 2 pour un DSA (« \(found) » saisi).",
                             "The 21st character of a manual number gives the document type: 1 for a DAA/DAE, 2 for a DSA (“\(found)” entered).")
        case .sequenceZero:
            return localized("Le numéro de séquence ne peut pas être nul (que des zéros).", "The sequence number cannot be zero (all zeros).")
        case let .missingPrefix(expected):
            return localized("Le numéro doit commencer par « \(expected) ».", "The number must start with “\(expected)”.")
        case let .invalidDate(text):
            return localized("La date « \(text) » contenue dans le numéro n'existe pas.", "The date “\(text)” in the number does not exist.")
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
