import Fluent
import Foundation
import SecoursCore
import Testing
import VaporTesting
@testable import SecoursServer

@Suite("XML import (R-GPS-6)")
struct ImportTests {
    static func entry(_ number: String, type: String = "DAA", excise: String = "FR007328E0002", transport: String = "AB-123-CD",
                      date: String = "2026-11-20", time: String = "07:45") -> String {
        """
        <document><numero>\(number)</numero><type>\(type)</type><numeroAccise>\(excise)</numeroAccise>
        <immatriculation>\(transport)</immatriculation><dateExpedition>\(date)</dateExpedition><heureExpedition>\(time)</heureExpedition></document>
        """
    }

    static func file(_ entries: [String]) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<importGPS>\n" + entries.joined(separator: "\n") + "\n</importGPS>\n"
    }

    func send(_ app: Application, _ token: String, _ xml: String, contentType: String = "application/xml") async throws -> APIResponse {
        try await app.api(.POST, "/api/v1/imports", token: token, body: xml, headers: [("Content-Type", contentType)])
    }

    func results(_ r: APIResponse) -> [String] { (r.object["entries"] as? [[String: Any]] ?? []).compactMap { $0["result"] as? String } }

    @Test(arguments: TestDatabase.available)
    func reportsEachEntryAndIsIdempotent(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            // The example published in docs/ imports as it is.
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/import-example.xml")
            let example = try await send(app, marie, String(contentsOf: url, encoding: .utf8))
            #expect(example.status == .ok && example.object["accepted"] as? Int == 2, "\(example.text)")

            let xml = Self.file([
                Self.entry("26FR007328E0002000141"),                                    // accepted
                Self.entry("26FR007328E0002000121"),                                    // same as the example: already registered
                Self.entry("26FR007328E0002000132", transport: "AUTRE"),                // known with other data: refused
                Self.entry("26FR007328E0002000152", type: "DAA"),                        // type digit says DSA: refused
                Self.entry("26FR007328E0001000161", excise: "FR007328E0001"),          // DTI excise number: refused
                Self.entry("26FR009990F0005000171", excise: "FR009990F0005"),          // other company: refused
                Self.entry("26FR007328E0002000181", date: "2030-01-01"),                // future: refused
                Self.entry("26FR007328E0002000141"),                                    // repeated in the file: already
                Self.entry("26FR007328E0002000142", type: "DSA"),                        // sequence 14 taken in this file: refused
            ])
            let r = try await send(app, marie, xml)
            #expect(r.status == .ok, "\(r.text)")
            #expect(results(r) == ["accepted", "already-registered", "refused", "refused", "refused", "refused", "refused", "already-registered", "refused"])
            #expect(r.object["accepted"] as? Int == 1 && r.object["refused"] as? Int == 6 && r.object["alreadyRegistered"] as? Int == 2)
            let reasons = (r.object["entries"] as! [[String: Any]]).compactMap { $0["reason"] as? String }
            #expect(reasons.contains { $0.contains("mode DTI+ ou EDI") })
            #expect(reasons.contains { $0.contains("habilité sur le numéro d'accise FR009990F0005") })
            // Sending the same file again changes nothing.
            let count = try await DocumentModel.query(on: app.db).count()
            let again = try await send(app, marie, xml)
            #expect(again.object["accepted"] as? Int == 0)
            #expect(try await DocumentModel.query(on: app.db).count() == count)
            // The imported documents are a posteriori, with an "import" history line, and the sequence moved on.
            let doc = try await app.api(.GET, "/api/v1/documents/26FR007328E0002000141", token: marie)
            #expect(doc.object["registrationMode"] as? String == "a-posteriori")
            #expect(try await app.api(.GET, "/api/v1/documents/26FR007328E0002000141/history", token: marie).array.first?["action"] as? String == "import")
            #expect((try await app.generate(marie, excise: "FR007328E0002").object["number"] as? String)?.hasPrefix("26FR007328E000200015") == true)
            // An EDI provider imports for its client.
            let edi = try await send(app, try await app.token("edi.transvin"), Self.file([Self.entry("26FR009990F0005000171", excise: "FR009990F0005")]))
            #expect(results(edi) == ["accepted"])
            #expect(try await app.api(.GET, "/api/v1/documents/26FR009990F0005000171", token: try await app.token("sophie.durand")).object["actorType"] as? String == "edi-provider")
        }
    }

    @Test(arguments: TestDatabase.available)
    func hostileAndMalformedFilesChangeNothing(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.maxImportSize = 64 * 1024; $0.maxImportEntries = 50 }) { app in
            let marie = try await app.token("marie.laurent")
            let xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE importGPS [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <importGPS><document><numero>&xxe;</numero></document></importGPS>
                """
            let laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><importGPS>&lol2;</importGPS>"
            let cases: [(String, String, HTTPResponseStatus, String)] = [
                (xxe, "application/xml", .unprocessableEntity, "xml_dtd_refused"),
                (laughs, "application/xml", .unprocessableEntity, "xml_dtd_refused"),
                ("<importGPS><document>", "application/xml", .unprocessableEntity, "invalid_import_file"),
                ("pas du xml", "application/xml", .unprocessableEntity, "invalid_import_file"),
                ("<autre/>", "application/xml", .unprocessableEntity, "invalid_import_file"),
                ("<importGPS/>", "application/xml", .unprocessableEntity, "invalid_import_file"),
                ("<importGPS><document><numero>1</numero><couleur>bleu</couleur></document></importGPS>", "application/xml", .unprocessableEntity, "invalid_import_file"),
                (Self.file((0..<51).map { Self.entry("26FR007328E0002\(String(format: "%05d", $0 + 1))1") }), "application/xml", .unprocessableEntity, "invalid_import_file"),
                (Self.file([String](repeating: Self.entry("26FR007328E0002000011"), count: 400)), "application/xml", .payloadTooLarge, "payload_too_large"),
                (Self.file([Self.entry("26FR007328E0002000011")]), "application/json", .unsupportedMediaType, "unsupported_media_type"),
            ]
            for (body, type, status, code) in cases {
                let r = try await send(app, marie, body, contentType: type)
                #expect(r.status == status, "\(body.prefix(60)): \(r.text)")
                #expect(r.errorCode == code, "\(body.prefix(60)): \(r.text)")
            }
            #expect(try await DocumentModel.query(on: app.db).count() == 0)
            #expect(try await send(app, "nope", Self.file([Self.entry("26FR007328E0002000011")])).status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.available)
    func uploadPage(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = WebSession(app)
            _ = try await web.signIn("marie.laurent")
            let page = try await web.get("/importer")
            #expect(page.html.contains("enctype=\"multipart/form-data\""))
            let boundary = "----secours"
            let xml = Self.file([Self.entry("26FR007328E0002000141")])
            let body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(web.csrf!)\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.xml\"\r\nContent-Type: application/xml\r\n\r\n\(xml)\r\n--\(boundary)--\r\n"
            var headers = HTTPHeaders()
            headers.add(name: .cookie, value: "secours_session=\(web.cookie!)")
            headers.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            let r = try await app.testing().sendRequest(.POST, "/importer", headers: headers, body: ByteBuffer(string: body))
            let html = String(buffer: r.body)
            #expect(r.status == .ok, "\(html)")
            #expect(html.contains("1 enregistré(s)") && html.contains("26FR007328E0002000141"))
        }
    }

    @Test func reportJSONIsTheCodableOne() throws {
        let report = ImportService.Report(accepted: 1, alreadyRegistered: 0, refused: 2, entries: [
            .init(index: 1, number: "26FR007328E0002000011", result: "accepted", reason: nil),
            .init(index: 2, number: "26FR\"<x>", result: "refused", reason: "Guillemets \" et \\ barre, ligne\nsuivante\u{1}, accents é — fin"),
            .init(index: 3, number: "", result: "refused", reason: "Numéro manquant."),
        ])
        var buffer = report.json(allocator: ByteBufferAllocator())
        let data = Data(buffer.readBytes(length: buffer.readableBytes)!)
        let decoded = try JSONDecoder().decode(ImportService.Report.self, from: data)
        #expect(decoded.accepted == 1 && decoded.refused == 2 && decoded.alreadyRegistered == 0)
        #expect(decoded.entries.map(\.number) == report.entries.map(\.number))
        #expect(decoded.entries.map(\.reason) == report.entries.map(\.reason))
        #expect(!String(decoding: data, as: UTF8.self).contains("\"reason\":null"), "absent reasons are left out, as the encoder does")
    }
}
