import Foundation

/// A consignor excise number (SEED): two letters for the member state, then 11 uppercase
/// alphanumerics (R-NUM-1). The French layout inside those 11 is deliberately not checked.
public struct ExciseNumber: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public static let length = 13
    public let value: String

    public init(parsing text: String) throws(NumberError) {
        let text = normalised(text)
        try Self.validate(Array(text), offset: 0)
        value = text
    }

    /// Checks 13 characters that may sit inside a longer number; `offset` makes the reported
    /// positions those of the longer number.
    static func validate(_ chars: [Character], offset: Int) throws(NumberError) {
        if offset == 0 {
            if chars.isEmpty { throw .empty }
            if chars.count != length { throw .wrongLength(expected: length, actual: chars.count) }
        }
        for (i, c) in chars.enumerated() {
            if i < 2 {
                guard c.isASCIIUpperLetter else {
                    throw .invalidCharacter(position: offset + i + 1, found: c, expected: localized("une lettre (code pays du numéro d'accise)",
                                                                                                    "a letter (country code of the excise number)"))
                }
            } else if !(c.isASCIIUpperLetter || c.isASCIIDigit) {
                throw .invalidCharacter(position: offset + i + 1, found: c, expected: localized("une lettre ou un chiffre", "a letter or a digit"))
            }
        }
    }

    /// The last five alphanumeric characters, used in GAMMA 2 fallback LRNs (R-NUM-6).
    public var lastFive: String { String(value.suffix(5)) }
    public var description: String { value }

    public static func < (lhs: ExciseNumber, rhs: ExciseNumber) -> Bool { lhs.value < rhs.value }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}
