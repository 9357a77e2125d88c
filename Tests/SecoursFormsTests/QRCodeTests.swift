import Foundation
import Testing
@testable import SecoursForms

@Suite("QR codes, checked against segno and read back by zbarimg")
struct QRCodeTests {
    /// Base45-like characters (the 45 of alphanumeric mode), the same on every run.
    static func base45(_ count: Int, seed: UInt64) -> String {
        let set = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
        var state = seed
        return String((0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return set[Int(state >> 33) % 45]
        })
    }

    static let short = "SECOURS 26FR30081Y53271005001"
    /// The size of a signed form's content: 400 characters in all.
    static let signed = "SC1:" + base45(396, seed: 18004)
    static let accented = "Procédure de secours — DAE n° 26FR30081Y53271005001 : fûts de crème de cassis, Dijon"
    static let texts = [short, signed, accented]

    /// Names the first module that differs rather than printing two matrices.
    func expectSame(_ code: QRCode, _ symbol: QRTools.SegnoSymbol, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let mine = QRTools.rows(code)
        guard mine != symbol.rows else { return }
        guard mine.count == symbol.rows.count else {
            Issue.record("\(label): \(mine.count) rows, segno \(symbol.rows.count)", sourceLocation: sourceLocation)
            return
        }
        var differences = 0
        var first: (x: Int, y: Int)?
        for (y, (a, b)) in zip(mine, symbol.rows).enumerated() {
            for (x, (p, q)) in zip(a, b).enumerated() where p != q {
                differences += 1
                if first == nil { first = (x, y) }
            }
        }
        Issue.record("\(label): \(differences) modules differ from segno's, the first at x \(first?.x ?? -1), y \(first?.y ?? -1)", sourceLocation: sourceLocation)
    }

    @Test func modeFollowsTheAlphanumericSet() throws {
        #expect(try QRCode(text: Self.short).mode == .alphanumeric)
        #expect(try QRCode(text: Self.signed).mode == .alphanumeric)
        #expect(try QRCode(text: "0123456789 $%*+-./:ABCXYZ").mode == .alphanumeric)
        #expect(try QRCode(text: "sc1:abc").mode == .byte)
        #expect(try QRCode(text: Self.accented).mode == .byte)
        #expect(try QRCode(text: "A_B").mode == .byte)
    }

    /// Each text at a fixed version, level M and each of the eight masks, module by module.
    @Test func fixedSymbolsMatchSegno() throws {
        var cases: [(text: String, version: Int, mask: Int)] = []
        for (text, version) in [(Self.short, 2), (Self.signed, 13), (Self.accented, 6)] {
            for mask in 0..<8 { cases.append((text, version, mask)) }
        }
        let codes = try cases.map { c in try QRCode(text: c.text, level: .medium, version: c.version, mask: c.mask) }
        let symbols = try QRTools.segno(zip(cases, codes).map { c, code in
            QRTools.SegnoRequest(c.text, mode: code.mode, level: .medium, version: c.version, mask: c.mask)
        })
        try #require(symbols.count == cases.count)
        for (c, (code, symbol)) in zip(cases, zip(codes, symbols)) {
            #expect(code.version == c.version && code.level == .medium && code.mask == c.mask)
            #expect(symbol.version == c.version && symbol.error == "M" && symbol.mask == c.mask)
            expectSame(code, symbol, "\(c.text.prefix(12))… version \(c.version) mask \(c.mask)")
        }
    }

