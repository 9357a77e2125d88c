/// A document or excise number as a user typed it to look something up (R-NUM-7: surrounding
/// white space trimmed, upper-cased, nothing else), before it is compared with stored numbers.
public enum TypedNumber {
    /// No number the service stores is longer (a GAMMA 2 LRN is 22 characters).
    public static let maxLength = 22

    /// The text trimmed and upper-cased, whatever its length.
    public static func key(_ text: String) -> String { normalised(text) }

    /// The text trimmed and upper-cased, or nil when it is longer than `maxLength` and so
    /// cannot be any stored number.
    public static func normalise(_ text: String, maxLength: Int = maxLength) -> String? {
        let key = normalised(text)
        return key.count <= maxLength ? key : nil
    }
}

/// The number of a fallback document (R-DOC-1): a CRAPS number for GAMMA (R-NUM-2/3) or a
/// GAMMA 2 fallback LRN (R-NUM-6). The two never look alike: a CRAPS number starts with the two
/// digits of its year, an LRN with `PS`.
public enum FallbackDocumentNumber: Hashable, Sendable, CustomStringConvertible {
    case craps(FallbackNumber)
    case lrn(FallbackLRN)

    /// The kind a text would be read as, without checking it further.
    public static func kind(of text: String) -> DocumentKind {
        normalised(text).hasPrefix(FallbackLRN.prefix) ? .lrn : .craps
    }

    /// Reads a number registered or communicated by an operator: an LRN when it starts with
    /// `PS`, otherwise a manual CRAPS number (R-NUM-3).
    public init(parsingManual text: String) throws(NumberError) {
        switch Self.kind(of: text) {
        case .lrn: self = .lrn(try FallbackLRN(parsing: text))
        case .craps: self = .craps(try FallbackNumber(parsingManual: text))
        }
    }

    public var value: String {
        switch self {
        case let .craps(n): n.value
        case let .lrn(l): l.value
        }
    }

    public var description: String { value }

    public var kind: DocumentKind {
        switch self {
        case .craps: .craps
        case .lrn: .lrn
        }
    }

    /// What the store keeps as the document's sequence: the annual sequence of a CRAPS number,
    /// the serial of an LRN (continuous per operator).
    public var sequence: Int {
        switch self {
        case let .craps(n): n.sequence
        case let .lrn(l): l.serial
        }
    }

    /// The four-digit year: a CRAPS number's own, an LRN's date part.
    public var year: Int {
        switch self {
        case let .craps(n): 2000 + n.year
        case let .lrn(l): l.day.year
        }
    }

    /// The number in groups, for reading aloud or copying by hand.
    public var groups: [String] {
        switch self {
        case let .craps(n): n.groups
        case let .lrn(l): l.groups
        }
    }

    /// The groups of any stored number, or the number whole when it reads as neither kind.
    public static func groups(of text: String) -> [String] {
        if Self.kind(of: text) == .lrn { return (try? FallbackLRN(parsing: text))?.groups ?? [text] }
        return (try? FallbackNumber(parsing: text))?.groups ?? [text]
    }
}

extension FallbackLRN {
    /// `PS`, date, end of the excise number, serial.
    public var groups: [String] {
        let chars = Array(value)
        return [String(chars[0..<2]), String(chars[2..<8]), String(chars[8..<13]), String(chars[13...])]
    }
}

extension DocumentKind {
    public var label: String {
        self == .craps ? localized("Numéro de secours GAMMA (CRAPS)", "GAMMA fallback number (CRAPS)") : localized("LRN de secours GAMMA 2", "GAMMA 2 fallback LRN")
    }
    /// Short, for tables.
    public var shortLabel: String { self == .craps ? "GAMMA" : localized("LRN GAMMA 2", "GAMMA 2 LRN") }
}
