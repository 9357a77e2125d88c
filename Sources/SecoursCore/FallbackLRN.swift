/// A GAMMA 2 fallback Local Reference Number (R-NUM-6, seed 000): `PS` + date `AAMMJJ` + the
/// last five alphanumerics of the operator's excise number + a continuous serial number;
/// uppercase alphanumerics only, 22 characters at most.
public struct FallbackLRN: Hashable, Sendable, CustomStringConvertible {
    public static let prefix = "PS"
    public static let maxLength = 22
    /// Digits shown at least, so that numbers of one day sort in order.
    public static let minSerialDigits = 4

    public let value: String
    public let day: ParisDay
    public let operatorSuffix: String
    public let serial: Int

    public var description: String { value }

    public init(day: ParisDay, exciseNumber: ExciseNumber, serial: Int) throws(SecoursError) {
        let s = String(serial)
        let digits = String(repeating: "0", count: max(0, Self.minSerialDigits - s.count)) + s
        let value = Self.prefix + Self.dateText(day) + exciseNumber.lastFive + digits
        guard serial >= 1, value.count <= Self.maxLength else {
            throw SecoursError(kind: .conflict, code: "lrn_serial_exhausted",
                               message: localized("Le numéro de série du LRN de secours dépasse la longueur permise (22 caractères).",
                                                  "The serial number of the fallback LRN exceeds the permitted length (22 characters)."))
        }
        self.value = value
        self.day = day
        self.operatorSuffix = exciseNumber.lastFive
        self.serial = serial
    }

    public init(parsing text: String) throws(NumberError) {
        let text = normalised(text)
        let chars = Array(text)
        if chars.isEmpty { throw .empty }
        if chars.count > Self.maxLength { throw .tooLong(maximum: Self.maxLength, actual: chars.count) }
        guard text.hasPrefix(Self.prefix) else { throw .missingPrefix(expected: Self.prefix) }
        let minimum = 2 + 6 + 5 + 1
        guard chars.count >= minimum else { throw .wrongLength(expected: minimum, actual: chars.count) }
        for i in 2..<8 where !chars[i].isASCIIDigit {
            throw .invalidCharacter(position: i + 1, found: chars[i], expected: localized("un chiffre (date AAMMJJ)", "a digit (date YYMMDD)"))
        }
        let yy = Int(String(chars[2..<4]))!, mm = Int(String(chars[4..<6]))!, dd = Int(String(chars[6..<8]))!
        guard let day = ParisDay(year: 2000 + yy, month: mm, day: dd) else { throw .invalidDate(String(chars[2..<8])) }
        for i in 8..<13 where !(chars[i].isASCIIUpperLetter || chars[i].isASCIIDigit) {
            throw .invalidCharacter(position: i + 1, found: chars[i], expected: localized("une lettre ou un chiffre (fin du numéro d'agrément)",
                                                                                          "a letter or a digit (end of the authorisation number)"))
        }
        for i in 13..<chars.count where !chars[i].isASCIIDigit {
            throw .invalidCharacter(position: i + 1, found: chars[i], expected: localized("un chiffre (numéro de série)", "a digit (serial number)"))
        }
        let serial = Int(String(chars[13...]))!
        if serial == 0 { throw .sequenceZero }
        value = text
        self.day = day
        operatorSuffix = String(chars[8..<13])
        self.serial = serial
    }

    static func dateText(_ day: ParisDay) -> String {
        twoDigits(day.shortYear) + twoDigits(day.month) + twoDigits(day.day)
    }
}