    /// Every version at every level, each filled to its capacity (so that every block layout of
    /// the standard's table is exercised with real data and the terminator is cut short), the
    /// modes and masks taken in turn.
    @Test func everyVersionAndLevelMatchesSegno() throws {
        let phrase = Array("Crème brûlée à Dijon — n° 42. ")
        var cases: [(text: String, version: Int, level: QRCode.Level, mask: Int)] = []
        for version in 1...40 {
            for level in QRCode.Level.allCases {
                let bits = QRTables.dataCodewords(version: version, level: level) * 8
                let text: String
                if version % 2 == 1 {
                    let free = bits - 4 - QRTables.characterCountBits(.alphanumeric, version: version)
                    text = Self.base45(free / 11 * 2 + (free % 11 >= 6 ? 1 : 0), seed: UInt64(version * 4 + level.rawValue))
                } else {
                    let free = (bits - 4 - QRTables.characterCountBits(.byte, version: version)) / 8
                    var t = "", i = 0
                    while t.utf8.count + String(phrase[i % phrase.count]).utf8.count <= free {
                        t.append(phrase[i % phrase.count])
                        i += 1
                    }
                    while t.utf8.count < free { t.append(".") }
                    text = t
                }
                cases.append((text, version, level, (version + level.rawValue) % 8))
            }
        }
        let codes = try cases.map { c in try QRCode(text: c.text, level: c.level, version: c.version, mask: c.mask) }
        let symbols = try QRTools.segno(zip(cases, codes).map { c, code in
            QRTools.SegnoRequest(c.text, mode: code.mode, level: c.level, version: c.version, mask: c.mask)
        })
        try #require(symbols.count == cases.count)
        for (c, (code, symbol)) in zip(cases, zip(codes, symbols)) {
            // Full: one character (or byte) more does not fit this version.
            #expect(throws: QRCodeError.self) { try QRCode(text: c.text + "A", level: c.level, version: c.version) }
            expectSame(code, symbol, "version \(c.version) level \(c.level.letter) mask \(c.mask)")
        }
    }

    /// With nothing forced, the same version, level and mask as segno: both take the smallest
    /// version, raise the level as far as it allows, and score the masks by the standard's
    /// four rules before writing the format information.
    @Test func choicesMatchSegno() throws {
        var cases: [(text: String, level: QRCode.Level)] = []
        for text in Self.texts + [Self.base45(1200, seed: 7), "HELLO", "https://secours.example/f/26FR30081Y53271005001"] {
            for level in QRCode.Level.allCases { cases.append((text, level)) }
        }
        // Where segno's mask differs for a known reason of its own, only the version and level
        // are compared. segno counts the 1:1:3:1:1 pattern (N3) by searching again after each
        // pattern it counts, so of two patterns that share a dark module it counts the first
        // only; we count every pattern that has its four light modules, as the rule reads. In
        // the accented text at M (version 6), column 2 under mask 4 ends in
        // …0000 1011101 011101 at the symbol's edge: two patterns, the second followed by the
        // light quiet zone. segno scores that mask 1876 (N3 760) and picks it; we score it
        // 1916 (N3 800) and pick mask 2 (1891). The symbol at our mask is compared with
        // segno's module by module in fixedSymbolsMatchSegno.
        let segnoN3Quirk: Set<String> = ["\(Self.accented)|M"]
        var unmasked = QRCode.unmasked(QRSegment(text: Self.accented), version: 6, level: .medium)
        let penalties = QRCode.maskPenalties(&unmasked)
        #expect(penalties[2] == 1891 && penalties[4] == 1916 && penalties.min() == 1891)
        let codes = try cases.map { c in try QRCode(text: c.text, minimumLevel: c.level) }
        let symbols = try QRTools.segno(zip(cases, codes).map { c, code in QRTools.SegnoRequest(c.text, mode: code.mode, level: c.level, boost: true) })
        try #require(symbols.count == cases.count)
        for (c, (code, symbol)) in zip(cases, zip(codes, symbols)) {
            let label = "\(c.text.prefix(12))… at least \(c.level.letter)"
            #expect(code.level >= c.level)
            #expect(code.version == symbol.version, "\(label)")
            #expect(String(code.level.letter) == symbol.error, "\(label)")
            if segnoN3Quirk.contains("\(c.text)|\(c.level.letter)") {
                #expect(code.mask == 2 && symbol.mask == 4, "\(label): the difference explained above has changed")
                continue
            }
            #expect(code.mask == symbol.mask, "\(label)")
            expectSame(code, symbol, label)
        }
        // The size of a signed form's content, at the default level.
        let signed = try QRCode(text: Self.signed)
        #expect(signed.version == 12 && signed.level == .medium && signed.size == 65)
    }

