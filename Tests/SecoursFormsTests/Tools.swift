import Foundation
import Testing

/// Runs the real PDF tools (poppler-utils, qpdf) and the barcode reader (zbarimg) on a file; the
/// test command installs them.
enum PDFTools {
    struct Output { let status: Int32; let stdout: Data; var text: String { String(decoding: stdout, as: UTF8.self) } }

    static func run(_ tool: String, _ arguments: [String]) throws -> Output {
        guard let path = ["/usr/bin", "/usr/local/bin", "/bin"].map({ "\($0)/\(tool)" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw ToolMissing(tool: tool)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: data)
    }

    struct ToolMissing: Error, CustomStringConvertible {
        let tool: String
        var description: String {
            tool == "zbarimg" ? "zbarimg is missing: scripts/test installs zbar-tools" : "\(tool) is missing: scripts/test installs poppler-utils and qpdf"
        }
    }

    /// Writes `bytes` to a temporary file for the tools.
    static func file(_ bytes: [UInt8], _ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("secours-forms-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// The fields qpdf finds: name → (flags, max length).
    static func fields(_ url: URL) throws -> [String: (flags: Int, maxLength: Int?)] {
        let out = try run("qpdf", ["--json=2", "--json-key=acroform", url.path])
        #expect(out.status == 0)
        let json = try JSONSerialization.jsonObject(with: out.stdout) as? [String: Any]
        let acroform = json?["acroform"] as? [String: Any]
        #expect(acroform?["hasacroform"] as? Bool == true)
        var found: [String: (Int, Int?)] = [:]
        for f in acroform?["fields"] as? [[String: Any]] ?? [] {
            guard let name = f["fullname"] as? String else { continue }
            found[name] = (f["fieldflags"] as? Int ?? 0, nil)
        }
        return found
    }

    /// Pixels of a page rendered by pdftoppm at `dpi`: (width, height, RGB bytes).
    static func render(_ url: URL, dpi: Int = 40) throws -> (width: Int, height: Int, rgb: [UInt8]) {
        let out = try run("pdftoppm", ["-r", String(dpi), "-singlefile", url.path])
        #expect(out.status == 0)
        // PPM (P6): "P6\n<w> <h>\n255\n" then RGB triples.
        let bytes = [UInt8](out.stdout)
        var fields: [String] = []
        var i = 0
        while fields.count < 4, i < bytes.count {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A { i += 1 }
            var token = ""
            while i < bytes.count, bytes[i] != 0x20, bytes[i] != 0x0A { token.append(Character(UnicodeScalar(bytes[i]))); i += 1 }
            fields.append(token)
        }
        i += 1
        guard fields.count == 4, fields[0] == "P6", let w = Int(fields[1]), let h = Int(fields[2]) else { return (0, 0, []) }
        return (w, h, Array(bytes[i...]))
    }
}
