/// A rectangle in points, measured from the page's top-left corner.
public struct Rect: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }

    /// The rectangle shrunk by `d` on every side.
    public func inset(_ d: Double) -> Rect { Rect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }
}

/// A colour for strokes and fills.
public struct RGB: Sendable, Equatable {
    public var r: Double, g: Double, b: Double
    public init(_ r: Double, _ g: Double, _ b: Double) { self.r = r; self.g = g; self.b = b }
    public static let black = RGB(0, 0, 0)
    public static let red = RGB(0.8, 0, 0)
    public static let gray = RGB(0.45, 0.45, 0.45)
    public static let shade = RGB(0.93, 0.93, 0.93)

    var operands: String { "\(PDFText.number(r)) \(PDFText.number(g)) \(PDFText.number(b))" }
}

public enum Alignment: Sendable { case left, center, right }

/// The drawing of one page: its content stream, written with coordinates from the top-left
/// corner (the form is laid out top-down; PDF's own origin is the bottom-left corner).
public struct Canvas: Sendable {
    public let width: Double
    public let height: Double
    private var ops: [String] = []
    public private(set) var fonts: Set<StandardFont> = []

    /// A4 portrait: 210 × 297 mm.
    public static let a4 = (width: 595.28, height: 841.89)

    public init(width: Double = Canvas.a4.width, height: Double = Canvas.a4.height) {
        self.width = width
        self.height = height
    }

    private func n(_ x: Double) -> String { PDFText.number(x) }

    public mutating func lineWidth(_ w: Double) { ops.append("\(n(w)) w") }

    /// A rectangle outline, filled first with `fill` when given.
    public mutating func rect(_ r: Rect, fill: RGB? = nil, stroke: RGB? = .black) {
        let path = "\(n(r.x)) \(n(height - r.maxY)) \(n(r.width)) \(n(r.height)) re"
        switch (fill, stroke) {
        case let (f?, s?): ops.append("\(f.operands) rg \(s.operands) RG \(path) B")
        case let (f?, nil): ops.append("\(f.operands) rg \(path) f")
        case let (nil, s?): ops.append("\(s.operands) RG \(path) S")
        case (nil, nil): break
        }
    }

    /// Rectangles of a grid of square cells filled as one path, each given in cells (column and
    /// row from the grid's top-left corner at (`x`, `y`), width and height), cells `cell` points
    /// wide. The grid is set once by a transformation, so that every rectangle is written in
    /// small whole numbers (a QR code takes half the bytes it would in points) and neighbouring
    /// cells meet exactly; one fill for all of them leaves no seam where they touch.
    public mutating func fillCells(_ cells: [(column: Int, row: Int, width: Int, height: Int)], x: Double, y: Double, cell: Double, color: RGB = .black) {
        guard !cells.isEmpty else { return }
        let c = PDFText.number(cell, places: 4)
        var op = "q \(color.operands) rg \(c) 0 0 -\(c) \(n(x)) \(n(height - y)) cm"
        for r in cells { op += "\n\(r.column) \(r.row) \(r.width) \(r.height) re" }
        ops.append(op + "\nf Q")
    }

    public mutating func line(from a: (Double, Double), to b: (Double, Double), color: RGB = .black) {
        ops.append("\(color.operands) RG \(n(a.0)) \(n(height - a.1)) m \(n(b.0)) \(n(height - b.1)) l S")
    }

    /// One line of text with its baseline at `y`.
    public mutating func text(_ s: String, x: Double, y: Double, font: StandardFont = .helvetica, size: Double, color: RGB = .black) {
        guard !s.isEmpty else { return }
        fonts.insert(font)
        ops.append("BT \(color.operands) rg /\(font.resourceName) \(n(size)) Tf 1 0 0 1 \(n(x)) \(n(height - y)) Tm \(PDFText.literal(s)) Tj ET")
    }

    /// One line of text aligned in `box`, its baseline at `y`.
    public mutating func text(_ s: String, in box: Rect, y: Double, align: Alignment, font: StandardFont = .helvetica, size: Double, color: RGB = .black) {
        let w = font.width(s, size: size)
        let x = switch align {
        case .left: box.x
        case .center: box.x + (box.width - w) / 2
        case .right: box.maxX - w
        }
        text(s, x: x, y: y, font: font, size: size, color: color)
    }

    /// Text turned a quarter to the left (read from the bottom up), starting at (`x`, `y`).
    public mutating func verticalText(_ s: String, x: Double, y: Double, font: StandardFont = .helvetica, size: Double, color: RGB = .black) {
        fonts.insert(font)
        ops.append("BT \(color.operands) rg /\(font.resourceName) \(n(size)) Tf 0 1 -1 0 \(n(x)) \(n(height - y)) Tm \(PDFText.literal(s)) Tj ET")
    }

    /// Text broken into lines that fit `box` (at word boundaries, or inside a word too long for a
    /// line), from its top; lines that do not fit the height are left out. Returns how many were drawn.
    @discardableResult
    public mutating func paragraph(_ s: String, in box: Rect, font: StandardFont = .helvetica, size: Double, leading: Double? = nil) -> Int {
        let lead = leading ?? size * 1.2
        let lines = Self.wrap(s, width: box.width, font: font, size: size)
        var y = box.y + size
        var drawn = 0
        for line in lines {
            guard y <= box.maxY + 0.01 else { break }
            text(line, x: box.x, y: y, font: font, size: size)
            y += lead
            drawn += 1
        }
        return drawn
    }

    /// Lines of at most `width` points.
    public static func wrap(_ s: String, width: Double, font: StandardFont, size: Double) -> [String] {
        var lines: [String] = []
        for paragraph in s.split(separator: "\n", omittingEmptySubsequences: false) {
            var current = ""
            for word in paragraph.split(separator: " ") {
                var w = String(word)
                let candidate = current.isEmpty ? w : current + " " + w
                if font.width(candidate, size: size) <= width { current = candidate; continue }
                if !current.isEmpty { lines.append(current); current = "" }
                // A word longer than a line is cut.
                while font.width(w, size: size) > width, w.count > 1 {
                    var cut = w.count - 1
                    while cut > 1, font.width(String(w.prefix(cut)), size: size) > width { cut -= 1 }
                    lines.append(String(w.prefix(cut)))
                    w = String(w.dropFirst(cut))
                }
                current = w
            }
            lines.append(current)
        }
        return lines
    }

    /// The content stream.
    public var bytes: [UInt8] { Array(ops.joined(separator: "\n").utf8) }
}
