import Foundation
import SecoursCore
import Testing
@testable import SecoursSeal

/// The Python check (Fixtures/seal_check.py) in the project's virtualenv, which
/// `ensure_seal_tools` (scripts/lib/tools.sh) fills with base45, cbor2 and pycose.
enum SealTools {
    static let root = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = root.appendingPathComponent("Tests/SecoursSealTests/Fixtures/seal_check.py").path

    /// The virtualenv's Python when it can import the three packages.
    static let python: String? = {
        let path = root.appendingPathComponent(".build-venv/bin/python3").path
        guard FileManager.default.isExecutableFile(atPath: path),
              let result = try? run(path, ["-c", "import base45, cbor2, pycose"]), result.status == 0 else { return nil }
        return path
    }()

    struct Result {
        let status: Int32
        let output: String
        let error: String
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["PYTHONUTF8": "1"]) { _, new in new }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
                      error: String(decoding: err, as: UTF8.self))
    }

    static func check(_ arguments: [String]) throws -> Result {
        try run(python!, [script] + arguments)
    }
}

/// The payload's fields as the Python check prints and reads them.
struct PrintedPayload: Codable, Equatable {
    struct Issuer: Codable, Equatable {
        var kind: String
        var deviceID: String?
        var login: String?
        var name: String?
    }

    var number: String
    var kind: String
    var type: String
    var exciseNumber: String
    var dispatchDate: String
    var dispatchTime: String
    var transport: String
    var issuer: Issuer
    var issuedAt: Int64
    var kid: String?

    init(_ document: SealedDocument) {
        number = document.number.value
        kind = document.kind.rawValue
        type = document.type.rawValue
        exciseNumber = document.exciseNumber.value
        dispatchDate = document.dispatch.day.iso
        dispatchTime = document.dispatch.time.text
        transport = document.transport
        switch document.issuer {
        case .service: issuer = Issuer(kind: "service")
        case let .device(id, login, name): issuer = Issuer(kind: "device", deviceID: id.uuidString, login: login, name: name)
        }
        issuedAt = document.issuedAt
        kid = hexString(document.keyID.bytes)
    }
}

@Suite("Seal: independent check (Python: base45, cbor2, pycose)")
struct IndependentCheckTests {
    /// In CI the tools must be there (scripts/test installs them): a missing tool is a failure,
    /// not a skipped check.
    @Test func theToolsAreInstalledInCI() {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(SealTools.python != nil, "no .build-venv with base45, cbor2 and pycose: scripts/lib/tools.sh ensure_seal_tools")
        }
    }

    static let documents: [(Signer, SealedDocument)] = [
        (Fixture.device, Fixture.lrnDocument()),
        (Fixture.service, Fixture.crapsDocument()),
        (Fixture.service, Fixture.lrnDocument(by: Fixture.service, issuer: .service)),
        (Fixture.device, SealSizeTests.longestDocument(by: Fixture.device)),
    ]

    @Test(.enabled(if: SealTools.python != nil))
    func ourCodesAreReadAndVerifiedByPycose() throws {
        for (signer, document) in Self.documents {
            let code = try signer.seal(document)
            let result = try SealTools.check(["verify", code, hexString(signer.publicKey)])
            #expect(result.status == 0, "\(result.error)")
            let printed = try JSONDecoder().decode(PrintedPayload.self, from: Data(result.output.utf8))
            #expect(printed == PrintedPayload(document))
        }
    }

    @Test(.enabled(if: SealTools.python != nil))
    func pycoseRefusesOurCodesOnceTampered() throws {
        let signer = Fixture.device
        let code = try signer.seal(Fixture.lrnDocument())
        let message = try SealCode.message(from: code)
        let otherSignature = try signer.sign(Fixture.lrnDocument(serial: 13).encoded)
        for tampered in [SealCode.text(for: message.signed(otherSignature)),
                         SealCode.text(for: COSESign1(algorithm: -8, keyID: signer.keyID.bytes, payload: Fixture.lrnDocument(serial: 13).encoded)
                             .signed(message.signature))] {
            let result = try SealTools.check(["verify", tampered, hexString(signer.publicKey)])
            #expect(result.status == 1)
            #expect(result.error.contains("signature does not verify"), "\(result.error)")
        }
        // The right code, the wrong public key.
        let wrongKey = try SealTools.check(["verify", code, hexString(Fixture.service.publicKey)])
        #expect(wrongKey.status == 1)
    }

    /// pycose signs with a key whose seed we hand it; it derives the key id itself (hashlib), and
    /// writes the payload with cbor2, keys in insertion order rather than sorted. Our verifier,
    /// given only the public key in its trust list, accepts the code and reads the same fields.
    @Test(.enabled(if: SealTools.python != nil))
    func pycoseCodesAreVerifiedByOurVerifier() throws {
        let seed = [UInt8](repeating: 0x2A, count: 32)
        let signer = try Signer(rawPrivateKey: seed)
        let verifier = try Verifier(trustList: SealTrustList(sequence: 1, issuedAt: Fixture.issuedAt, keys: [
            Fixture.key(signer),
        ]))
        for document in [Fixture.lrnDocument(by: signer), SealSizeTests.longestDocument(by: signer),
                         Fixture.lrnDocument(by: signer, issuer: .service)] {
            var fields = PrintedPayload(document)
            fields.kid = nil
            let input = String(decoding: try JSONEncoder().encode(fields), as: UTF8.self)
            let result = try SealTools.check(["sign", hexString(seed), input])
            #expect(result.status == 0, "\(result.error)")
            let code = result.output.trimmingCharacters(in: .newlines)
            let verification = verifier.verify(code)
            #expect(verification.verdict == .valid, "\(code)")
            #expect(verification.document == document)
            // Its payload is not in deterministic order; ours would be.
            let message = try SealCode.message(from: code)
            #expect(message.payload != document.encoded)
            // A pycose code tampered with is refused as ours are.
            let tampered = SealCode.text(for: message.signed(Array(message.signature.reversed())))
            #expect(verifier.verify(tampered).verdict == .signatureBroken)
        }
    }
}
