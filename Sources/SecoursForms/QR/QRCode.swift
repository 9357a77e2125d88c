/// A QR code symbol (ISO/IEC 18004:2015, model 2), so that a fallback form can carry its signed
/// content in a code any phone or scanner reads, with no library outside the project.
///
/// The text goes in one segment: alphanumeric mode when every character is one of the 45 it
/// knows (digits, capitals, space and `$%*+-./:`), which makes Base45 payloads about 30 %
/// smaller than bytes; otherwise bytes, as UTF-8 without an ECI header (common readers, zbar
/// and ZXing among them, take bytes that are valid UTF-8 as UTF-8, and some readers do not
/// understand ECI).
public struct QRCode: Sendable, Equatable {
    /// How much of the symbol may be lost and still read: about 7 % (L), 15 % (M), 25 % (Q),
    /// 30 % (H). Each step costs capacity, so a larger symbol.
    public enum Level: Int, Sendable, CaseIterable, Comparable {
        case low = 0, medium, quartile, high

        /// The letter the standard and other tools use (L, M, Q, H).
        public var letter: Character { ["L", "M", "Q", "H"][rawValue] }

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    public enum Mode: Sendable, Equatable { case alphanumeric, byte }

    /// 1 to 40: the symbol is 4 × version + 17 modules wide.
    public let version: Int
    /// The level written in the symbol: at least the one asked, higher when it costs no size.
    public let level: Level
    /// The data mask (0–7).
    public let mask: Int
    public let mode: Mode
    /// Modules on a side, quiet zone not included.
    public let size: Int
    private let modules: [Bool]

    /// Light modules a reader needs around the symbol to tell it from its surroundings.
    public static let quietZone = 4

    /// The smallest symbol that holds `text` at `minimumLevel`, its level then raised as far as
    /// that symbol allows (a printed code gains robustness for nothing), with the mask of lowest
    /// penalty.
    public init(text: String, minimumLevel: Level = .medium) throws(QRCodeError) {
        try self.init(text: text, level: minimumLevel, raisingLevel: true, version: nil, mask: nil)
    }

    /// A symbol at exactly `level`, and at `version` and with `mask` when given, so that tests
    /// and other encoders can be compared module by module. Without a version, the smallest that
    /// fits; without a mask, the one of lowest penalty.
    public init(text: String, level: Level, version: Int? = nil, mask: Int? = nil) throws(QRCodeError) {
        try self.init(text: text, level: level, raisingLevel: false, version: version, mask: mask)
    }

    private init(text: String, level asked: Level, raisingLevel: Bool, version forced: Int?, mask forcedMask: Int?) throws(QRCodeError) {
        if let forced, !(1...40).contains(forced) { throw .versionOutOfRange(forced) }
        if let forcedMask, !(0...7).contains(forcedMask) { throw .maskOutOfRange(forcedMask) }
        let segment = QRSegment(text: text)
        func fits(_ v: Int, _ l: Level) -> Bool {
            guard let bits = segment.bitLength(version: v) else { return false }
            return bits <= QRTables.dataCodewords(version: v, level: l) * 8
        }
        let candidates = forced.map { [$0] } ?? Array(1...40)
        guard let version = candidates.first(where: { fits($0, asked) }) else {
            let last = candidates.last!
            throw .tooLong(bits: segment.bitLength(version: last) ?? .max, capacity: QRTables.dataCodewords(version: last, level: asked) * 8,
                           version: last, level: asked)
        }
        var level = asked
        if raisingLevel {
            while let higher = Level(rawValue: level.rawValue + 1), fits(version, higher) { level = higher }
        }

        var matrix = Self.unmasked(segment, version: version, level: level)
        let mask: Int
        if let forcedMask {
            mask = forcedMask
        } else {
            let penalties = Self.maskPenalties(&matrix)
            mask = penalties.firstIndex(of: penalties.min()!)!
        }
        matrix.applyMask(mask)
        matrix.writeFormatAndVersion(level: level, mask: mask)

        self.version = version
        self.level = level
        self.mask = mask
        self.mode = segment.mode
        self.size = matrix.size
        self.modules = matrix.dark
    }

    /// The symbol with its function patterns and codewords, before masking.
    static func unmasked(_ segment: QRSegment, version: Int, level: Level) -> QRMatrix {
        var matrix = QRMatrix(version: version)
        matrix.place(QRCodewords.final(QRCodewords.data(segment, version: version, level: level), version: version, level: level))
        return matrix
    }

    /// The penalty of each mask, the lowest to be chosen (the first of equal ones). Every mask
    /// is scored before the format and version information are written (the order of §7.1:
    /// masking, then format information), their modules light, as segno does too.
    static func maskPenalties(_ matrix: inout QRMatrix) -> [Int] {
        (0..<8).map { k in
            matrix.applyMask(k)
            defer { matrix.applyMask(k) }
            return matrix.penalty()
        }
    }

    /// Whether the module in column `x`, row `y` (from the top left) is dark. Outside the symbol
    /// is the light quiet zone, so that drawing code can walk the margin without a bounds check.
    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }

    /// The modules row by row from the top, true for dark.
    public var matrix: [[Bool]] {
        (0..<size).map { y in Array(modules[(y * size)..<((y + 1) * size)]) }
    }
}

public enum QRCodeError: Error, Equatable, Sendable {
    /// The text needs `bits` of data and the largest symbol allowed (`version`, 40 unless one
    /// was forced) holds `capacity` at `level`: the caller must shorten it or lower the level.
    case tooLong(bits: Int, capacity: Int, version: Int, level: QRCode.Level)
    case versionOutOfRange(Int)
    case maskOutOfRange(Int)
}
