import Crypto
import Foundation
import SecoursCore
import Testing
@testable import SecoursSeal

@Suite("Seal: signing and checking")
struct SealTests {
    /// RFC 8032 §7.1, test 1: Ed25519 is pure and deterministic, so the signature is the RFC's.
    /// The key id is the first 8 bytes of SHA-256 of the public key (computed with Python's hashlib).
    @Test func theSignerIsRFC8032Ed25519() throws {
        let signer = try Signer(rawPrivateKey: hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
        #expect(hexString(signer.publicKey) == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        #expect(hexString(try signer.sign([])) == "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
        #expect(hexString(signer.keyID.bytes) == "21fe31dfa154a261")
        #expect(signer.keyID.base64url == "If4x36FUomE")
        #expect(throws: SealKeyError.invalidKey) { try Signer(rawPrivateKey: [1, 2, 3]) }
    }

    @Test func aSealedDocumentIsValidAndReadBack() throws {
        for (signer, document) in [(Fixture.device, Fixture.lrnDocument()), (Fixture.service, Fixture.crapsDocument()),
                                   (Fixture.service, Fixture.lrnDocument(by: Fixture.service, issuer: .service))] {
            let code = try signer.seal(document)
            #expect(code.hasPrefix("SC1:"))
            #expect(code.dropFirst(4).allSatisfy { "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".contains($0) })
            let result = Fixture.verifier.verify(code)
            #expect(result.verdict == .valid)
            #expect(result.document == document)
            // Ed25519 signs deterministically: the same document, the same code.
            #expect(try signer.seal(document) == code)
        }
    }

    @Test func theCodeIsATaggedCOSESign1WithEdDSAAndTheKeyID() throws {
        let code = try Fixture.device.seal(Fixture.lrnDocument())
        let bytes = try Base45.decode(code.dropFirst(4))
        let kid = hexString(Fixture.device.keyID.bytes)
        // 18([h'a2 01 27 04 48 kid', {}, payload, signature])
        #expect(hexString(bytes.prefix(16)) == "d2844da201270448" + kid)
        #expect(bytes[16] == 0xA0)
        let message = try COSESign1(decoding: bytes)
        #expect(message.signature.count == 64)
        #expect(message.payload == Fixture.lrnDocument().encoded)
        #expect(try SealedDocument(decoding: message.payload).keyID == Fixture.device.keyID)
    }

    @Test func theSignerRefusesADocumentThatNamesAnotherKey() {
        #expect(throws: SealKeyError.keyIDMismatch) { try Fixture.service.seal(Fixture.lrnDocument(by: Fixture.device)) }
    }

    @Test func printedFieldsThatDifferGiveAMismatch() throws {
        let code = try Fixture.device.seal(Fixture.lrnDocument())
        let same = SealPrintedFields(number: "PS261120E00010012", type: "DAA", exciseNumber: "FR007328E0001", dispatchDate: "20/11/2026",
                                     dispatchTime: "14:05", transport: "ab 123 cd")
        #expect(Fixture.verifier.verify(code, printed: same).verdict == .valid)
        var changed = same
        changed.transport = "AB-123-CE"
        changed.dispatchTime = "15:05"
        let result = Fixture.verifier.verify(code, printed: changed)
        #expect(result.verdict == .mismatch([.dispatchTime, .transport]))
        #expect(result.document == Fixture.lrnDocument())
    }

    @Test func untaggedMessagesAndAKeyIDInTheUnprotectedHeaderAreAccepted() throws {
        let document = Fixture.lrnDocument()
        let signer = Fixture.device
        // Untagged, as some EU DCC issuers wrote theirs.
        let message = COSESign1(algorithm: -8, keyID: signer.keyID.bytes, payload: document.encoded)
        let signed = message.signed(try signer.sign(message.toBeSigned))
        guard case let .tagged(18, body) = try CBOR(decoding: signed.encoded) else { Issue.record("not tagged"); return }
        #expect(Fixture.verifier.verify("SC1:" + Base45.encode(body.encoded)).verdict == .valid)
        // The kid unprotected: the payload's own kid, which the signature covers, must still agree.
        let protected = CBOR.map([1: -8]).encoded
        let toBeSigned = CBOR.array(["Signature1", .bytes(protected), .bytes([]), .bytes(document.encoded)]).encoded
        let unprotectedKid = CBOR.tagged(18, [.bytes(protected), [4: .bytes(signer.keyID.bytes)], .bytes(document.encoded),
                                              .bytes(try signer.sign(toBeSigned))])
        #expect(Fixture.verifier.verify("SC1:" + Base45.encode(unprotectedKid.encoded)).verdict == .valid)
    }
}

@Suite("Seal: tampering and other codes")
struct SealTamperingTests {
    static let document = Fixture.lrnDocument()
    static let code = try! Fixture.device.seal(document)

