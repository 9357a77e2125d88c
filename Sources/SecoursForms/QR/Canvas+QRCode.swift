extension Canvas {
    /// Draws `code` with its top-left corner at (`x`, `y`), `width` points wide including the
    /// quiet zone of four modules on every side, so that whoever lays out a form reserves one
    /// square and cannot crowd the symbol. The quiet zone is not painted: the page must be
    /// light there.
    ///
    /// Each run of dark modules in a row is one rectangle, all of them one filled path on a
    /// grid of modules: a version 12 code (4 225 modules, some 2 100 dark) takes about 1 100
    /// rectangles of a dozen bytes each.
    public mutating func qrCode(_ code: QRCode, x: Double, y: Double, width: Double, color: RGB = .black) {
        let pitch = width / Double(code.size + 2 * QRCode.quietZone)
        let margin = Double(QRCode.quietZone) * pitch
        var runs: [(column: Int, row: Int, width: Int, height: Int)] = []
        for row in 0..<code.size {
            var col = 0
            while col < code.size {
                guard code.isDark(x: col, y: row) else { col += 1; continue }
                let start = col
                while col < code.size, code.isDark(x: col, y: row) { col += 1 }
                runs.append((start, row, col - start, 1))
            }
        }
        fillCells(runs, x: x + margin, y: y + margin, cell: pitch, color: color)
    }
}
