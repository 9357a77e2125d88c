import Foundation
@testable import SecoursForms

/// The independent tools the QR encoder is held to: segno (PyPI, installed by scripts/test into
/// .build-venv/) builds the same symbols in Python, and zbarimg (zbar-tools) reads the images back.
enum QRTools {
    /// The package's root, found from this file so that the tests run from any directory.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    struct Failed: Error, CustomStringConvertible {
        let description: String
    }

    /// One symbol to ask segno for. `version` and `mask` nil: segno chooses; `boost`: segno may
    /// raise the level within the version (its default, as `QRCode(text:minimumLevel:)` does).
    struct SegnoRequest: Encodable {
        let text: String
        let mode: String
        let error: String
        var version: Int?
        var mask: Int?
        var boost = false

        init(_ text: String, mode: QRCode.Mode, level: QRCode.Level, version: Int? = nil, mask: Int? = nil, boost: Bool = false) {
            self.text = text
            self.mode = mode == .alphanumeric ? "alphanumeric" : "byte"
            self.error = String(level.letter).lowercased()
            self.version = version
            self.mask = mask
            self.boost = boost
        }
    }

    struct SegnoSymbol: Decodable {
        let version: Int
        let error: String
        let mask: Int
        /// Rows from the top, "1" for dark.
        let rows: [String]
    }

    /// Byte-mode texts go to segno as their UTF-8 bytes: given a str, segno would pick
    /// ISO 8859-1 when the text fits it.
    ///
    /// One known segno quirk is corrected before encoding (its issues #123 and #148, open in
    /// 1.6.6): when the data and terminator end on a codeword boundary, segno still adds 8 zero
    /// bits, a whole 00000000 codeword before the pad codewords, where ISO/IEC 18004 §7.4.10
    /// adds padding bits only to reach a boundary. Readers stop at the terminator, so both
    /// symbols read the same, but their modules differ, and so may their best mask. Byte mode
    /// always ends on a boundary after its terminator (4 + 8 or 16 + 8n bits, then 4), so
    /// without the correction no byte-mode symbol short of full would compare.
    static let segnoScript = """
        import json, sys
        try:
            import segno
            import segno.encoder
        except ImportError:
            sys.exit(3)
        def write_padding_bits(buff, version, length):
            buff.extend([0] * ((8 - length % 8) % 8))
        assert segno.encoder.write_padding_bits.__code__.co_varnames[:3] == ('buff', 'version', 'length')
        segno.encoder.write_padding_bits = write_padding_bits
        out = []
        for r in json.load(open(sys.argv[1], encoding='utf-8')):
            data = r['text'].encode('utf-8') if r['mode'] == 'byte' else r['text']
            q = segno.make(data, error=r['error'], version=r.get('version'), mask=r.get('mask'),
                           mode=r['mode'], micro=False, boost_error=r['boost'])
            out.append({'version': q.version, 'error': q.error, 'mask': q.mask,
                        'rows': [''.join('1' if m else '0' for m in row) for row in q.matrix]})
        sys.stdout.write(json.dumps(out))
        """

    static func segno(_ requests: [SegnoRequest]) throws -> [SegnoSymbol] {
        let python = root.appendingPathComponent(".build-venv/bin/python3").path
        let missing = Missing(description: "segno is missing: scripts/test installs it (PyPI) into .build-venv/")
        guard FileManager.default.isExecutableFile(atPath: python) else { throw missing }
        let input = try PDFTools.file(Array(try JSONEncoder().encode(requests)), "segno-requests.json")
        let out = try run(python, ["-c", segnoScript, input.path])
        if out.status == 3 { throw missing }
        guard out.status == 0 else { throw Failed(description: "segno failed (\(out.status)): \(out.stderr)") }
        return try JSONDecoder().decode([SegnoSymbol].self, from: out.stdout)
    }

    /// The code's modules as segno writes them, for a comparison that names the first difference.
    static func rows(_ code: QRCode) -> [String] {
        code.matrix.map { String($0.map { $0 ? "1" : "0" }) }
    }

    /// A greyscale image (PGM, binary), `scale` pixels a module, with the quiet zone.
    static func pgm(_ code: QRCode, scale: Int = 4) -> [UInt8] {
        let q = QRCode.quietZone
        let side = (code.size + 2 * q) * scale
        var bytes = Array("P5\n\(side) \(side)\n255\n".utf8)
        for py in 0..<side {
            for px in 0..<side {
                bytes.append(code.isDark(x: px / scale - q, y: py / scale - q) ? 0 : 255)
            }
        }
        return bytes
    }

    /// What zbarimg reads in an image file: nil when it finds no code.
    static func zbar(_ image: URL) throws -> String? {
        let out = try PDFTools.run("zbarimg", ["--raw", "-q", image.path])
        // 4: no symbol found.
        guard out.status == 0 else { return nil }
        var text = out.text
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: Data, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        // To a file, so that a chatty error cannot fill a pipe nobody is reading yet.
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("secours-qr-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let err = try FileHandle(forWritingTo: errURL)
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try err.close()
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: errURL)
        return (p.terminationStatus, data, stderr)
    }
}
