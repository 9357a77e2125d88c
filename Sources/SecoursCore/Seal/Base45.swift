/// Base45 (RFC 9285): bytes as text in the 45 characters of a QR code's alphanumeric mode, so
/// that the code stays compact. Two bytes `a`, `b` make `n = a·256 + b`, written as three
/// characters `c d e` with `n = c + d·45 + e·45²`; a last single byte makes two characters.
public enum Base45 {
    /// The alphabet, in value order (RFC 9285 §4, table 1).
    public static let alphabet: [UInt8] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".utf8)

    /// Each ASCII byte's value, or -1 outside the alphabet.
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (value, char) in alphabet.enumerated() { table[Int(char)] = Int8(value) }
        return table
    }()

    public enum DecodingError: Error, Equatable, Sendable {
        /// A character that is not one of the 45, at this 0-based offset in the UTF-8 text.
        case invalidCharacter(offset: Int)
        /// The text's length leaves one character alone at the end (length ≡ 1 mod 3).
        case danglingCharacter
        /// Three characters whose value exceeds 65535, or a final two whose value exceeds 255,
        /// starting at this offset: no bytes encode to them.
        case valueOutOfRange(offset: Int)
    }

    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(input.count / 2 * 3 + 2)
        var i = 0
        while i + 1 < input.count {
            var n = Int(input[i]) << 8 | Int(input[i + 1])
            for _ in 0..<3 {
                out.append(alphabet[n % 45])
                n /= 45
            }
            i += 2
        }
        if i < input.count {
            let n = Int(input[i])
            out.append(alphabet[n % 45])
            out.append(alphabet[n / 45])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(_ text: some StringProtocol) throws(DecodingError) -> [UInt8] {
        let chars = Array(text.utf8)
        var digits: [Int] = []
        digits.reserveCapacity(chars.count)
        for (offset, char) in chars.enumerated() {
            let value = values[Int(char)]
            guard value >= 0 else { throw .invalidCharacter(offset: offset) }
            digits.append(Int(value))
        }
        if digits.count % 3 == 1 { throw .danglingCharacter }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 3 * 2 + 1)
        var i = 0
        while i + 2 < digits.count {
            let n = digits[i] + digits[i + 1] * 45 + digits[i + 2] * 45 * 45
            guard n <= 0xFFFF else { throw .valueOutOfRange(offset: i) }
            out.append(UInt8(n >> 8))
            out.append(UInt8(n & 0xFF))
            i += 3
        }
        if i < digits.count {
            let n = digits[i] + digits[i + 1] * 45
            guard n <= 0xFF else { throw .valueOutOfRange(offset: i) }
            out.append(UInt8(n))
        }
        return out
    }
}
