import Foundation

/// WinAnsiEncoding (ISO 32000-1 annex D), the encoding the standard Type 1 fonts are used with
/// here: ASCII, the Latin-1 letters (é, è, à, ç, ô… at their Latin-1 codes) and, between 128 and
/// 159, the typographic signs French needs (œ, Œ, €, ’, «…» are Latin-1 already).
public enum WinAnsi {
    static let extra: [Character: UInt8] = [
        "€": 0x80, "‚": 0x82, "ƒ": 0x83, "„": 0x84, "…": 0x85, "†": 0x86, "‡": 0x87, "ˆ": 0x88,
        "‰": 0x89, "Š": 0x8A, "‹": 0x8B, "Œ": 0x8C, "Ž": 0x8E, "‘": 0x91, "’": 0x92, "“": 0x93,
        "”": 0x94, "•": 0x95, "–": 0x96, "—": 0x97, "˜": 0x98, "™": 0x99, "š": 0x9A, "›": 0x9B,
        "œ": 0x9C, "ž": 0x9E, "Ÿ": 0x9F,
    ]

    /// The code of a character, or nil when the encoding has none.
    public static func code(_ c: Character) -> UInt8? {
        let scalars = c.unicodeScalars
        if scalars.count == 1, let code = code(scalars.first!) { return code }
        if let b = extra[c] { return b }
        // A decomposed letter (e + combining acute) is looked up composed.
        let composed = String(c).precomposedStringWithCanonicalMapping.unicodeScalars
        guard composed.count == 1 else { return nil }
        return code(composed.first!)
    }

    static func code(_ scalar: Unicode.Scalar) -> UInt8? {
        switch scalar.value {
        case 0x20...0x7E, 0xA0...0xFF: return UInt8(scalar.value)
        case 0x09, 0x0A, 0x0D: return 0x20
        case 0x202F, 0x2009: return 0xA0   // thin spaces (French punctuation) as no-break space
        default: return extra[Character(scalar)]
        }
    }

    /// Encodes `s`; a character the encoding lacks becomes "?".
    public static func encode(_ s: String) -> [UInt8] {
        s.map { code($0) ?? 0x3F }
    }

    /// Whether every character of `s` can be shown.
    public static func canEncode(_ s: String) -> Bool {
        s.allSatisfy { code($0) != nil }
    }
}
