import SecoursCore

/// The DRM report (R-OFF-2) as a PDF, A4 landscape, with the forms' writer: one table row per
/// excise number and kind of number (GAMMA, LRN GAMMA 2), as many pages as needed.
public enum DRMReportPDF {
    static let rowsPerPage = 24

    public static func render(month: Month, rows: [DRMRow], scope: String, printedAt: String) throws -> [UInt8] {
        let width = Canvas.a4.height, height = Canvas.a4.width
        let columns: [(title: String, width: Double, align: Alignment)] = [
            ("N° d'accise", 92, .left), ("Numéros", 70, .left), ("Premier numéro", 132, .left), ("Dernier numéro", 132, .left), ("Total", 42, .right),
            ("DAE", 38, .right), ("DSA", 38, .right), ("Actifs", 42, .right), ("Inactifs", 46, .right), ("Annulés", 46, .right), ("Réintégrés", 54, .right),
        ]
        var pages: [FormPage] = []
        let chunks = rows.isEmpty ? [[]] : stride(from: 0, to: rows.count, by: rowsPerPage).map { Array(rows[$0..<min($0 + rowsPerPage, rows.count)]) }
        for (index, chunk) in chunks.enumerated() {
            var c = Canvas(width: width, height: height)
            let l = 36.0
            c.text("Procédure de secours — relevé pour la DRM", x: l, y: 48, font: .helveticaBold, size: 15)
            c.text("Mois d'expédition : \(month.label) · \(scope)", x: l, y: 66, size: 10)
            c.text("Premier et dernier numéros de secours utilisés, à reporter sur la déclaration récapitulative mensuelle.", x: l, y: 80, size: 8.5, color: .gray)
            var x = l
            let top = 96.0, rowHeight = 18.0
            c.lineWidth(0.5)
            for col in columns {
                c.rect(Rect(x: x, y: top, width: col.width, height: rowHeight), fill: .shade)
                c.text(col.title, in: Rect(x: x + 4, y: 0, width: col.width - 8, height: 0), y: top + 12.5, align: col.align, font: .helveticaBold, size: 8)
                x += col.width
            }
            if rows.isEmpty {
                c.text("Aucun numéro de secours utilisé ce mois-ci.", x: l, y: top + rowHeight + 16, size: 10)
            }
            for (i, row) in chunk.enumerated() {
                let y = top + rowHeight * Double(i + 1)
                let cells = [row.exciseNumber, row.kind.shortLabel, row.first, row.last, String(row.total),
                             String(row.byType[.dae] ?? 0), String(row.byType[.dsa] ?? 0),
                             String(row.byStatus[.active] ?? 0), String(row.byStatus[.inactive] ?? 0),
                             String(row.byStatus[.cancelled] ?? 0), String(row.byStatus[.reintegrated] ?? 0)]
                x = l
                for (col, value) in zip(columns, cells) {
                    c.rect(Rect(x: x, y: y, width: col.width, height: rowHeight))
                    c.text(value, in: Rect(x: x + 4, y: 0, width: col.width - 8, height: 0), y: y + 12.5, align: col.align, size: 8.5)
                    x += col.width
                }
            }
            c.text("Édité le \(printedAt) · page \(index + 1) / \(chunks.count)", x: l, y: height - 24, size: 7.5, color: .gray)
            pages.append(FormPage(canvas: c))
        }
        return try PDFAssembler.document(pages, title: "Relevé DRM — procédure de secours — \(month.label)", subject: scope)
    }
}
