import Foundation
import SecoursCore
import Testing
@testable import SecoursForms

@Suite("Fallback forms, checked with poppler-utils and qpdf")
struct FallbackFormTests {
    let number = "26FR30081Y53271005001"
    /// The row of cells of the "Contrôles" box.
    let cells = Rect(x: 28, y: 619, width: 540, height: 28)
    let dispatch = DispatchMoment(day: ParisDay(year: 2026, month: 11, day: 23)!, time: ParisTime(hour: 14, minute: 5)!)

    /// The page's text as pdftotext reads it, or only the part inside `crop` (points from the top left).
    func text(_ url: URL, crop: Rect? = nil) throws -> String {
        var args = ["-enc", "UTF-8"]
        if let c = crop { args += ["-x", "\(Int(c.x))", "-y", "\(Int(c.y))", "-W", "\(Int(c.width))", "-H", "\(Int(c.height))"] }
        let out = try PDFTools.run("pdftotext", args + [url.path, "-"])
        #expect(out.status == 0)
        return out.text
    }

    @Test(arguments: DocumentType.allCases)
    func blankFormIsReadableAndFillable(_ type: DocumentType) throws {
        let pdf = try FallbackForm(type: type).pdf()
        let url = try PDFTools.file(pdf, "\(type.rawValue).pdf")
        let info = try PDFTools.run("pdfinfo", [url.path]).text
        #expect(info.contains("Pages:           1"))
        #expect(info.contains("595.28 x 841.89 pts (A4)"))
        #expect(info.contains("Form:            AcroForm"))
        #expect(info.contains("Procédure de secours — \(type.label)"))

        let t = try text(url)
        #expect(t.contains("PROCÉDURE DE SECOURS"))
        #expect(t.contains("Procédure de secours - Fallback procedure - EMCS/GAMM@"))
        #expect(t.contains(type == .dae ? "DOCUMENT ADMINISTRATIF D'ACCOMPAGNEMENT" : "DOCUMENT SIMPLIFIÉ D'ACCOMPAGNEMENT"))
        #expect(t.contains("Contrôles") && t.contains("Mention de la procédure P.S."))
        let flat = t.replacingOccurrences(of: "\n", with: " ")
        for box in FallbackForm.Box.allCases {
            // Long titles wrap: look for their first words.
            let start = (box.code + " " + box.title).split(separator: " ").prefix(4).joined(separator: " ")
            #expect(flat.contains(start), "box \(box.code)")
        }
        #expect(t.contains("Expéditeur") && t.contains("Représentant fiscal") && t.contains("Durée du transport"))

        let fields = try PDFTools.fields(url)
        for box in FallbackForm.Box.allCases { #expect(fields[box.fieldName] != nil, "field of box \(box.code)") }
        let cells = try #require(fields["numero_secours"])
        #expect(cells.flags & (1 << 24) != 0, "the number is a comb field, one cell per character")
        #expect(fields["signature"] != nil && fields["bureau_informe"] != nil && fields["date_information"] != nil)
        #expect(fields.count == FallbackForm.Box.allCases.count + 4)
    }

    @Test func combFieldHasTwentyOneCells() throws {
        let pdf = String(decoding: try FallbackForm(type: .dae).pdf(), as: UTF8.self)
        #expect(pdf.contains("/MaxLen 21"))
        let lrn = String(decoding: try FallbackForm(type: .dae, variant: .gamma2).pdf(), as: UTF8.self)
        #expect(lrn.contains("/MaxLen 22"))
    }

    @Test func filledFormPrintsTheDocument() throws {
        var boxes = try FallbackForm.boxes([("consignor", "Château Lévêque, 33000 Bordeaux"), ("consignee", "Société Cœur de Bœuf — Lyon"),
                                             ("cnCode", "22042109")])
        boxes[.description] = "12 cartons de 6 bouteilles de vin rouge AOP, 75 cl"
        let form = FallbackForm.filled(type: .dae, reference: number, variant: .gamma, exciseNumber: "FR30081Y53271",
                                       transport: "AB-123-CD", dispatch: dispatch, boxes: boxes)
        let url = try PDFTools.file(try form.pdf(), "filled.pdf")
        let t = try text(url)
        // The number, one character per cell, read from the cells alone.
        #expect(try text(url, crop: cells).filter { !$0.isWhitespace } == number)
        #expect(t.contains("FR30081Y53271"))
        #expect(t.contains("AB-123-CD"))
        #expect(t.contains("23/11/2026 à 14:05"))
        #expect(t.contains("Château Lévêque") && t.contains("Société Cœur de Bœuf — Lyon") && t.contains("22042109"))
        // Printed boxes are no longer fields; the others still are.
        let fields = try PDFTools.fields(url)
        for box in [FallbackForm.Box.consignor, .consignee, .consignorExcise, .transportDetails, .dispatchDate, .cnCode, .description] {
            #expect(fields[box.fieldName] == nil, "box \(box.code) printed")
        }
        #expect(fields["numero_secours"] == nil)
        #expect(fields[FallbackForm.Box.guarantee.fieldName] != nil && fields[FallbackForm.Box.netWeight.fieldName] != nil)
    }

    @Test func gamma2VariantCarriesTheLRN() throws {
        let lrn = "PS261123532710001"
        let form = FallbackForm.filled(type: .dsa, reference: lrn, variant: .gamma2, exciseNumber: "FR30081Y53271",
                                       transport: "AB-123-CD", dispatch: dispatch)
        let url = try PDFTools.file(try form.pdf(), "lrn.pdf")
        let t = try text(url)
        #expect(t.contains("LRN de secours GAMMA 2"))
        #expect(try text(url, crop: cells).filter { !$0.isWhitespace } == lrn)
        #expect(t.contains("DOCUMENT SIMPLIFIÉ D'ACCOMPAGNEMENT"))
    }

    /// The seal's QR code, in the « Contrôles » box: at least 30 mm wide with its quiet zone,
    /// read back by zbarimg from the page pdftoppm draws at 150 dpi, and its line under it.
    @Test(arguments: [FallbackForm.Variant.gamma, .gamma2])
    func filledFormCarriesTheSealReadably(_ variant: FallbackForm.Variant) throws {
        #expect(FallbackForm.sealFrame.width >= 30 / 25.4 * 72 && FallbackForm.sealFrame.width == FallbackForm.sealFrame.height)
        #expect(FallbackForm.sealFrame.maxY + 3 < 712 && FallbackForm.sealFrame.x > FallbackForm.cellsLeft(variant) + Double(variant.cells) * FallbackForm.cell)
        // As long as a seal gets: a 508-character `SC1:` code, version 12 at level M.
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
        let code = "SC1:" + String((0..<504).map { alphabet[($0 * 7 + 3) % alphabet.count] })
        let reference = variant == .gamma ? number : "PS261123532710001"
        let form = FallbackForm.filled(type: .dae, reference: reference, variant: variant, exciseNumber: "FR30081Y53271", transport: "AB-123-CD",
                                       dispatch: dispatch, seal: .init(code: code, caption: "Code signé : vérifiable hors ligne sur secours.example/verifier"))
        let url = try PDFTools.file(try form.pdf(), "sealed-\(variant.rawValue).pdf")
        let png = url.deletingPathExtension().path + "-page"
        #expect(try PDFTools.run("pdftoppm", ["-r", "150", "-png", "-singlefile", url.path, png]).status == 0)
        #expect(try QRTools.zbar(URL(fileURLWithPath: png + ".png")) == code)
        let t = try text(url).replacingOccurrences(of: "\n", with: " ")
        #expect(t.contains("Code signé : vérifiable hors ligne sur") && t.contains("Mention de la procédure P.S."))
        // The number still reads from its cells alone.
        #expect(try text(url, crop: cells).filter { !$0.isWhitespace } == reference)
    }

    @Test func renderedPageIsNotBlankAndHasTheRedMention() throws {
        let url = try PDFTools.file(try FallbackForm(type: .dae).pdf(), "render.pdf")
        let page = try PDFTools.render(url)
        #expect(page.width == Int((595.28 * 40 / 72).rounded()) || page.width == Int(595.28 * 40 / 72))
        var dark = 0, red = 0
        for i in stride(from: 0, to: page.rgb.count - 2, by: 3) {
            let (r, g, b) = (page.rgb[i], page.rgb[i + 1], page.rgb[i + 2])
            if r < 128, g < 128, b < 128 { dark += 1 }
            if r > 150, g < 90, b < 90 { red += 1 }
        }
        let pixels = page.rgb.count / 3
        #expect(dark > pixels / 100, "box lines and titles are drawn")
        #expect(red > 20, "the red fallback mention is drawn")
    }

    @Test func badBoxValuesAreRefused() {
        #expect(throws: SecoursError.self) { try FallbackForm.boxes([("colour", "bleu")]) }
        #expect(throws: SecoursError.self) { try FallbackForm.boxes([("consignor", String(repeating: "x", count: 401))]) }
        #expect(throws: SecoursError.self) { try FallbackForm.boxes([("consignor", "東京")]) }
        do {
            _ = try FallbackForm.boxes([("colour", "bleu"), ("cnCode", String(repeating: "1", count: 121))])
            Issue.record("accepted")
        } catch {
            #expect(error.fields.map(\.field).sorted() == ["cnCode", "colour"])
        }
        // Blank values are simply left out.
        #expect((try? FallbackForm.boxes([("consignor", "  ")]))?.isEmpty == true)
    }
}

@Suite("DRM report as PDF")
struct DRMReportPDFTests {
    @Test func tablePagesAreReadable() throws {
        let m = Month(year: 2026, month: 2)!
        let rows = (1...30).map { i in
            DRMRow(exciseNumber: "FR0073\(String(format: "%02d", i))E0001", month: m, first: "26FR0073\(String(format: "%02d", i))E0001000011",
                   last: "26FR0073\(String(format: "%02d", i))E0001000991", byType: [.dae: i, .dsa: 1], byStatus: [.active: i, .reintegrated: 1])
        }
        let url = try PDFTools.file(try DRMReportPDF.render(month: m, rows: rows, scope: "tous les numéros", printedAt: "22/11/2026 à 10:15"), "drm.pdf")
        let info = try PDFTools.run("pdfinfo", [url.path]).text
        #expect(info.contains("Pages:           2") && info.contains("841.89 x 595.28"))
        let text = try PDFTools.run("pdftotext", ["-layout", "-enc", "UTF-8", url.path, "-"]).text
        #expect(text.contains("février 2026") && text.contains("Réintégrés") && text.contains("relevé pour la DRM"))
        #expect(text.contains("26FR007301E0001000011") && text.contains("26FR007330E0001000991"))
        #expect(text.contains("page 2 / 2"))
        let empty = try PDFTools.file(try DRMReportPDF.render(month: m, rows: [], scope: "FR007328E0001", printedAt: "x"), "empty.pdf")
        #expect(try PDFTools.run("pdftotext", [empty.path, "-"]).text.contains("Aucun numéro de secours utilisé"))
    }
}
