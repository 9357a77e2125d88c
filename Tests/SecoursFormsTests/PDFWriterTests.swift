import Foundation
import Testing
@testable import SecoursForms

@Suite("PDF writer")
struct PDFWriterTests {
    @Test func crossReferenceOffsetsPointAtTheirObjects() throws {
        var file = PDFFile()
        let catalog = file.reserve()
        let pages = file.reserve()
        let content = file.addStream("", Array("BT /F1 12 Tf 72 720 Td (Bonjour) Tj ET".utf8))
        let font = file.add(StandardFont.helvetica.dictionary)
        let page = file.add("<< /Type /Page /Parent \(pages.text) /MediaBox [0 0 595.28 841.89] /Resources << /Font << /F1 \(font.text) >> >> /Contents \(content.text) >>")
        file.set(pages, "<< /Type /Pages /Kids [\(page.text)] /Count 1 >>")
        file.set(catalog, "<< /Type /Catalog /Pages \(pages.text) >>")
        let bytes = try file.bytes(root: catalog)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-1.7\n"))
        #expect(text.hasSuffix("%%EOF\n"))
        // startxref gives the table's offset; every entry gives its object's.
        let start = try #require(Int(text.components(separatedBy: "startxref\n")[1].split(separator: "\n")[0]))
        let table = Array(bytes[start...])
        #expect(String(decoding: table.prefix(4), as: UTF8.self) == "xref")
        let lines = String(decoding: table, as: UTF8.self).split(separator: "\n")
        #expect(lines[1] == "0 6")
        for n in 1...5 {
            let offset = try #require(Int(lines[2 + n].prefix(10)))
            #expect(String(decoding: bytes[offset..<(offset + "\(n) 0 obj".count)], as: UTF8.self) == "\(n) 0 obj")
        }
        // The stream's length is its data's.
        #expect(text.contains("/Length 38 >>\nstream\nBT /F1 12 Tf 72 720 Td (Bonjour) Tj ET\nendstream"))
        #expect(text.contains("/Size 6 /Root 1 0 R"))
    }

    @Test func anUnwrittenObjectIsAnError() {
        var file = PDFFile()
        let catalog = file.add("<< /Type /Catalog >>")
        let forgotten = file.reserve()
        #expect(throws: PDFFile.Failure.unwritten(forgotten)) { try file.bytes(root: catalog) }
    }

    @Test func sameDocumentSameBytes() throws {
        func make() throws -> [UInt8] {
            var file = PDFFile()
            let catalog = file.add("<< /Type /Catalog >>")
            return try file.bytes(root: catalog)
        }
        #expect(try make() == make())
    }

    @Test func winAnsiCoversFrench() {
        #expect(WinAnsi.encode("éèàçôœŒ€’«»") == [0xE9, 0xE8, 0xE0, 0xE7, 0xF4, 0x9C, 0x8C, 0x80, 0x92, 0xAB, 0xBB])
        // A decomposed é (e + combining acute) is the same letter.
        #expect(WinAnsi.encode("e\u{301}") == [0xE9])
        #expect(WinAnsi.encode("Ωx") == [0x3F, 0x78])
        #expect(WinAnsi.canEncode("Société Générale, 15 €") && !WinAnsi.canEncode("東京"))
    }

    @Test func stringsAreEscaped() {
        #expect(PDFText.literal("a(b)c\\d") == "(a\\(b\\)c\\\\d)")
        #expect(PDFText.literal("é") == "(\\351)")
        #expect(PDFText.unicode("Aé") == "<FEFF004100E9>")
        #expect(PDFText.name("case 7a") == "/case#207a")
        #expect(PDFText.number(12) == "12" && PDFText.number(1.005) == "1" && PDFText.number(595.28) == "595.28")
        #expect(PDFText.number(0.05) == "0.05" && PDFText.number(-2.5) == "-2.5" && PDFText.number(-0.004) == "0")
        #expect(PDFText.number(200.0 / 73, places: 4) == "2.7397" && PDFText.number(2.00001, places: 4) == "2")
    }

    @Test func widthsFollowTheFontMetrics() {
        // Helvetica: H 722, e 556, l 222, o 556 (thousandths of the size).
        #expect(abs(StandardFont.helvetica.width("Hello", size: 10) - 22.78) < 0.001)
        #expect(StandardFont.helveticaBold.width("Hello", size: 10) > StandardFont.helvetica.width("Hello", size: 10))
        #expect(StandardFont.helvetica.width("é", size: 1000) == 556)
    }

    @Test func wrappingKeepsWordsAndCutsTooLongOnes() {
        let lines = Canvas.wrap("Transaction commerciale interrompue avant le départ", width: 100, font: .helvetica, size: 9)
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { StandardFont.helvetica.width($0, size: 9) <= 100 })
        #expect(lines.joined(separator: " ") == "Transaction commerciale interrompue avant le départ")
        let cut = Canvas.wrap(String(repeating: "W", count: 40), width: 50, font: .helvetica, size: 9)
        #expect(cut.count > 1 && cut.joined() == String(repeating: "W", count: 40))
    }
}