    /// Every character of the Base45 text replaced in turn by the next one of the alphabet and by
    /// three others drawn at random: never valid, and never a crash.
    @Test func oneChangedCharacterAnywhereIsNeverValid() {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
        let chars = Array(Self.code)
        var verdicts: [String: Int] = [:]
        var rng = SeededGenerator(seed: 1)
        for position in 4..<chars.count {
            let next = alphabet[(alphabet.firstIndex(of: chars[position])! + 1) % 45]
            let replacements = [next] + (0..<3).map { _ in alphabet.randomElement(using: &rng)! }
            for replacement in replacements where replacement != chars[position] {
                var changed = chars
                changed[position] = replacement
                let result = Fixture.verifier.verify(String(changed))
                #expect(!result.verdict.isValid, "position \(position): \(replacement)")
                verdicts[result.verdict.code, default: 0] += 1
            }
        }
        // Most changes break the signature; those in the header break the structure or the key id.
        #expect(Set(verdicts.keys).isSubset(of: ["signature_broken", "not_a_secours_code", "unknown_key"]))
        #expect(verdicts["signature_broken", default: 0] > verdicts["not_a_secours_code", default: 0])
        #expect(verdicts["unknown_key", default: 0] > 0)
    }

    @Test func aChangedFieldReEncodedBreaksTheSignature() throws {
        let message = try SealCode.message(from: Self.code)
        for payload in [Fixture.lrnDocument(transport: "ZZ-999-ZZ").encoded, Fixture.lrnDocument(serial: 13).encoded,
                        Fixture.lrnDocument(issuer: .service).encoded, Fixture.lrnDocument(issuedAt: Fixture.issuedAt + 1).encoded] {
            let swapped = CBOR.tagged(18, [.bytes(message.protectedBytes), [:], .bytes(payload), .bytes(message.signature)])
            let result = Fixture.verifier.verify("SC1:" + Base45.encode(swapped.encoded))
            #expect(result.verdict == .signatureBroken)
            #expect(result.document == nil)
        }
    }

    @Test func aSignatureFromAnotherDocumentBreaksTheSignature() throws {
        let other = try SealCode.message(from: try Fixture.device.seal(Fixture.lrnDocument(serial: 13)))
        let mine = try SealCode.message(from: Self.code)
        #expect(Fixture.verifier.verify(SealCode.text(for: mine.signed(other.signature))).verdict == .signatureBroken)
        #expect(Fixture.verifier.verify(SealCode.text(for: mine.signed([]))).verdict == .signatureBroken)
        #expect(Fixture.verifier.verify(SealCode.text(for: mine.signed(Array(repeating: 0, count: 64)))).verdict == .signatureBroken)
    }

    @Test func aKeyOfAnotherScopeIsOutOfScope() throws {
        let code = try Fixture.otherDevice.seal(Fixture.lrnDocument(by: Fixture.otherDevice))
        let result = Fixture.verifier.verify(code)
        #expect(result.verdict == .outOfScope(Fixture.excise))
        #expect(result.document?.exciseNumber == Fixture.excise)
    }

    @Test func aRevokedKeyIsRefused() throws {
        let code = try Fixture.revoked.seal(Fixture.lrnDocument(by: Fixture.revoked))
        #expect(Fixture.verifier.verify(code).verdict == .keyRevoked(Fixture.revoked.keyID))
    }

    /// Validity is judged at the issue time: after the key's end, or before its start.
    @Test func aKeyOutsideItsValidityIsExpired() throws {
        let late = try Fixture.expired.seal(Fixture.lrnDocument(by: Fixture.expired))
        #expect(Fixture.verifier.verify(late).verdict == .keyExpired(Fixture.expired.keyID))
        let early = try Fixture.device.seal(Fixture.lrnDocument(issuedAt: Fixture.validFrom - 1))
        #expect(Fixture.verifier.verify(early).verdict == .keyExpired(Fixture.device.keyID))
        let lastSecond = try Fixture.device.seal(Fixture.lrnDocument(issuedAt: Fixture.validUntil - 1))
        #expect(Fixture.verifier.verify(lastSecond).verdict == .valid)
        let end = try Fixture.device.seal(Fixture.lrnDocument(issuedAt: Fixture.validUntil))
        #expect(Fixture.verifier.verify(end).verdict == .keyExpired(Fixture.device.keyID))
    }

