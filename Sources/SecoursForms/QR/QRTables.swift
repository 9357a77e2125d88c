/// The numbers of ISO/IEC 18004:2015 that cannot be derived from a rule: how each version's
/// codewords are split into error-correction blocks (Table 9), and the few rules that can
/// (capacity, alignment centres, count field widths) next to them, so that the encoder reads
/// every size from one place.
enum QRTables {
    /// Error-correction codewords in each block, by level (L, M, Q, H) then version (index 0 unused).
    /// Every block of a symbol has the same number, which is why one figure per version suffices.
    static let ecCodewordsPerBlock: [[Int]] = [
        [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
         28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
         26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
         28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
         30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    /// Error-correction blocks, by level (L, M, Q, H) then version (index 0 unused). Larger
    /// symbols are cut into blocks so that each Reed–Solomon code stays within 255 codewords
    /// and a burst of damage is spread over several of them.
    static let blockCount: [[Int]] = [
        [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
         8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
         17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
         23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
         25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]

    static func size(version: Int) -> Int { 4 * version + 17 }

    /// Modules left for codewords once the function patterns, format and version information
    /// are taken out. Derived from the layout rather than tabulated: the whole square, less
    /// three finders with their separators (64 modules each), the format areas with the dark
    /// module (31), less the two
    /// timing lines between the finders, less the alignment patterns (those on the timing lines
    /// overlap them by 5 modules each), less 36 for version information from version 7 on. A
    /// test counts the modules of the real layout to hold this to it.
    static func dataModules(version v: Int) -> Int {
        let size = size(version: v)
        var modules = size * size - 3 * 64 - 31 - 2 * (size - 16)
        if v >= 2 {
            let n = v / 7 + 2 // alignment centres per row
            let patterns = n * n - 3
            let onTimingLines = 2 * (n - 2)
            modules -= 25 * patterns - 5 * onTimingLines
        }
        if v >= 7 { modules -= 36 }
        return modules
    }

    /// All codewords of a version; the modules beyond the last whole codeword are remainder bits.
    static func totalCodewords(version: Int) -> Int { dataModules(version: version) / 8 }

    static func dataCodewords(version: Int, level: QRCode.Level) -> Int {
        let l = level.rawValue
        return totalCodewords(version: version) - ecCodewordsPerBlock[l][version] * blockCount[l][version]
    }

    /// Centres of the alignment patterns along each axis: 6, then as evenly spaced as an even
    /// step allows back from the far edge (so that they fall on the timing pattern's dark
    /// modules). Version 32 is the one exception to the rounding in the standard's table.
    static func alignmentCenters(version v: Int) -> [Int] {
        guard v >= 2 else { return [] }
        let n = v / 7 + 2
        let last = size(version: v) - 7
        let step = v == 32 ? 26 : (4 * v + 2 * n + 1) / (2 * n - 2) * 2
        var centers = [6]
        for i in stride(from: n - 2, through: 0, by: -1) { centers.append(last - i * step) }
        return centers
    }

    /// Width of the character count field: larger symbols hold longer texts, so the field grows
    /// at versions 10 and 27.
    static func characterCountBits(_ mode: QRCode.Mode, version: Int) -> Int {
        let band = version <= 9 ? 0 : version <= 26 ? 1 : 2
        switch mode {
        case .alphanumeric: return [9, 11, 13][band]
        case .byte: return [8, 16, 16][band]
        }
    }
}