    @Test(arguments: texts)
    func zbarimgReadsTheModules(_ text: String) throws {
        let code = try QRCode(text: text)
        let url = try PDFTools.file(QRTools.pgm(code, scale: 4), "code.pgm")
        #expect(try QRTools.zbar(url) == text)
    }

    /// Drawn by the PDF writer, rendered by poppler at 150 dpi, read by zbarimg: what a form
    /// printed from the PDF carries.
    @Test(arguments: texts)
    func zbarimgReadsTheCodeInAPDF(_ text: String) throws {
        let code = try QRCode(text: text)
        var canvas = Canvas()
        canvas.text("Code signé", x: 60, y: 80, size: 10)
        canvas.qrCode(code, x: 60, y: 90, width: 200)
        let pdf = try PDFAssembler.document([FormPage(canvas: canvas)], title: "QR")
        let url = try PDFTools.file(pdf, "code.pdf")
        let prefix = url.deletingPathExtension().path
        #expect(try PDFTools.run("pdftoppm", ["-r", "150", "-png", "-singlefile", url.path, prefix]).status == 0)
        #expect(try QRTools.zbar(URL(fileURLWithPath: prefix + ".png")) == text)
    }

    /// One rectangle per run of dark modules in a row, all in one fill, on a grid of modules
    /// that starts inside the quiet zone.
    @Test func drawingMergesRunsIntoOneFill() throws {
        let code = try QRCode(text: Self.signed)
        var canvas = Canvas()
        canvas.qrCode(code, x: 100, y: 200, width: 146)
        let ops = String(decoding: canvas.bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        // 146 points for 65 + 8 modules: 2 points a module, the symbol's corner at (108, 208),
        // 633.89 from the bottom of the page.
        #expect(ops.first == "q 0 0 0 rg 2 0 0 -2 108 633.89 cm")
        #expect(ops.last == "f Q")
        var runs: [String] = []
        for (y, row) in code.matrix.enumerated() {
            var x = 0
            while x < row.count {
                guard row[x] else { x += 1; continue }
                let start = x
                while x < row.count, row[x] { x += 1 }
                runs.append("\(start) \(y) \(x - start) 1 re")
            }
        }
        #expect(Array(ops.dropFirst().dropLast()) == runs)
        // The top-left finder's first row.
        #expect(runs.first == "0 0 7 1 re")
    }

    @Test func tooLongTextIsATypedError() {
        // Version 40 holds 3391 alphanumeric characters at M, 4296 at L.
        let text = Self.base45(3392, seed: 1)
        #expect(throws: QRCodeError.tooLong(bits: 4 + 13 + 11 * 1696, capacity: 2334 * 8, version: 40, level: .medium)) {
            try QRCode(text: text)
        }
        #expect((try? QRCode(text: String(text.dropLast()))) != nil)
        #expect((try? QRCode(text: text, minimumLevel: .low)) != nil)
        #expect(throws: QRCodeError.self) { try QRCode(text: String(repeating: "é", count: 1500), minimumLevel: .high) }
        #expect(throws: QRCodeError.tooLong(bits: 4 + 9 + 11 * 10 + 6, capacity: 128, version: 1, level: .medium)) {
            try QRCode(text: "HELLO WORLD ABCDEFGHI", level: .medium, version: 1)
        }
        #expect(throws: QRCodeError.versionOutOfRange(41)) { try QRCode(text: "A", level: .low, version: 41) }
        #expect(throws: QRCodeError.maskOutOfRange(8)) { try QRCode(text: "A", level: .low, mask: 8) }
    }

    /// The capacity formula holds to the layout the symbol is drawn with.
    @Test func dataModulesAreTheLayoutsFreeModules() {
        for version in 1...40 {
            let free = QRMatrix(version: version).isFunction.filter { !$0 }.count
            #expect(free == QRTables.dataModules(version: version), "version \(version)")
        }
    }

    @Test func formatAndVersionBitsAreTheStandardsExamples() {
        // §7.9.1: M, mask 5 → 100000011001110; Annex D: version 7 → 000111110010010100.
        #expect(QRMatrix.formatBits(level: .medium, mask: 5) == 0b100000011001110)
        #expect(QRMatrix.versionBits(7) == 0b000111110010010100)
    }
}
