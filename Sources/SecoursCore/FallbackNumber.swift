/// A 21-character fallback document number for GAMMA (CRAPS, R-NUM-2/3): year (2 digits),
/// consignor excise number (13), annual sequence (5 digits), then one character that is the ARC
/// check digit for a number made by the service, or the document type digit for a manual one.
public struct FallbackNumber: Hashable, Sendable, CustomStringConvertible {
    public static let length = 21
    public static let maxSequence = 99_999

    public let value: String
    public let year: Int
    public let exciseNumber: ExciseNumber
    public let sequence: Int

    public var description: String { value }
    /// The 21st character.
    public var lastCharacter: Character { value.last! }
    /// Whether the 21st character is the check digit of the first 20 (a generated number).
    public var hasValidCheckDigit: Bool { CheckDigit.isValid(value) }

    private init(value: String, year: Int, exciseNumber: ExciseNumber, sequence: Int) {
        self.value = value
        self.year = year
        self.exciseNumber = exciseNumber
        self.sequence = sequence
    }

    /// The number the service issues: 21st character = check digit.
    public static func generated(year: Int, exciseNumber: ExciseNumber, sequence: Int) throws(SecoursError) -> FallbackNumber {
        let first20 = try prefix(year: year, exciseNumber: exciseNumber, sequence: sequence)
        return .init(value: first20 + String(CheckDigit.compute(first20)), year: year % 100,
                     exciseNumber: exciseNumber, sequence: sequence)
    }

    /// The number an operator makes by hand: 21st character = type digit.
    public static func manual(year: Int, exciseNumber: ExciseNumber, sequence: Int, type: DocumentType) throws(SecoursError) -> FallbackNumber {
        let first20 = try prefix(year: year, exciseNumber: exciseNumber, sequence: sequence)
        return .init(value: first20 + String(type.typeDigit), year: year % 100,
                     exciseNumber: exciseNumber, sequence: sequence)
    }

    private static func prefix(year: Int, exciseNumber: ExciseNumber, sequence: Int) throws(SecoursError) -> String {
        guard (1...maxSequence).contains(sequence) else { throw .sequenceExhausted }
        return twoDigits(year % 100) + exciseNumber.value + fiveDigits(sequence)
    }

    /// Reads any 21-character number of this layout, whatever its last character (a digit).
    public init(parsing text: String) throws(NumberError) {
        let text = normalised(text)
        let chars = Array(text)
        if chars.isEmpty { throw .empty }
        guard chars.count == Self.length else { throw .wrongLength(expected: Self.length, actual: chars.count) }
        for i in 0..<2 where !chars[i].isASCIIDigit {
            throw .invalidCharacter(position: i + 1, found: chars[i], expected: localized("un chiffre (année sur deux chiffres)", "a digit (two-digit year)"))
        }
        try ExciseNumber.validate(Array(chars[2..<15]), offset: 2)
        for i in 15..<20 where !chars[i].isASCIIDigit {
            throw .invalidCharacter(position: i + 1, found: chars[i], expected: localized("un chiffre (numéro de séquence annuel)",
                                                                                          "a digit (annual sequence number)"))
        }
        guard chars[20].isASCIIDigit else {
            throw .invalidCharacter(position: 21, found: chars[20], expected: localized("un chiffre (caractère de contrôle ou type de document)",
                                                                                        "a digit (check character or document type)"))
        }
        let sequence = Int(String(chars[15..<20]))!
        if sequence == 0 { throw .sequenceZero }
        value = text
        year = Int(String(chars[0..<2]))!
        exciseNumber = try ExciseNumber(parsing: String(chars[2..<15]))
        self.sequence = sequence
    }

    /// Reads a number made by the service: the 21st character must be the check digit.
    public init(parsingGenerated text: String) throws(NumberError) {
        try self.init(parsing: text)
        let expected = CheckDigit.compute(value.prefix(20))
        guard expected == lastCharacter else { throw .checkDigitMismatch(expected: expected, found: lastCharacter) }
    }

    /// Reads a manual number (R-NUM-3): the 21st character must be 1 (DAA/DAE) or 2 (DSA).
    public init(parsingManual text: String) throws(NumberError) {
        try self.init(parsing: text)
        guard DocumentType(typeDigit: lastCharacter) != nil else { throw .invalidTypeDigit(found: lastCharacter) }
    }

    /// Year, excise number, sequence and last character: the number as one reads it aloud or
    /// copies it by hand.
    public var groups: [String] {
        let c = Array(value)
        return [String(c[0..<2]), exciseNumber.value, String(c[15..<20]), String(lastCharacter)]
    }

    /// The document type a manual number declares.
    public var manualType: DocumentType? { DocumentType(typeDigit: lastCharacter) }
}

/// The administrative reference code of an e-AD made in GAMMA (21 characters, last one the
/// check digit), recorded when a fallback document is reintegrated (R-GPS-5).
public struct ARC: Hashable, Sendable, CustomStringConvertible {
    public let value: String
    public var description: String { value }

    public init(parsing text: String) throws(NumberError) {
        let text = normalised(text)
        let chars = Array(text)
        if chars.isEmpty { throw .empty }
        guard chars.count == 21 else { throw .wrongLength(expected: 21, actual: chars.count) }
        for i in 0..<2 where !chars[i].isASCIIDigit {
            throw .invalidCharacter(position: i + 1, found: chars[i], expected: localized("un chiffre (année sur deux chiffres)", "a digit (two-digit year)"))
        }
        for i in 2..<4 where !chars[i].isASCIIUpperLetter {
            throw .invalidCharacter(position: i + 1, found: chars[i], expected: localized("une lettre (code de l'État membre)", "a letter (member state code)"))
        }
        for i in 4..<20 where !(chars[i].isASCIIUpperLetter || chars[i].isASCIIDigit) {
            throw .invalidCharacter(position: i + 1, found: chars[i], expected: localized("une lettre ou un chiffre", "a letter or a digit"))
        }
        guard chars[20].isASCIIDigit else {
            throw .invalidCharacter(position: 21, found: chars[20], expected: localized("un chiffre (caractère de contrôle)", "a digit (check character)"))
        }
        let expected = CheckDigit.compute(text.prefix(20))
        guard expected == chars[20] else { throw .checkDigitMismatch(expected: expected, found: chars[20]) }
        value = text
    }
}

func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

func fiveDigits(_ n: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, 5 - s.count)) + s
}
