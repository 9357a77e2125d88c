/// Arithmetic in GF(2⁸) as QR codes define it (ISO/IEC 18004 §7.5.2): bytes are polynomials
/// over GF(2) reduced modulo x⁸ + x⁴ + x³ + x² + 1, whose root α generates every non-zero
/// element, so that a product is a sum of logarithms.
enum GF256 {
    /// αⁱ for i in 0..<510: twice round the cycle, so that a sum of two logarithms needs no modulo.
    static let exp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 510)
        var x = 1
        for i in 0..<255 {
            table[i] = UInt8(x)
            table[i + 255] = UInt8(x)
            x <<= 1
            if x & 0x100 != 0 { x ^= 0x11D }
        }
        return table
    }()

    /// log_α(x) for x in 1...255 (entry 0 is unused: zero has no logarithm).
    static let log: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for i in 0..<255 { table[Int(exp[i])] = i }
        return table
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return exp[log[Int(a)] + log[Int(b)]]
    }
}

/// The error-correction codewords of one block: the remainder of the data, read as a polynomial
/// and shifted up by the code's degree, divided by the generator (x − α⁰)(x − α¹)…(x − αⁿ⁻¹).
/// A reader recomputes the syndromes at those roots to find and repair damaged codewords.
struct ReedSolomon {
    /// The generator's coefficients below its leading 1, highest degree first.
    let generator: [UInt8]

    init(degree: Int) {
        var g: [UInt8] = [1] // highest degree first
        for i in 0..<degree {
            // g · (x + αⁱ): subtraction is addition in characteristic 2.
            let root = GF256.exp[i]
            var next = g + [0]
            for j in 0..<g.count { next[j + 1] ^= GF256.multiply(g[j], root) }
            g = next
        }
        generator = Array(g.dropFirst())
    }

    /// The remainder, computed as a linear feedback shift register (one pass over the data,
    /// the register holding the running remainder).
    func remainder(_ data: [UInt8]) -> [UInt8] {
        var register = [UInt8](repeating: 0, count: generator.count)
        for byte in data {
            let factor = byte ^ register[0]
            register.removeFirst()
            register.append(0)
            if factor == 0 { continue }
            let logFactor = GF256.log[Int(factor)]
            for (i, g) in generator.enumerated() where g != 0 {
                register[i] ^= GF256.exp[GF256.log[Int(g)] + logFactor]
            }
        }
        return register
    }
}
