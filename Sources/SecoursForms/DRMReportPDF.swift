import SecoursCore

/// The DRM report (R-OFF-2) as a PDF, A4 landscape, with the forms' writer: one table row per
/// excise number and kind of number (GAMMA, LRN GAMMA 2), as many pages as needed, in the
/// language of the request.
public enum DRMReportPDF {
    static let rowsPerPage = 24

    /// `printedAt` is the moment as the language of the request writes it (`ParisCalendar.display`).
    public static func render(month: Month, rows: [DRMRow], scope: String, printedAt: String) throws -> [UInt8] {
        let width = Canvas.a4.height, height = Canvas.a4.width
        // “Reintegrated” is wider than « Réintégrés »: its column takes a little of the page's free width.
        let columns: [(title: String, width: Double, align: Alignment)] = [
            (localized("N° d'accise", "Excise no."), 92, .left), (localized("Numéros", "Numbers"), 70, .left),
            (localized("Premier numéro", "First number"), 132, .left), (localized("Dernier numéro", "Last number"), 132, .left),
            ("Total", 42, .right), ("DAE", 38, .right), ("DSA", 38, .right),
            (localized("Actifs", "Active"), 42, .right), (localized("Inactifs", "Inactive"), 46, .right),
            (localized("Annulés", "Cancelled"), 46, .right), (localized("Réintégrés", "Reintegrated"), Language.current == .en ? 58 : 54, .right),
        ]
        let monthLabel = month.label
        var pages: [FormPage] = []
        let chunks = rows.isEmpty ? [[]] : stride(from: 0, to: rows.count, by: rowsPerPage).map { Array(rows[$0..<min($0 + rowsPerPage, rows.count)]) }
        for (index, chunk) in chunks.enumerated() {
            var c = Canvas(width: width, height: height)
            let l = 36.0
            c.text(localized("Procédure de secours — relevé pour la DRM", "Fallback procedure — statement for the DRM"), x: l, y: 48, font: .helveticaBold, size: 15)
            c.text(localized("Mois d'expédition : \(monthLabel) · \(scope)", "Month of dispatch: \(monthLabel) · \(scope)"), x: l, y: 66, size: 10)
            c.text(localized("Premier et dernier numéros de secours utilisés, à reporter sur la déclaration récapitulative mensuelle.",
                             "First and last fallback numbers used, to be entered on the monthly summary declaration (DRM)."),
                   x: l, y: 80, size: 8.5, color: .gray)
            var x = l
            let top = 96.0, rowHeight = 18.0
            c.lineWidth(0.5)
            for col in columns {
                c.rect(Rect(x: x, y: top, width: col.width, height: rowHeight), fill: .shade)
                c.text(col.title, in: Rect(x: x + 4, y: 0, width: col.width - 8, height: 0), y: top + 12.5, align: col.align, font: .helveticaBold, size: 8)
                x += col.width
            }
            if rows.isEmpty {
                c.text(localized("Aucun numéro de secours utilisé ce mois-ci.", "No fallback number used this month."), x: l, y: top + rowHeight + 16, size: 10)
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
            // R-NUM-8: the reserves given back whose unused numbers stay holes, under the table.
            var noteY = top + rowHeight * Double(chunk.count + 1) + 16
            for row in chunk {
                for hole in row.reservedUnused where noteY < height - 40 {
                    c.text(localized("Numéros réservés non utilisés", "Reserved numbers not used") + " — \(row.exciseNumber) \(row.kind.shortLabel) : \(hole)",
                           x: l, y: noteY, size: 8)
                    noteY += 12
                }
            }
            c.text(localized("Édité le \(printedAt) · page \(index + 1) / \(chunks.count)", "Printed on \(printedAt) · page \(index + 1) / \(chunks.count)"),
                   x: l, y: height - 24, size: 7.5, color: .gray)
            pages.append(FormPage(canvas: c))
        }
        return try PDFAssembler.document(pages, title: localized("Relevé DRM — procédure de secours — \(monthLabel)", "DRM statement — fallback procedure — \(monthLabel)"),
                                         subject: scope)
    }
}
