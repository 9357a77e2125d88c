/// The EMCS ARC check character (R-NUM-2): each of the first 20 characters gets a value
/// (digits as themselves, letters from A=10 upward skipping multiples of 11), weighted by 2^i
/// from the left; the result is (sum mod 11) mod 10.
public enum CheckDigit {
    /// Value of one character, or nil when it is not an uppercase ASCII letter or digit.
    public static func value(of c: Character) -> Int? {
        guard let a = c.asciiValue else { return nil }
        switch a {
        case 48...57: return Int(a - 48)
        case 65...90: return letterValues[Int(a - 65)]
        default: return nil
        }
    }

    /// A=10 … Z=38, skipping 11, 22 and 33.
    static let letterValues: [Int] = {
        var values: [Int] = []
        var v = 10
        while values.count < 26 {
            if v % 11 != 0 { values.append(v) }
            v += 1
        }
        return values
    }()

    /// The check character for the first 20 characters of an ARC or CRAPS.
    /// - Precondition: `first20` holds exactly 20 uppercase letters or digits.
    public static func compute<S: StringProtocol>(_ first20: S) -> Character {
        precondition(first20.count == 20, "a check digit is computed over 20 characters")
        var sum = 0
        var weight = 1
        for c in first20 {
            guard let v = value(of: c) else { preconditionFailure("character \(c) has no check value") }
            sum += v * weight
            weight <<= 1
        }
        return Character(String((sum % 11) % 10))
    }

    /// Whether a 21-character ARC or generated CRAPS carries a valid check character.
    public static func isValid(_ number: String) -> Bool {
        let chars = Array(number)
        guard chars.count == 21, chars.prefix(20).allSatisfy({ value(of: $0) != nil }) else { return false }
        return compute(String(chars.prefix(20))) == chars[20]
    }
}
