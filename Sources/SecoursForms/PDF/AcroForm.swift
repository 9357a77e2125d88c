import SecoursCore

/// A text field a PDF reader can type into (ISO 32000-1 §12.7.4.3), drawn over `rect`.
public struct TextField: Sendable, Equatable {
    /// The field's name, as form software and `qpdf --json` list it.
    public var name: String
    /// What readers show when pointing at it: the box's title.
    public var tooltip: String
    public var rect: Rect
    public var multiline = false
    /// A comb field: `cells` equal cells, one character each (the fallback number's 21 cells).
    public var cells: Int?
    /// Font size; 0 lets the reader fit the text.
    public var fontSize: Double = 9

    public init(name: String, tooltip: String, rect: Rect, multiline: Bool = false, cells: Int? = nil, fontSize: Double = 9) {
        self.name = name
        self.tooltip = tooltip
        self.rect = rect
        self.multiline = multiline
        self.cells = cells
        self.fontSize = fontSize
    }

    /// Field flags: multiline (bit 13), do not spell-check (23), do not scroll (24), comb (25).
    var flags: Int {
        if cells != nil { return 1 << 24 | 1 << 23 | 1 << 22 }
        return multiline ? 1 << 12 : 0
    }
}

/// One page to write: its drawing and its fields.
public struct FormPage: Sendable {
    public var canvas: Canvas
    public var fields: [TextField]

    public init(canvas: Canvas, fields: [TextField] = []) {
        self.canvas = canvas
        self.fields = fields
    }
}

/// Puts pages, their fonts and their form fields into a PDF file, its language (`/Lang`) the request's.
public enum PDFAssembler {
    public static func document(_ pages: [FormPage], title: String, subject: String = "") throws -> [UInt8] {
        var file = PDFFile()
        let catalog = file.reserve()
        let pageTree = file.reserve()
        var fontRefs: [StandardFont: PDFRef] = [:]
        for font in StandardFont.allCases { fontRefs[font] = file.add(font.dictionary) }
        let fontResources = "<< " + StandardFont.allCases.map { "/\($0.resourceName) \(fontRefs[$0]!.text)" }.joined(separator: " ") + " >>"
        // One empty appearance serves every blank field; readers draw typed text themselves.
        let emptyAppearance = file.addStream("/Type /XObject /Subtype /Form /BBox [0 0 1 1]", Array("/Tx BMC EMC".utf8))
        var pageRefs: [PDFRef] = []
        var fieldRefs: [PDFRef] = []
        for page in pages {
            let pageRef = file.reserve()
            let content = file.addStream("", page.canvas.bytes)
            var annots: [PDFRef] = []
            for field in page.fields {
                let r = field.rect
                let h = page.canvas.height
                var dict = "<< /Type /Annot /Subtype /Widget /FT /Tx /F 4 /P \(pageRef.text)"
                dict += " /T \(PDFText.unicode(field.name)) /TU \(PDFText.unicode(field.tooltip))"
                dict += " /Rect [\(PDFText.number(r.x)) \(PDFText.number(h - r.maxY)) \(PDFText.number(r.maxX)) \(PDFText.number(h - r.y))]"
                dict += " /DA (/Helv \(PDFText.number(field.fontSize)) Tf 0 g) /Ff \(field.flags)"
                if let cells = field.cells { dict += " /MaxLen \(cells) /Q 0" }
                dict += " /AP << /N \(emptyAppearance.text) >> >>"
                let ref = file.add(dict)
                annots.append(ref)
                fieldRefs.append(ref)
            }
            var pageDict = "<< /Type /Page /Parent \(pageTree.text)"
            pageDict += " /MediaBox [0 0 \(PDFText.number(page.canvas.width)) \(PDFText.number(page.canvas.height))]"
            pageDict += " /Resources << /Font \(fontResources) >> /Contents \(content.text)"
            if !annots.isEmpty { pageDict += " /Annots [" + annots.map(\.text).joined(separator: " ") + "]" }
            file.set(pageRef, pageDict + " >>")
            pageRefs.append(pageRef)
        }
        file.set(pageTree, "<< /Type /Pages /Kids [" + pageRefs.map(\.text).joined(separator: " ") + "] /Count \(pageRefs.count) >>")
        var catalogDict = "<< /Type /Catalog /Pages \(pageTree.text) /Lang \(Language.current == .en ? "(en-GB)" : "(fr-FR)")"
        if !fieldRefs.isEmpty {
            let form = file.add("""
                << /Fields [\(fieldRefs.map(\.text).joined(separator: " "))] /NeedAppearances true \
                /DA (/Helv 0 Tf 0 g) /DR << /Font << /Helv \(fontRefs[.helvetica]!.text) >> >> >>
                """)
            catalogDict += " /AcroForm \(form.text)"
        }
        file.set(catalog, catalogDict + " >>")
        let info = file.add("<< /Title \(PDFText.unicode(title)) /Subject \(PDFText.unicode(subject)) /Producer (Secours) /Creator (Secours) >>")
        return try file.bytes(root: catalog, info: info)
    }
}
