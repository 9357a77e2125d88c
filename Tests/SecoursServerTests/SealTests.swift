import Crypto
import Foundation
import SecoursCore
import SecoursSeal
import Testing
import VaporTesting
@testable import SecoursServer

/// The seal of the filled forms (docs/seal.md): the service's key, the QR code on every filled
/// form read back by zbarimg from the page as pdftoppm draws it, the public trust list and the
/// check of a code.
@Suite("Seal: the service's key, the QR code on the forms, trust list and verification")
struct SealTests {
    /// Runs a tool and returns its standard output.
    static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The texts of the QR codes zbarimg finds on the PDF's page drawn at 150 dpi.
    static func scan(_ pdf: [UInt8]) throws -> [String] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("secours-seal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("form.pdf")
        try Data(pdf).write(to: file)
        #expect(try run("pdftoppm", ["-r", "150", "-png", file.path, dir.appendingPathComponent("page").path]).status == 0)
        let pages = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".png") }.sorted()
        #expect(pages.count == 1)
        let read = try run("zbarimg", ["--raw", "-q"] + pages.map { dir.appendingPathComponent($0).path })
        return read.output.split(separator: "\n").map(String.init)
    }

    static func text(_ pdf: [UInt8]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("secours-seal-\(UUID().uuidString).pdf")
        try Data(pdf).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try run("pdftotext", ["-enc", "UTF-8", file.path, "-"]).output
    }

    /// A verifier from the trust list the service serves, checked against the service's key as
    /// a verifier pins it.
    static func verifier(_ app: Application) async throws -> Verifier {
        let r = try await app.api(.GET, "/api/v1/seal/trust-list")
        #expect(r.status == .ok)
        let signed = try SignedSealTrustList(json: Array(r.text.utf8))
        let anchor = try Curve25519.Signing.PublicKey(rawRepresentation: app.secours.seal.signer.publicKey)
        return try Verifier(signedTrustList: signed, anchors: [anchor])
    }

    /// A PDF answer's bytes, as sent.
    static func pdf(_ app: Application, _ path: String, token: String, language: String? = nil) async throws -> [UInt8] {
        var headers = HTTPHeaders()
        headers.add(name: .authorization, value: "Bearer \(token)")
        if let language { headers.add(name: "Accept-Language", value: language) }
        let response = try await app.testing().sendRequest(.GET, path, headers: headers)
        #expect(response.status == .ok && response.headers.contentType == HTTPMediaType(type: "application", subType: "pdf"), "\(path)")
        return Array(response.body.readableBytesView)
    }

    static func stored(_ app: Application, _ number: String) async throws -> DocumentModel {
        try #require(try await DocumentStore(db: app.db).document(number: number))
    }

    @Test(arguments: TestDatabase.available)
    func everyFilledFormCarriesACodeThatVerifiesOffline(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let generated = try #require(try await app.generate(marie, transport: "GH-712-XY").object["number"] as? String)
            let registered = "26FR007328E0001000052"
            let r = try await app.api(.POST, "/api/v1/documents/registrations", token: marie,
                                      body: ["number": registered, "type": "DSA", "exciseNumber": "FR007328E0001", "transport": "AB-123-CD",
                                             "dispatchDate": "2026-11-21", "dispatchTime": "08:00"])
            #expect(r.status == .created, "\(r.text)")
            // A GAMMA 2 fallback LRN: the form's other variant.
            let lrn = "PS261121E00010001"
            let l = try await app.api(.POST, "/api/v1/documents/registrations", token: marie,
                                      body: ["number": lrn, "type": "DSA", "exciseNumber": "FR007328E0001", "transport": "AB-123-CD",
                                             "dispatchDate": "2026-11-21", "dispatchTime": "16:00"])
            #expect(l.status == .created, "\(l.text)")
            let verifier = try await Self.verifier(app)
            for number in [generated, registered, lrn] {
                let doc = try await Self.stored(app, number)
                let form = try await Self.pdf(app, "/api/v1/documents/\(number)/form.pdf", token: marie)
                let codes = try Self.scan(form)
                #expect(codes.count == 1, "\(number): \(codes)")
                let code = try #require(codes.first)
                #expect(code.hasPrefix("SC1:"))
                let result = verifier.verify(code)
                #expect(result.verdict == .valid, "\(number)")
                let sealed = try #require(result.document)
                #expect(sealed.number.value == doc.number && sealed.type == doc.type && sealed.exciseNumber.value == doc.exciseNumber)
                #expect(sealed.dispatch.day.iso == doc.dispatchDate && sealed.dispatch.time.text == doc.dispatchTime)
                #expect(sealed.transport == doc.transport && sealed.issuer == .service)
                #expect(sealed.issuedAt == Int64(doc.registeredAt.timeIntervalSince1970.rounded(.down)))
                // The same document always gives the same code.
                #expect(try Self.scan(try await Self.pdf(app, "/api/v1/documents/\(number)/form.pdf", token: marie)) == [code])
                // One line under it says what it is for, in the language of the request.
                let french = try Self.text(form).replacingOccurrences(of: "\n", with: " ")
                #expect(french.contains("Code signé : vérifiable hors ligne sur"), "\(french)")
                let english = try await Self.pdf(app, "/api/v1/documents/\(number)/form.pdf", token: marie, language: "en")
                #expect(try Self.scan(english) == [code])
                #expect(try Self.text(english).replacingOccurrences(of: "\n", with: " ").contains("Signed code: verifiable offline at"))
            }
            // The page's link gives the same form.
            let web = WebSession(app)
            _ = try await web.signIn("marie.laurent")
            let page = try await web.get("/documents/\(generated)/formulaire.pdf")
            #expect(page.status == .ok && page.html.hasPrefix("%PDF"))
            // A blank form has no code, only its empty frame.
            #expect(try Self.scan(try await Self.pdf(app, "/api/v1/forms/DAE.pdf", token: marie)).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theServiceChecksACodeAndGivesTheDocumentsStatus(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let number = try #require(try await app.generate(marie).object["number"] as? String)
            let doc = try await Self.stored(app, number)
            let code = try #require(app.secours.seal.code(for: doc))

            let valid = try await app.api(.POST, "/api/v1/seal/verify", body: ["code": code])
            #expect(valid.status == .ok)
            #expect((valid.object["verdict"] as? [String: Any])?["code"] as? String == "valid")
            #expect(valid.object["status"] as? String == "active")
            let document = try #require(valid.object["document"] as? [String: Any])
            #expect(document["number"] as? String == number && document["exciseNumber"] as? String == "FR007328E0001")
            #expect(document["type"] as? String == "DAE" && document["kind"] as? String == "craps")
            #expect(document["dispatchDate"] as? String == "2026-11-23" && document["dispatchTime"] as? String == "08:30")
            #expect(document["transport"] as? String == "AB-123-CD" && (document["issuer"] as? [String: Any])?["kind"] as? String == "service")
            #expect(Set(document.keys) == ["number", "kind", "type", "exciseNumber", "dispatchDate", "dispatchTime", "transport", "issuer", "issuedAt"])

            // The printed fields given are compared.
            let printed = try await app.api(.POST, "/api/v1/seal/verify", body: ["code": code, "printed": ["number": number, "transport": "ZZ-999-ZZ"]])
            #expect((printed.object["verdict"] as? [String: Any])?["code"] as? String == "mismatch")
            #expect(printed.object["status"] == nil)

            // Cancelled: the seal stays good, the status says it.
            let cancel = try await app.api(.POST, "/api/v1/documents/\(number)/cancellation", token: marie, body: ["reason": "document-error"])
            #expect(cancel.status == .ok, "\(cancel.text)")
            let after = try await app.api(.POST, "/api/v1/seal/verify", body: ["code": code])
            #expect((after.object["verdict"] as? [String: Any])?["code"] as? String == "valid" && after.object["status"] as? String == "cancelled")

            // One character changed: not valid, and nothing of the document told.
            let chars = Array(code)
            var changed = 0
            for index in stride(from: 10, to: chars.count, by: 37) {
                var tampered = chars
                tampered[index] = chars[index] == "A" ? "B" : "A"
                let r = try await app.api(.POST, "/api/v1/seal/verify", body: ["code": String(tampered)])
                #expect(r.status == .ok)
                let verdict = (r.object["verdict"] as? [String: Any])?["code"] as? String
                #expect(verdict == "signature_broken" || verdict == "not_a_secours_code", "\(index): \(r.text)")
                #expect(r.object["document"] == nil && r.object["status"] == nil)
                if verdict == "signature_broken" { changed += 1 }
            }
            #expect(changed > 0, "some changes keep the format and break the signature")

            // Signed by another key: unknown key, nothing told.
            let other = try Signer(rawPrivateKey: (0..<32).map { _ in UInt8.random(in: 0...255) })
            let sealed = try #require(app.secours.seal.sealedDocument(doc))
            let forged = try other.seal(try SealedDocument(number: sealed.number, type: sealed.type, exciseNumber: sealed.exciseNumber,
                                                           dispatch: sealed.dispatch, transport: sealed.transport, issuer: .service,
                                                           issuedAt: sealed.issueDate, keyID: other.keyID))
            let unknown = try await app.api(.POST, "/api/v1/seal/verify", body: ["code": forged])
            #expect((unknown.object["verdict"] as? [String: Any])?["code"] as? String == "unknown_key")
            #expect(unknown.object["document"] == nil && unknown.object["status"] == nil)
            let notOurs = try await app.api(.POST, "/api/v1/seal/verify", body: ["code": "HC1:NCFOXN%TS3DH"])
            #expect((notOurs.object["verdict"] as? [String: Any])?["code"] as? String == "not_a_secours_code")

            // Bad input is a clear 4xx, never a 5xx.
            let cases: [(Any, String)] = [
                ("{not json", "not JSON"), (["code": code + String(repeating: "A", count: 2001 - code.count)], "too long"),
                (["code": "SC1:\u{0}ABC"], "control character"), (["printed": ["number": number]], "no code"), ([String: Any](), "empty"),
                (["code": 12], "not a string"),
            ]
            for (body, what) in cases {
                let r = try await app.api(.POST, "/api/v1/seal/verify", body: body)
                #expect((400..<500).contains(Int(r.status.code)), "\(what): \(r.status) \(r.text)")
                #expect(r.errorMessage?.isEmpty == false, "\(what): \(r.text)")
            }
            let long = try await app.api(.POST, "/api/v1/seal/verify", body: ["code": code + String(repeating: "A", count: 2001 - code.count)])
            #expect(long.status == .unprocessableEntity && long.errorFields == ["code"])
            // a printed field out of the contract's bounds is refused, never compared
            for (field, value) in [("transport", String(repeating: "A", count: 65)), ("number", " "), ("dispatchTime", "08:00\u{0007}")] {
                let r = try await app.api(.POST, "/api/v1/seal/verify", body: ["code": code, "printed": [field: value]])
                #expect(r.status == .unprocessableEntity && r.errorFields == ["printed.\(field)"], "\(field): \(r.text)")
            }
        }
    }

    @Test func theTrustListIsPublicSignedAndKeepsThePreviousKeys() async throws {
        let old = try Signer(rawPrivateKey: (0..<32).map { _ in UInt8.random(in: 0...255) })
        let until = ISO8601DateFormatter().date(from: "2026-11-22T12:00:00Z")!
        try await withApp(.sqlite, configure: {
            $0.sealPreviousKeys = [SealPreviousKey(publicKey: old.publicKey, validUntil: Int64(until.timeIntervalSince1970))]
        }) { app in
            let r = try await app.api(.GET, "/api/v1/seal/trust-list")
            #expect(r.status == .ok && r.headers.first(name: .cacheControl) == "public, max-age=300")
            #expect(r.headers.contentType == .json)
            let verifier = try await Self.verifier(app)
            let keys = verifier.trustList.keys
            #expect(keys.map(\.keyID) == [app.secours.seal.signer.keyID, old.keyID])
            #expect(keys.allSatisfy { $0.role == .service && $0.scope == .all && !$0.revoked })
            #expect(keys[1].validUntil == Int64(until.timeIntervalSince1970) && keys[0].validUntil == nil)

            // What the old key sealed before its end stays valid; after it, it is refused.
            let marie = try await app.token("marie.laurent")
            let number = try #require(try await app.generate(marie).object["number"] as? String)
            let sealed = try #require(app.secours.seal.sealedDocument(try await Self.stored(app, number)))
            func oldSeal(_ at: Date) throws -> String {
                try old.seal(try SealedDocument(number: sealed.number, type: sealed.type, exciseNumber: sealed.exciseNumber, dispatch: sealed.dispatch,
                                                transport: sealed.transport, issuer: .service, issuedAt: at, keyID: old.keyID))
            }
            #expect(verifier.verify(try oldSeal(until.addingTimeInterval(-60))).verdict == .valid)
            #expect(verifier.verify(try oldSeal(until)).verdict == .keyExpired(old.keyID))
            let checked = try await app.api(.POST, "/api/v1/seal/verify", body: ["code": try oldSeal(until.addingTimeInterval(-60))])
            #expect((checked.object["verdict"] as? [String: Any])?["code"] as? String == "valid" && checked.object["status"] as? String == "active")
        }
    }

    @Test func previousKeysAreReadFromTheirSetting() throws {
        let key = Data((0..<32).map { UInt8($0) })
        let pub = try Curve25519.Signing.PrivateKey(rawRepresentation: key).publicKey.rawRepresentation.base64EncodedString()
        let s = try Settings.fromEnvironment(["SECOURS_SEAL_PREVIOUS_KEYS": "\(pub), \(pub)@2026-12-01,\(pub)@1790000000"])
        #expect(s.sealPreviousKeys.map(\.validUntil) == [nil, 1_796_083_200, 1_790_000_000])
        #expect(throws: SettingsError.self) { try Settings.fromEnvironment(["SECOURS_SEAL_PREVIOUS_KEYS": "pas-une-clé"]) }
        #expect(throws: SettingsError.self) { try Settings.fromEnvironment(["SECOURS_SEAL_PREVIOUS_KEYS": "\(pub)@demain"]) }
        #expect(throws: SettingsError.self) { try Settings.fromEnvironment(["SECOURS_SEAL_KEY": "a", "SECOURS_SEAL_KEY_FILE": "/b"]) }
        #expect(try Settings.fromEnvironment(["SECOURS_SEAL_KEY": testSealKey]).sealKey != nil)
    }

    /// The start-up error of a configuration, or nil when the service starts.
    static func startupError(_ configure: (inout Settings) -> Void) async throws -> String? {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secours-seal-\(UUID().uuidString).sqlite").path
        defer { for s in ["", "-wal", "-shm", ".seal-key", ".startup-lock"] { try? FileManager.default.removeItem(atPath: path + s) } }
        var settings = Settings()
        settings.database = .sqlite(path: path)
        settings.bcryptCost = 4
        settings.logLevel = "warning"
        settings.inactivationInterval = 0
        configure(&settings)
        do {
            let app = try await makeApplication(settings, environment: .testing)
            try await app.asyncShutdown()
            return nil
        } catch let error as SettingsError {
            return error.description
        }
    }

    @Test func aMissingOpenOrUnreadableKeyStopsTheStart() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("secours-seal-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func keyFile(_ name: String, _ content: String, mode: Int) throws -> String {
            let path = dir.appendingPathComponent(name).path
            #expect(FileManager.default.createFile(atPath: path, contents: Data(content.utf8)))
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
            return path
        }
        let missing = try #require(try await Self.startupError { $0.sealKeyFile = dir.appendingPathComponent("absent").path })
        #expect(missing.contains("SECOURS_SEAL_KEY_FILE") && missing.contains("introuvable"), "\(missing)")
        let open = try keyFile("open", testSealKey, mode: 0o644)
        let openError = try #require(try await Self.startupError { $0.sealKeyFile = open })
        #expect(openError.contains("0600") && openError.contains("644"), "\(openError)")
        let garbage = try keyFile("garbage", "ceci n'est pas une clé", mode: 0o600)
        let garbageError = try #require(try await Self.startupError { $0.sealKeyFile = garbage })
        #expect(garbageError.contains("illisible") && !garbageError.contains("ceci n'est pas"), "\(garbageError)")
        let short = try #require(try await Self.startupError { $0.sealKey = SealKeySecret("c2VjcmV0LXRyb3AtY291cnQ=") })
        #expect(short.contains("SECOURS_SEAL_KEY") && !short.contains("c2VjcmV0LXRyb3AtY291cnQ="), "\(short)")
        // A PostgreSQL service without a key refuses to start, before it connects anywhere.
        let postgres = try #require(try await Self.startupError { $0.database = .postgres(url: "postgres://secours@127.0.0.1:9/secours") })
        #expect(postgres.contains("Aucune clé de scellement") && postgres.contains("SECOURS_SEAL_KEY_FILE"), "\(postgres)")
        // A good file (0600 or 0400) is used as it is.
        let good = try keyFile("good", testSealKey + "\n", mode: 0o400)
        #expect(try await Self.startupError { $0.sealKeyFile = good } == nil)
    }

    @Test func anSQLiteServiceMakesItsKeyOnceBesideItsDatabase() async throws {
        try await withApp(.sqlite) { app in
            guard case let .sqlite(path) = app.secours.settings.database else { Issue.record("not SQLite"); return }
            let file = path + ".seal-key"
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber).intValue
            #expect(mode & 0o777 == 0o600)
            let key = try ServiceSeal.readKeyFile(file, setting: nil)
            #expect(key.keyID == app.secours.seal.signer.keyID)
            // A second process on the same database finds the same key.
            try await withSecondInstance(of: app) { other in
                #expect(other.secours.seal.signer.keyID == app.secours.seal.signer.keyID)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func theKeyIsInNoLogLineAndNoAnswer(_ db: TestDatabase) async throws {
        let logs = LogCollector()
        let secret = "K0y3FSOn3O0mlgxtmZtmc4OqWHr5M0AMW2mXi9XC6Xo="
        let raw = try #require(Data(base64Encoded: secret))
        let forms = [secret, Base64URL.encode(Array(raw)), String(secret.dropLast()), raw.map { String(format: "%02x", $0) }.joined()]
        try await withApp(db, configure: {
            $0.sealKey = SealKeySecret(secret)
            $0.logOutput = logs.output
            $0.logLevel = "trace"
        }) { app in
            #expect(app.secours.seal.signer.publicKey != Array(raw))
            #expect(!"\(app.secours.settings.sealKey!)".contains(secret))
            let marie = try await app.token("marie.laurent")
            let number = try #require(try await app.generate(marie).object["number"] as? String)
            var answers: [String] = []
            answers.append(try await app.api(.GET, "/api/v1/seal/trust-list").text)
            answers.append(try await app.api(.GET, "/api/v1/documents/\(number)/form.pdf", token: marie).text)
            answers.append(try await app.api(.GET, "/api/v1/openapi.json").text)
            let code = try #require(app.secours.seal.code(for: try await Self.stored(app, number)))
            answers.append(try await app.api(.POST, "/api/v1/seal/verify", body: ["code": code]).text)
            answers.append(try await app.api(.GET, "/api/v1/documents/\(number)", token: marie).text)
            for answer in answers {
                for form in forms { #expect(!answer.contains(form)) }
            }
        }
        #expect(!logs.all.isEmpty)
        for line in logs.all {
            for form in forms { #expect(!line.contains(form), "\(line)") }
        }
    }
}
