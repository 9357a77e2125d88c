import Foundation
import SecoursCore
import Testing
@testable import SecoursSeal

@Suite("Seal: size and speed")
struct SealSizeTests {
    static let longestLRN = try! FallbackLRN(day: Fixture.dispatch.day, exciseNumber: Fixture.excise, serial: 123_456_789)
    /// 35 characters, the most the form takes.
    static let longestTransport = "AB-123-CD / XY-456-ZZ / REMORQUE 12"
    /// 30 characters.
    static let longLogin = "jean-baptiste.delacroix-martin"
    /// 64 characters, the most a device name has.
    static let longestDeviceName = "Poste portable du bureau de douane de Marseille-Port, salle 12AB"

    /// The longest document in plain ASCII: a 22-character LRN, a 35-character plate, a device
    /// issuer with a 30-character login and a 64-character name.
    static func longestDocument(by signer: Signer, transport: String = longestTransport, deviceName: String = longestDeviceName) -> SealedDocument {
        try! SealedDocument(number: .lrn(longestLRN), type: .dae, exciseNumber: Fixture.excise, dispatch: Fixture.dispatch,
                            transport: transport, issuer: .device(id: Fixture.deviceID, login: longLogin, name: deviceName),
                            issuedAt: Date(timeIntervalSince1970: TimeInterval(Fixture.issuedAt)), keyID: signer.keyID)
    }

    @Test func theLongestDocumentFitsAQRCode() throws {
        #expect(Self.longestLRN.value.count == 22)
        #expect(Self.longestTransport.count == 35)
        #expect(Self.longLogin.count == 30)
        #expect(Self.longestDeviceName.count == 64)
        let code = try Fixture.device.seal(Self.longestDocument(by: Fixture.device))
        #expect(Fixture.verifier.verify(code).verdict == .valid)
        // Every character of the plate and of the name taking 3 bytes of UTF-8, the most the
        // rules allow (a name refuses code points from U+FFFD up).
        let wide = try Fixture.device.seal(Self.longestDocument(by: Fixture.device, transport: String(repeating: "水", count: 35),
                                                                 deviceName: String(repeating: "水", count: 64)))
        #expect(Fixture.verifier.verify(wide).verdict == .valid)
        let payload = Self.longestDocument(by: Fixture.device).encoded.count
        print("seal size: longest ASCII document \(code.count) characters with the prefix (payload \(payload) bytes); every plate and name character 3 bytes of UTF-8: \(wide.count)")
        // A version 15 QR code holds 758 alphanumeric characters at level M; version 40, 4296 at L.
        #expect(code.count < 758)
        #expect(wide.count < 1000)
    }

    @Test func signingAndCheckingTime() throws {
        let document = Self.longestDocument(by: Fixture.device)
        let rounds = 300
        let clock = ContinuousClock()
        var code = ""
        let signing = try clock.measure {
            for _ in 0..<rounds { code = try Fixture.device.seal(document) }
        }
        var verdict = SealVerdict.signatureBroken
        let checking = clock.measure {
            for _ in 0..<rounds { verdict = Fixture.verifier.verify(code).verdict }
        }
        #expect(verdict == .valid)
        func perDocument(_ d: Duration) -> String {
            let micros = Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12
            return String(format: "%.0f µs", micros / Double(rounds))
        }
        #if DEBUG
        let build = "debug build"
        #else
        let build = "release build"
        #endif
        print("seal speed (\(build), \(rounds) rounds): signing \(perDocument(signing)), checking \(perDocument(checking)) per document")
        #expect(signing < .seconds(rounds / 10))
        #expect(checking < .seconds(rounds / 10))
    }
}
