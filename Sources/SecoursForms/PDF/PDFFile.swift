import Foundation

/// A reference to an indirect object of a `PDFFile`.
public struct PDFRef: Hashable, Sendable {
    public let number: Int
    /// `12 0 R`, as written inside other objects.
    public var text: String { "\(number) 0 R" }
}

/// A PDF file put together object by object (PDF 1.7, ISO 32000-1 §7.5): header, numbered
/// indirect objects, the cross-reference table with each object's byte offset, and the trailer.
/// Objects may be reserved first and written later, so that pages and their annotations can
/// point at each other.
public struct PDFFile: Sendable {
    private var bodies: [[UInt8]?] = []

    public init() {}

    /// A number for an object whose body comes later.
    public mutating func reserve() -> PDFRef {
        bodies.append(nil)
        return PDFRef(number: bodies.count)
    }

    /// Writes the body of a reserved object (a dictionary, an array, a number…).
    public mutating func set(_ ref: PDFRef, _ body: String) {
        bodies[ref.number - 1] = Array(body.utf8)
    }

    /// Adds an object and returns its reference.
    @discardableResult
    public mutating func add(_ body: String) -> PDFRef {
        let ref = reserve()
        set(ref, body)
        return ref
    }

    /// Adds a stream object: its dictionary (without `/Length`, which is computed) and its bytes.
    @discardableResult
    public mutating func addStream(_ dictionary: String, _ data: [UInt8]) -> PDFRef {
        let ref = reserve()
        var body = Array("<< \(dictionary) /Length \(data.count) >>\nstream\n".utf8)
        body += data
        body += Array("\nendstream".utf8)
        bodies[ref.number - 1] = body
        return ref
    }

    public enum Failure: Error, Equatable {
        /// An object was reserved and never written.
        case unwritten(PDFRef)
    }

    /// The whole file. `root` is the document catalog; `info` the document information dictionary.
    public func bytes(root: PDFRef, info: PDFRef? = nil) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bodies.reduce(0) { $0 + ($1?.count ?? 0) + 32 } + 64 + bodies.count * 20)
        out += Array("%PDF-1.7\n".utf8)
        // A comment of bytes above 127 tells transfer tools that the file is binary.
        out += [0x25, 0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
        var offsets: [Int] = []
        for (i, body) in bodies.enumerated() {
            guard let body else { throw Failure.unwritten(PDFRef(number: i + 1)) }
            offsets.append(out.count)
            out += Array("\(i + 1) 0 obj\n".utf8)
            out += body
            out += Array("\nendobj\n".utf8)
        }
        let xref = out.count
        var table = "xref\n0 \(bodies.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += Self.pad(offset) + " 00000 n \n" }
        out += Array(table.utf8)
        let id = Self.fileID(out)
        var trailer = "trailer\n<< /Size \(bodies.count + 1) /Root \(root.text)"
        if let info { trailer += " /Info \(info.text)" }
        trailer += " /ID [<\(id)> <\(id)>] >>\nstartxref\n\(xref)\n%%EOF\n"
        out += Array(trailer.utf8)
        return out
    }

    private static func pad(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 10 - s.count)) + s
    }

    /// A file identifier drawn from the content (FNV-1a, twice 64 bits): the same document
    /// always gets the same identifier.
    static func fileID(_ bytes: [UInt8]) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b ^ UInt64(byte ^ 0x5A)) &* 0x0000_0100_0000_01B3
        }
        func hex(_ v: UInt64) -> String { (0..<4).map { PDFText.hex4(UInt16(truncatingIfNeeded: v >> (48 - 16 * $0))) }.joined() }
        return hex(a) + hex(b)
    }
}

/// How text is written inside PDF objects.
public enum PDFText {
    /// A literal string in WinAnsiEncoding, for text shown with the standard fonts:
    /// `(…)` with backslash, parentheses and line breaks escaped.
    public static func literal(_ s: String) -> String {
        literal(bytes: WinAnsi.encode(s))
    }

    static func literal(bytes: [UInt8]) -> String {
        var out = "("
        for b in bytes {
            switch b {
            case 0x28: out += "\\("
            case 0x29: out += "\\)"
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(b))
            default: out += "\\" + String(b, radix: 8).leftPadded(to: 3)
            }
        }
        return out + ")"
    }

    /// A text string for the document's own data (field names, values, metadata): UTF-16BE with
    /// its byte order mark, as hexadecimal, so that any character survives.
    public static func unicode(_ s: String) -> String {
        var hex = "<FEFF"
        for unit in s.utf16 { hex += hex4(unit) }
        return hex + ">"
    }

    private static let digits = Array("0123456789ABCDEF")

    static func hex4(_ unit: UInt16) -> String {
        String([digits[Int(unit >> 12)], digits[Int(unit >> 8 & 0xF)], digits[Int(unit >> 4 & 0xF)], digits[Int(unit & 0xF)]])
    }

    /// A name (`/Name`), with characters outside the regular set written as `#xx`.
    public static func name(_ s: String) -> String {
        var out = "/"
        for b in s.utf8 {
            let regular = (0x21...0x7E).contains(b) && !"()<>[]{}/%#".utf8.contains(b)
            out += regular ? String(UnicodeScalar(b)) : "#" + String(hex4(UInt16(b)).suffix(2))
        }
        return out
    }

    /// A number as PDF writes it: at most `places` decimals (two are a hundredth of a point, more
    /// than print needs, except for a scale applied many times over), no exponent.
    public static func number(_ x: Double, places: Int = 2) -> String {
        var unit = 1
        for _ in 0..<places { unit *= 10 }
        let scaled = Int((x * Double(unit)).rounded())
        let whole = String(abs(scaled) / unit)
        var fraction = abs(scaled) % unit
        let sign = scaled < 0 ? "-" : ""
        if fraction == 0 { return sign + whole }
        var digits = places
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        return sign + whole + "." + String(fraction).leftPadded(to: digits)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