    @Test func aKeyOutsideTheTrustListIsUnknown() throws {
        let code = try Fixture.stranger.seal(Fixture.lrnDocument(by: Fixture.stranger))
        #expect(Fixture.verifier.verify(code).verdict == .unknownKey(Fixture.stranger.keyID))
    }

    @Test func aTruncatedCodeIsNotASeal() {
        let chars = Array(Self.code)
        for length in [chars.count - 1, chars.count - 2, chars.count - 3, chars.count / 2, 20, 5, 4] {
            let result = Fixture.verifier.verify(String(chars.prefix(length)))
            guard case .notASecoursCode = result.verdict else { Issue.record("\(length): \(result.verdict)"); continue }
        }
    }

    @Test func codesOfAnotherFormatAreNotSeals() {
        let cases: [(String, SealFormatError)] = [
            ("", .empty),
            ("HC1:" + Self.code.dropFirst(4), .wrongPrefix),
            ("SC2:" + Self.code.dropFirst(4), .wrongPrefix),
            (String(Self.code.dropFirst(4)), .wrongPrefix),
            ("Bonjour, ceci n'est pas un sceau.", .wrongPrefix),
            ("SC1:" + Self.code.dropFirst(4).lowercased(), .base45(.invalidCharacter(offset: 0))),
            ("SC1:" + Base45.encode(Array("{\"json\": true}".utf8)), .cose(.notCBOR(.tooLarge))),
            ("SC1:" + Base45.encode(CBOR.tagged(98, [.bytes([]), [:], .bytes([]), []]).encoded), .cose(.wrongTag(98))),
        ]
        for (text, error) in cases {
            #expect(Fixture.verifier.verify(text).verdict == .notASecoursCode(error), "\(text.prefix(20))")
        }
    }

