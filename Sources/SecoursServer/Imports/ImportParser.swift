import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SecoursCore

/// Reads an import file (`docs/import.xsd`): a `<importGPS>` root holding `<document>` entries
/// with the six fields of the registration form. Refuses DTDs and entities outright: an import
/// never needs them, and they are the door to entity-expansion and external-entity attacks.
enum ImportParser {
    static let root = "importGPS"
    static let entry = "document"
    static let fields = ["numero", "type", "numeroAccise", "immatriculation", "dateExpedition", "heureExpedition"]

    /// One `<document>`, field by field (a struct rather than a dictionary: files hold up to
    /// 200,000 of them).
    struct Entry: Sendable {
        var request = RegistrationRequest(number: nil, type: nil, exciseNumber: nil, transport: nil, dispatchDate: nil, dispatchTime: nil)

        subscript(field: String) -> String? {
            get {
                switch field {
                case "numero": request.number
                case "type": request.type
                case "numeroAccise": request.exciseNumber
                case "immatriculation": request.transport
                case "dateExpedition": request.dispatchDate
                case "heureExpedition": request.dispatchTime
                default: nil
                }
            }
            set {
                switch field {
                case "numero": request.number = newValue
                case "type": request.type = newValue
                case "numeroAccise": request.exciseNumber = newValue
                case "immatriculation": request.transport = newValue
                case "dateExpedition": request.dispatchDate = newValue
                case "heureExpedition": request.dispatchTime = newValue
                default: break
                }
            }
        }
    }

    static func parse(_ data: Data, maxEntries: Int) throws(SecoursError) -> [Entry] {
        if data.isEmpty { throw invalid(Messages.Imports.emptyFile) }
        try requireUTF8(data)
        // Looked for before parsing: no DTD, no entity declaration, anywhere.
        let head = data.range(of: Data("<!DOCTYPE".utf8)) ?? data.range(of: Data("<!doctype".utf8)) ?? data.range(of: Data("<!ENTITY".utf8))
        if head != nil {
            throw SecoursError(kind: .invalid, code: "xml_dtd_refused",
                               message: Messages.Imports.dtdRefused)
        }
        let delegate = Delegate(maxEntries: maxEntries)
        // From a stream: libxml2 then reads the file in chunks, and a single chunk over 10 MB would
        // hit its default size limit.
        let parser = XMLParser(stream: InputStream(data: data))
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = true
        parser.delegate = delegate
        let ok = parser.parse()
        if let e = delegate.failure { throw e }
        guard ok else {
            throw invalid(Messages.Imports.malformedXML(line: parser.lineNumber, column: parser.columnNumber,
                                                        detail: parser.parserError.map { String(describing: $0) } ?? Messages.Imports.syntaxError))
        }
        guard delegate.sawRoot else { throw invalid(Messages.Imports.rootRequired(root)) }
        if delegate.entries.isEmpty { throw invalid(Messages.Imports.noEntries(entry)) }
        return delegate.entries
    }

    /// An import file is UTF-8 (with or without its byte-order mark), as `docs/import.xsd` says.
    /// The DTD and entity refusal below reads bytes: in UTF-16 or UTF-32 a `<!DOCTYPE` is other
    /// bytes, and a parser that followed the declared encoding could meet what the check never
    /// saw. So any other encoding, declared or seen, is refused before parsing.
    static func requireUTF8(_ data: Data) throws(SecoursError) {
        let refused = SecoursError(kind: .invalid, code: "xml_encoding_refused",
                                   message: Messages.Imports.utf8Required)
        let head = [UInt8](data.prefix(4))
        // Byte-order marks of UTF-16 and UTF-32, and the `<?` of an unmarked UTF-16/32 file.
        let foreignMarks: [[UInt8]] = [[0xFE, 0xFF], [0xFF, 0xFE], [0x00, 0x00, 0xFE, 0xFF], [0x00, 0x3C], [0x3C, 0x00], [0x4C, 0x6F, 0xA7, 0x94]]
        if foreignMarks.contains(where: { head.starts(with: $0) }) { throw refused }
        // NUL never appears in UTF-8 XML; it does in every wider encoding.
        if data.contains(0) { throw refused }
        // The declared encoding, if any, must be UTF-8.
        var body = data.prefix(200)
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if body.starts(with: Data("<?xml".utf8)), let end = body.firstIndex(of: UInt8(ascii: ">")),
           let declaration = String(data: body[body.startIndex..<end], encoding: .utf8)?.lowercased(),
           let range = declaration.range(of: "encoding") {
            let rest = declaration[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
            if name != "utf-8" && name != "utf8" { throw refused }
        }
        // Bytes that are not valid UTF-8 are then refused by the parser as malformed XML.
    }

    static func invalid(_ message: String) -> SecoursError {
        SecoursError(kind: .invalid, code: "invalid_import_file", message: message)
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        let maxEntries: Int
        var entries: [Entry] = []
        var failure: SecoursError?
        var sawRoot = false
        private var path: [String] = []
        private var current: Entry?
        private var text = ""

        init(maxEntries: Int) { self.maxEntries = maxEntries }

        private func fail(_ parser: XMLParser, _ message: String) {
            if failure == nil { failure = ImportParser.invalid(Messages.Imports.atLine(parser.lineNumber, message)) }
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            switch (path.count, name) {
            case (0, ImportParser.root): sawRoot = true
            case (0, _): fail(parser, Messages.Imports.wrongRoot(ImportParser.root, found: name))
            case (1, ImportParser.entry):
                if entries.count >= maxEntries { fail(parser, Messages.Imports.tooManyEntries(maxEntries)) }
                current = Entry()
            case (1, _): fail(parser, Messages.Imports.unexpectedElement(name, in: ImportParser.root))
            case (2, _) where ImportParser.fields.contains(name):
                if current?[name] != nil { fail(parser, Messages.Imports.repeatedField(name, in: ImportParser.entry)) }
            case (2, _): fail(parser, Messages.Imports.unknownField(name, expected: ImportParser.fields))
            default: fail(parser, Messages.Imports.tooDeep(name))
            }
            path.append(name)
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard path.count == 3, text.count <= 200 else { return }
            text += string
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if path.count == 3 { current?[name] = text.trimmingCharacters(in: .whitespacesAndNewlines) }
            if path.count == 2, let c = current {
                entries.append(c)
                current = nil
            }
            path.removeLast()
            text = ""
        }

        func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
            fail(parser, Messages.Imports.entityDeclarationRefused)
        }

        func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
            fail(parser, Messages.Imports.externalEntityRefused)
        }
    }
}
