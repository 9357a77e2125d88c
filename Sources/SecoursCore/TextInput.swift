/// The one rule every text that reaches the service passes (R-NF-3): no control character
/// (U+0000–U+001F other than tab, line feed and carriage return; U+007F–U+009F), no
/// noncharacter U+FFFE/U+FFFF and no replacement of a broken encoding. A text that breaks it is
/// refused whole, before anything reads or stores it; the field rules of each form come after.
public enum TextInput {
    /// The first scalar the rule refuses, if any.
    public static func forbidden(in text: some StringProtocol) -> Unicode.Scalar? {
        // Fast path: plain printable ASCII, the common case.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return nil }
        return text.unicodeScalars.first(where: isForbidden)
    }

    public static func isForbidden(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0xFFFE, 0xFFFF, 0xFFFD: true
        default: false
        }
    }

    /// The length every limit on a text counts: Unicode scalars, as JSON Schema's `maxLength` in the
    /// OpenAPI document does, so that the documented limit is the enforced one (a letter typed with
    /// a combining accent counts two).
    public static func length(_ text: some StringProtocol) -> Int { text.unicodeScalars.count }

    /// Whether the text passes the rule.
    public static func isAcceptable(_ text: some StringProtocol) -> Bool { forbidden(in: text) == nil }

    /// What the OpenAPI document's pattern for a required text field says, with its `maxLength`:
    /// the rule above, not only white space, at most `limit` scalars.
    public static func isFilledField(_ text: some StringProtocol, limit: Int) -> Bool {
        length(text) <= limit && isAcceptable(text) && !text.unicodeScalars.allSatisfy(\.properties.isWhitespace)
    }
}
