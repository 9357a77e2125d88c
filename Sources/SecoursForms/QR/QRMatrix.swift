/// The square of modules while a symbol is being built: which modules are dark, and which belong
/// to function patterns (the parts a reader finds and reads before any data, and that masking
/// must leave alone).
struct QRMatrix {
    let version: Int
    let size: Int
    private(set) var dark: [Bool]
    private(set) var isFunction: [Bool]

    /// A matrix with every function pattern drawn and the format and version areas reserved
    /// (light until `writeFormatAndVersion`), ready for codewords.
    init(version: Int) {
        self.version = version
        size = QRTables.size(version: version)
        dark = [Bool](repeating: false, count: size * size)
        isFunction = dark
        drawFunctionPatterns()
    }

    private mutating func setFunction(_ x: Int, _ y: Int, _ isDark: Bool) {
        dark[y * size + x] = isDark
        isFunction[y * size + x] = true
    }

    private mutating func drawFunctionPatterns() {
        // Timing patterns: alternate modules along row and column 6 give the reader the module pitch.
        for i in 0..<size {
            setFunction(6, i, i % 2 == 0)
            setFunction(i, 6, i % 2 == 0)
        }
        // Finder patterns in three corners (the fourth left empty shows the orientation), each
        // ringed by a light separator.
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4...4 {
                for dx in -4...4 {
                    let x = cx + dx, y = cy + dy
                    guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                    let ring = max(abs(dx), abs(dy))
                    setFunction(x, y, ring != 2 && ring != 4)
                }
            }
        }
        // Alignment patterns let a reader follow a warped or curved print; none where a finder is.
        let centers = QRTables.alignmentCenters(version: version)
        for (i, cy) in centers.enumerated() {
            for (j, cx) in centers.enumerated() {
                let first = 0, last = centers.count - 1
                if (i == first && j == first) || (i == first && j == last) || (i == last && j == first) { continue }
                for dy in -2...2 {
                    for dx in -2...2 { setFunction(cx + dx, cy + dy, max(abs(dx), abs(dy)) != 1) }
                }
            }
        }
        // Format information beside the finders, and the dark module that always goes with it.
        for i in 0...8 where i != 6 { // 6: the timing patterns cross there
            setFunction(8, i, false)
            setFunction(i, 8, false)
        }
        for i in 0..<8 {
            setFunction(size - 1 - i, 8, false)
            setFunction(8, size - 1 - i, false)
        }
        // Version information, from version 7 on: two 6 × 3 blocks by the top-right and
        // bottom-left finders.
        if version >= 7 {
            for i in 0..<18 {
                setFunction(size - 11 + i % 3, i / 3, false)
                setFunction(i / 3, size - 11 + i % 3, false)
            }
        }
    }

    /// Places the codewords' bits in the order of §7.7.3: two-module columns from the right,
    /// up then down in turn, skipping the vertical timing column and every function module.
    /// Modules left over (remainder bits) stay light.
    mutating func place(_ codewords: [UInt8]) {
        let bitCount = codewords.count * 8
        var n = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in [right, right - 1] where !isFunction[y * size + x] {
                    if n < bitCount {
                        dark[y * size + x] = (codewords[n >> 3] >> UInt8(7 - (n & 7))) & 1 == 1
                        n += 1
                    }
                }
            }
            right -= 2
        }
    }

    /// Whether mask `k` (§7.8.2) inverts the module in row `i`, column `j`. Masks break up
    /// large areas and finder-like shapes that the data would otherwise print by chance.
    static func masks(_ k: Int, _ i: Int, _ j: Int) -> Bool {
        switch k {
        case 0: return (i + j) % 2 == 0
        case 1: return i % 2 == 0
        case 2: return j % 3 == 0
        case 3: return (i + j) % 3 == 0
        case 4: return (i / 2 + j / 3) % 2 == 0
        case 5: return (i * j) % 2 + (i * j) % 3 == 0
        case 6: return ((i * j) % 2 + (i * j) % 3) % 2 == 0
        default: return ((i + j) % 2 + (i * j) % 3) % 2 == 0
        }
    }

    /// Applies mask `k` to the data modules; applying it twice undoes it.
    mutating func applyMask(_ k: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] && Self.masks(k, y, x) {
                dark[y * size + x].toggle()
            }
        }
    }

    /// The penalty of §7.8.3 (lower is easier to read): runs of five or more modules of one
    /// colour in a row or column (N1 = 3, plus 1 per module beyond five), 2 × 2 blocks of one
    /// colour (N2 = 3 each), each 1:1:3:1:1 finder-like pattern with four light modules on
    /// either side (N3 = 40; the light area outside the symbol counts, and two patterns that
    /// share a module are two patterns a reader may mistake for a finder), and the distance of the
    /// dark proportion from 50 % (N4 = 10 per whole 5 %).
    func penalty() -> Int {
        var score = 0
        var line = [Bool](repeating: false, count: size)
        for a in 0..<size {
            for b in 0..<size { line[b] = dark[a * size + b] }
            score += Self.linePenalty(line)
            for b in 0..<size { line[b] = dark[b * size + a] }
            score += Self.linePenalty(line)
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let c = dark[y * size + x]
                if c == dark[y * size + x + 1], c == dark[(y + 1) * size + x], c == dark[(y + 1) * size + x + 1] { score += 3 }
            }
        }
        let total = size * size
        let darkCount = dark.reduce(0) { $0 + ($1 ? 1 : 0) }
        score += 10 * (abs(20 * darkCount - 10 * total) / total)
        return score
    }

    /// N1 and N3 of one row or column.
    static func linePenalty(_ line: [Bool]) -> Int {
        var score = 0
        var run = 1
        for i in 1...line.count {
            if i < line.count, line[i] == line[i - 1] {
                run += 1
            } else {
                if run >= 5 { score += run - 2 }
                run = 1
            }
        }
        let n = line.count
        func isLight(_ from: Int, _ to: Int) -> Bool {
            for i in max(from, 0)..<min(to, n) where line[i] { return false }
            return true
        }
        var p = 0
        while p + 7 <= n {
            if line[p], !line[p + 1], line[p + 2], line[p + 3], line[p + 4], !line[p + 5], line[p + 6],
               isLight(p - 4, p) || isLight(p + 7, p + 11) {
                score += 40
            }
            p += 1
        }
        return score
    }

    /// Format information (§7.9): the level and mask, protected by a BCH(15, 5) code and XORed
    /// with 101010000010010 so that it is never all light; written twice so that either copy
    /// can be read when the other is damaged. The dark module beside the second copy goes with it.
    mutating func writeFormatAndVersion(level: QRCode.Level, mask: Int) {
        let bits = Self.formatBits(level: level, mask: mask)
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        // First copy, around the top-left finder.
        for i in 0..<6 { setFunction(8, i, bit(i)) }
        setFunction(8, 7, bit(6))
        setFunction(8, 8, bit(7))
        setFunction(7, 8, bit(8))
        for i in 9..<15 { setFunction(14 - i, 8, bit(i)) }
        // Second copy, split between the top-right and bottom-left finders.
        for i in 0..<8 { setFunction(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { setFunction(8, size - 15 + i, bit(i)) }
        setFunction(8, size - 8, true)

        guard version >= 7 else { return }
        let v = Self.versionBits(version)
        for i in 0..<18 {
            let d = (v >> i) & 1 == 1
            setFunction(size - 11 + i % 3, i / 3, d)
            setFunction(i / 3, size - 11 + i % 3, d)
        }
    }

    /// The level's two bits (L 01, M 00, Q 11, H 10), the mask's three, then the BCH remainder
    /// modulo x¹⁰ + x⁸ + x⁵ + x⁴ + x² + x + 1, masked.
    static func formatBits(level: QRCode.Level, mask: Int) -> Int {
        let levelBits = [1, 0, 3, 2][level.rawValue]
        let data = levelBits << 3 | mask
        return (data << 10 | bchRemainder(data << 10, generator: 0x537)) ^ 0x5412
    }

    /// Version information (§7.10): the version in 6 bits and a BCH(18, 6) remainder modulo
    /// x¹² + x¹¹ + x¹⁰ + x⁹ + x⁸ + x⁵ + x² + 1, so that a reader need not measure the symbol to
    /// know its size.
    static func versionBits(_ version: Int) -> Int {
        version << 12 | bchRemainder(version << 12, generator: 0x1F25)
    }

    /// The remainder of the polynomial `value` divided by `generator`, over GF(2).
    private static func bchRemainder(_ value: Int, generator: Int) -> Int {
        let degree = Int.bitWidth - generator.leadingZeroBitCount - 1
        var r = value
        while r != 0, Int.bitWidth - r.leadingZeroBitCount - 1 >= degree {
            r ^= generator << (Int.bitWidth - r.leadingZeroBitCount - 1 - degree)
        }
        return r
    }
}