    @Test func anotherAlgorithmOrAPayloadNamingAnotherKeyIsNotASeal() throws {
        let signer = Fixture.device
        let es256 = COSESign1(algorithm: -7, keyID: signer.keyID.bytes, payload: Self.document.encoded)
        #expect(Fixture.verifier.verify(SealCode.text(for: es256.signed(try signer.sign(es256.toBeSigned)))).verdict
            == .notASecoursCode(.unsupportedAlgorithm))
        // Signed by the device, but the payload names the service's key.
        let payload = Fixture.lrnDocument(by: Fixture.service).encoded
        let message = COSESign1(algorithm: -8, keyID: signer.keyID.bytes, payload: payload)
        #expect(Fixture.verifier.verify(SealCode.text(for: message.signed(try signer.sign(message.toBeSigned)))).verdict
            == .notASecoursCode(.keyIDMismatch))
        // Signed, but not our payload.
        let junk = COSESign1(algorithm: -8, keyID: signer.keyID.bytes, payload: CBOR.map([1: "x"]).encoded)
        #expect(Fixture.verifier.verify(SealCode.text(for: junk.signed(try signer.sign(junk.toBeSigned)))).verdict
            == .notASecoursCode(.payload(.missingField(.kind))))
    }

    /// Random texts behind the prefix, and random bytes in Base45: never valid, never a crash.
    @Test func fuzzedCodesNeverCrash() throws {
        var rng = SeededGenerator(seed: 9052)
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
        let valid = try Base45.decode(Self.code.dropFirst(4))
        for round in 0..<3000 {
            let text: String
            switch round % 3 {
            case 0:
                text = "SC1:" + String((0..<Int.random(in: 0...120, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            case 1:
                text = "SC1:" + Base45.encode((0..<Int.random(in: 0...120, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
            default:
                var bytes = valid
                while bytes == valid {
                    for _ in 0..<Int.random(in: 1...4, using: &rng) {
                        bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                    }
                }
                text = "SC1:" + Base45.encode(bytes)
            }
            #expect(!Fixture.verifier.verify(text).verdict.isValid)
        }
    }
}

@Suite("Seal: trust list")
struct TrustListTests {
    static let anchors = [Fixture.service.privateKey.publicKey]

    @Test func aSignedListIsVerifiedAgainstThePinnedServiceKey() throws {
        let signed = try Fixture.service.sign(Fixture.trustList)
        let json = signed.json()
        let read = try SignedSealTrustList(json: json)
        #expect(read == signed)
        #expect(try read.verified(anchors: Self.anchors) == Fixture.trustList)
        let verifier = try Verifier(signedTrustList: read, anchors: Self.anchors)
        #expect(verifier.verify(try Fixture.device.seal(Fixture.lrnDocument())).verdict == .valid)
    }

    @Test func theListIsDocumentedJSON() throws {
        let object = try JSONSerialization.jsonObject(with: Data(Fixture.trustList.canonicalJSON())) as! [String: Any]
        #expect(object["format"] as? String == "secours-seal-trust-list/1")
        #expect(object["sequence"] as? Int == 7)
        let keys = object["keys"] as! [[String: Any]]
        #expect(keys[0]["kid"] as? String == Fixture.service.keyID.base64url)
        #expect(keys[0]["scope"] as? String == "all")
        #expect(keys[0]["role"] as? String == "service")
        #expect(keys[0]["validUntil"] == nil)
        #expect(keys[1]["scope"] as? [String] == ["FR007328E0001"])
        #expect(keys[1]["publicKey"] as? String == Base64URL.encode(Fixture.device.publicKey))
        #expect(keys[3]["revoked"] as? Bool == true)
        let signed = try JSONSerialization.jsonObject(with: Data(try Fixture.service.sign(Fixture.trustList).json())) as! [String: Any]
        #expect(Set(signed.keys) == ["format", "kid", "list", "signature"])
        #expect(signed["kid"] as? String == Fixture.service.keyID.base64url)
    }

    @Test func aTamperedOrForeignListIsRefused() throws {
        let signed = try Fixture.service.sign(Fixture.trustList)
        var tampered = signed
        // The revoked key made trusted again, in the signed JSON.
        let text = String(decoding: signed.list, as: UTF8.self).replacingOccurrences(of: "\"revoked\":true", with: "\"revoked\":false")
        #expect(text.utf8.count == signed.list.count + 1)
        tampered.list = Array(text.utf8)
        #expect(throws: SealTrustList.Error.signatureBroken) { try tampered.verified(anchors: Self.anchors) }
        var swapped = signed
        swapped.signature = try Fixture.service.sign(Fixture.lrnDocument().encoded)
        #expect(throws: SealTrustList.Error.signatureBroken) { try swapped.verified(anchors: Self.anchors) }
        // Signed by a device key: not an anchor.
        let byDevice = try Fixture.device.sign(Fixture.trustList)
        #expect(throws: SealTrustList.Error.unknownSigner(Fixture.device.keyID)) { try byDevice.verified(anchors: Self.anchors) }
        #expect(throws: SealTrustList.Error.malformed) { try SignedSealTrustList(json: Array("{}".utf8)) }
        #expect(throws: SealTrustList.Error.malformed) { try SignedSealTrustList(json: Array("not json".utf8)) }
    }

    @Test func anIncoherentListIsRefusedEvenWhenSigned() throws {
        func refused(_ keys: [SealTrustedKey], _ error: SealTrustList.Error) throws {
            let list = SealTrustList(sequence: 1, issuedAt: Fixture.issuedAt, keys: keys)
            #expect(throws: error) { try Fixture.service.sign(list).verified(anchors: Self.anchors) }
            #expect(throws: error) { try Verifier(trustList: list) }
        }
        var misnamed = Fixture.key(Fixture.device)
        misnamed.keyID = Fixture.otherDevice.keyID
        try refused([misnamed], .invalidKey(Fixture.otherDevice.keyID))
        try refused([Fixture.key(Fixture.device), Fixture.key(Fixture.device)], .duplicateKeyID(Fixture.device.keyID))
        try refused([Fixture.key(Fixture.device, scope: .all)], .invalidKey(Fixture.device.keyID))
        try refused([Fixture.key(Fixture.device, scope: .exciseNumbers([]))], .invalidKey(Fixture.device.keyID))
        try refused([Fixture.key(Fixture.device, validFrom: 10, validUntil: 10)], .invalidKey(Fixture.device.keyID))
        var short = Fixture.key(Fixture.device)
        short.publicKey = Array(short.publicKey.prefix(31))
        try refused([short], .invalidKey(Fixture.device.keyID))
        var future = Fixture.trustList
        future.format = "secours-seal-trust-list/2"
        #expect(throws: SealTrustList.Error.unknownFormat("secours-seal-trust-list/2")) { try Fixture.service.sign(future).verified(anchors: Self.anchors) }
    }

    @Test func anOlderListCanBeRefused() throws {
        let signed = try Fixture.service.sign(Fixture.trustList)
        #expect(try signed.verified(anchors: Self.anchors, minimumSequence: 7).sequence == 7)
        #expect(throws: SealTrustList.Error.outdated(sequence: 7)) { try signed.verified(anchors: Self.anchors, minimumSequence: 8) }
    }
}
