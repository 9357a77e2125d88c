import Foundation
import Testing
@testable import SecoursCore

@Suite("COSE_Sign1 (RFC 9052)")
struct COSESign1Tests {
    /// The shape of RFC 9052 Appendix C.2.1 (a COSE_Sign1 of the COSE WG examples): protected
    /// `{1: -7}`, unprotected `{4: '11'}`, payload 'This is the content.'. Its Sig_structure is
    /// the one the COSE WG publishes with the example (ToBeSign_hex); the signature (ES256) is not
    /// checked here, only the structure.
    @Test func theRFCExampleStructureIsRead() throws {
        let signature = [UInt8](repeating: 0xAB, count: 64)
        let bytes = CBOR.tagged(18, [.bytes(hex("a10126")), [4: .bytes(Array("11".utf8))], .bytes(Array("This is the content.".utf8)),
                                     .bytes(signature)]).encoded
        #expect(hexString(bytes.prefix(12)) == "d28443a10126a10442313154")
        let message = try COSESign1(decoding: bytes)
        #expect(message.algorithm == -7)
        #expect(message.keyID == Array("11".utf8))
        #expect(message.payload == Array("This is the content.".utf8))
        #expect(message.signature == signature)
        #expect(hexString(message.toBeSigned)
            == "846a5369676e61747572653143a101264054546869732069732074686520636f6e74656e742e")
        // The seal reads it as a COSE_Sign1, and refuses it for its algorithm.
        #expect(throws: SealFormatError.unsupportedAlgorithm) { try SealCode.message(from: "SC1:" + Base45.encode(bytes)) }
    }

    @Test func theSealWritesTag18AndTheProtectedHeaderItSigns() throws {
        let kid: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        let message = COSESign1(algorithm: -8, keyID: kid, payload: [0xA0]).signed(Array(repeating: 7, count: 64))
        // 18([h'a2 01 27 04 48 kid', {}, h'a0', h'07…'])
        #expect(hexString(message.encoded.prefix(16)) == "d2844da201270448" + hexString(kid))
        #expect(hexString(message.encoded[16..<21]) == "a041a05840")
        #expect(hexString(message.toBeSigned) == "846a5369676e6174757265314da20127044801020304050607084041a0")
        #expect(try COSESign1(decoding: message.encoded) == message)
    }

    @Test func untaggedMessagesAreReadToo() throws {
        let message = COSESign1(algorithm: -8, keyID: [1, 2, 3, 4, 5, 6, 7, 8], payload: [1]).signed([9])
        guard case let .tagged(18, body) = try CBOR(decoding: message.encoded) else { Issue.record("not tagged"); return }
        #expect(try COSESign1(decoding: body.encoded) == message)
    }

    @Test func malformedMessagesGiveTheirError() {
        let good: [CBOR] = [.bytes(hex("a20127044801020304050607 08")), [:], .bytes([1]), .bytes([2])]
        func decode(_ item: CBOR) throws(COSESign1.DecodingError) -> COSESign1 { try COSESign1(decoding: item.encoded) }
        #expect(throws: COSESign1.DecodingError.wrongTag(61)) { try decode(.tagged(61, .array(good))) }
        #expect(throws: COSESign1.DecodingError.notCOSESign1) { try decode(.tagged(18, .array(Array(good.prefix(3))))) }
        #expect(throws: COSESign1.DecodingError.notCOSESign1) { try decode(.array([good[0], good[1], .null, good[3]])) }
        #expect(throws: COSESign1.DecodingError.notCOSESign1) { try decode(.array([[1: -8], good[1], good[2], good[3]])) }
        #expect(throws: COSESign1.DecodingError.malformedHeader) { try decode(.array([.bytes([0x01]), good[1], good[2], good[3]])) }
        #expect(throws: COSESign1.DecodingError.malformedHeader) { try decode(.array([good[0], [4: .bytes([1])], good[2], good[3]])) }
        #expect(throws: COSESign1.DecodingError.malformedHeader) { try decode(.array([.bytes(CBOR.map([1: "EdDSA"]).encoded), [:], good[2], good[3]])) }
        #expect(throws: COSESign1.DecodingError.malformedHeader) { try decode(.array([.bytes(CBOR.map([4: "kid"]).encoded), [:], good[2], good[3]])) }
        #expect(throws: COSESign1.DecodingError.malformedHeader) { try decode(.array([.bytes(CBOR.map([[1]: 1]).encoded), [:], good[2], good[3]])) }
        #expect(throws: COSESign1.DecodingError.criticalHeader) { try decode(.array([.bytes(CBOR.map([1: -8, 2: [99]]).encoded), [:], good[2], good[3]])) }
        #expect(throws: COSESign1.DecodingError.notCBOR(.truncated)) { try COSESign1(decoding: []) }
    }

    /// An empty protected header is a zero-length byte string (RFC 9052 §3), or an empty map in one.
    @Test func anEmptyProtectedHeaderIsRead() throws {
        for protected: [UInt8] in [[], [0xA0]] {
            let message = try COSESign1(decoding: CBOR.array([.bytes(protected), [1: -8, 4: .bytes([1, 2, 3, 4, 5, 6, 7, 8])], .bytes([]), .bytes([])]).encoded)
            #expect(message.algorithm == nil)
            #expect(message.keyID == [1, 2, 3, 4, 5, 6, 7, 8])
        }
    }
}

@Suite("Seal payload and code")
struct SealPayloadTests {
    static let kid = SealKeyID(bytes: [1, 2, 3, 4, 5, 6, 7, 8])!
    static let excise = try! ExciseNumber(parsing: "FR007328E0001")
    static let dispatch = DispatchMoment(day: ParisDay(year: 2026, month: 11, day: 20)!, time: ParisTime(hour: 14, minute: 5)!)
    static let issuedAt = Date(timeIntervalSince1970: 1_795_000_000.75)

    static func lrnDocument(transport: String = "AB-123-CD", issuer: SealedDocument.Issuer = .service) throws -> SealedDocument {
        let lrn = try FallbackLRN(day: dispatch.day, exciseNumber: excise, serial: 12)
        return try SealedDocument(number: .lrn(lrn), type: .dae, exciseNumber: excise, dispatch: dispatch, transport: transport,
                                  issuer: issuer, issuedAt: issuedAt, keyID: kid)
    }

    @Test func aDocumentRoundTripsThroughItsCBOR() throws {
        let device = SealedDocument.Issuer.device(id: UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")!, login: "jean.dupont",
                                                  name: "Poste d'Élodie — bureau 2")
        for document in [try Self.lrnDocument(), try Self.lrnDocument(issuer: device)] {
            #expect(try SealedDocument(decoding: document.encoded) == document)
            #expect(document.issuedAt == 1_795_000_000)
        }
        let craps = try FallbackNumber.generated(year: 2026, exciseNumber: Self.excise, sequence: 42)
        let document = try SealedDocument(number: .craps(craps), type: .dsa, exciseNumber: Self.excise, dispatch: Self.dispatch,
                                          transport: "457TY24", issuer: device, issuedAt: Self.issuedAt, keyID: Self.kid)
        #expect(try SealedDocument(decoding: document.encoded) == document)
    }

    /// The map's layout, key by key, as the format documents it.
    @Test func thePayloadIsTheDocumentedMap() throws {
        let id = UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")!
        let document = try Self.lrnDocument(issuer: .device(id: id, login: "jean.dupont", name: "Poste 1"))
        let expected: CBOR = [
            1: "PS261120E00010012", 2: "lrn", 3: "DAE", 4: "FR007328E0001", 5: "2026-11-20", 6: "14:05", 7: "AB-123-CD",
            8: [1: "device", 2: .bytes(hex("e621e1f8c36c495a93fc0c247a3e6e5f")), 3: "jean.dupont", 4: "Poste 1"],
            9: 1_795_000_000, 10: .bytes([1, 2, 3, 4, 5, 6, 7, 8]),
        ]
        #expect(try CBOR(decoding: document.encoded) == expected)
        #expect(hexString(document.encoded.prefix(3)) == "aa0171")
        #expect(try CBORDecoder(requireDeterministic: true).decode(document.encoded) == expected)
    }

    @Test func eachFieldIsCheckedWhenRead() throws {
        let good = try Self.lrnDocument().cbor.mapValue!
        func read(_ change: (inout [CBOR: CBOR]) -> Void) throws(SealPayloadError) -> SealedDocument {
            var map = good
            change(&map)
            return try SealedDocument(cbor: .map(map))
        }
        let cases: [(SealPayloadError, (inout [CBOR: CBOR]) -> Void)] = [
            (.unknownKey, { $0[11] = 1 }),
            (.unknownKey, { $0["number"] = "x" }),
            (.missingField(.transport), { $0[7] = nil }),
            (.missingField(.keyID), { $0[10] = nil }),
            (.invalidField(.number), { $0[1] = "ps261120e00010012" }),
            (.invalidField(.number), { $0[1] = "PS261131E00010012" }),
            (.invalidField(.number), { $0[2] = "craps" }),
            (.invalidField(.kind), { $0[2] = "CRAPS" }),
            (.invalidField(.type), { $0[3] = "DAA" }),
            (.invalidField(.exciseNumber), { $0[4] = "FR007328E001" }),
            (.invalidField(.dispatchDate), { $0[5] = "20/11/2026" }),
            (.invalidField(.dispatchDate), { $0[5] = "2026-02-30" }),
            (.invalidField(.dispatchTime), { $0[6] = "14:5" }),
            (.invalidField(.dispatchTime), { $0[6] = "24:00" }),
            (.invalidField(.transport), { $0[7] = " AB-123-CD" }),
            (.invalidField(.transport), { $0[7] = "<script>" }),
            (.invalidField(.transport), { $0[7] = .text(String(repeating: "A", count: 36)) }),
            (.invalidField(.transport), { $0[7] = .bytes([65, 66]) }),
            (.invalidField(.issuer), { $0[8] = [1: "device"] }),
            (.invalidField(.issuer), { $0[8] = [1: "service", 3: "x"] }),
            (.invalidField(.issuer), { $0[8] = [1: "device", 2: .bytes([1, 2, 3]), 3: "jean.dupont", 4: "Poste"] }),
            (.invalidField(.issuer), { $0[8] = [1: "device", 2: .bytes(Array(repeating: 1, count: 16)), 3: "Jean.Dupont", 4: "Poste"] }),
            (.invalidField(.issuer), { $0[8] = [1: "device", 2: .bytes(Array(repeating: 1, count: 16)), 3: "jean.dupont", 4: "Poste\u{7}"] }),
            (.invalidField(.issuer), { $0[8] = [1: "device", 2: .bytes(Array(repeating: 1, count: 16)), 3: "jean.dupont", 4: .text(String(repeating: "é", count: 65))] }),
            (.invalidField(.issuedAt), { $0[9] = -1 }),
            (.invalidField(.issuedAt), { $0[9] = 1_000_000_000 }),
            (.invalidField(.issuedAt), { $0[9] = .unsigned(UInt64.max) }),
            (.invalidField(.keyID), { $0[10] = .bytes([1, 2, 3]) }),
            (.inconsistent(.number), { $0[4] = "FR007328E0002" }),
        ]
        for (error, change) in cases {
            #expect(throws: error) { try read(change) }
        }
        #expect(throws: SealPayloadError.notAMap) { try SealedDocument(cbor: [1, 2]) }
        #expect(throws: SealPayloadError.notCBOR(.truncated)) { try SealedDocument(decoding: [0xAA]) }
        #expect(throws: SealPayloadError.notCBOR(.tooLarge)) { try SealedDocument(decoding: Array(repeating: 0, count: 2000)) }
    }

    @Test func aManualCRAPSNumberMustNameItsType() throws {
        let manual = try FallbackNumber.manual(year: 2026, exciseNumber: Self.excise, sequence: 7, type: .dsa)
        if !manual.hasValidCheckDigit {
            #expect(throws: SealPayloadError.inconsistent(.type)) {
                try SealedDocument(number: .craps(manual), type: .dae, exciseNumber: Self.excise, dispatch: Self.dispatch,
                                   transport: "AB-123-CD", issuer: .service, issuedAt: Self.issuedAt, keyID: Self.kid)
            }
        }
        _ = try SealedDocument(number: .craps(manual), type: .dsa, exciseNumber: Self.excise, dispatch: Self.dispatch,
                               transport: "AB-123-CD", issuer: .service, issuedAt: Self.issuedAt, keyID: Self.kid)
    }

    @Test func codesThatAreNotSealsGiveTheirReason() throws {
        let cases: [(String, SealFormatError)] = [
            ("", .empty), ("\n", .empty),
            ("HC1:" + Base45.encode([0x78, 0xDA, 0xBB, 0x01]), .wrongPrefix),
            ("https://example.org/SC1:", .wrongPrefix),
            ("sc1:BB8", .wrongPrefix),
            ("SC1:", .cose(.notCBOR(.truncated))),
            ("SC1:BB8", .cose(.notCOSESign1)),
            ("SC1:" + Base45.encode([0, 0]), .cose(.notCBOR(.trailingBytes(count: 1)))),
            ("SC1:bb8", .base45(.invalidCharacter(offset: 0))),
            ("SC1:BB8A", .base45(.danglingCharacter)),
            ("SC1:GGW", .base45(.valueOutOfRange(offset: 0))),
            ("SC1:" + String(repeating: "0", count: 4300), .tooLong),
        ]
        for (text, error) in cases {
            #expect(throws: error) { try SealCode.message(from: text) }
        }
        // A scanner's line break at the end is not part of the code.
        let message = COSESign1(algorithm: -8, keyID: [1, 2, 3, 4, 5, 6, 7, 8], payload: []).signed([])
        #expect(try SealCode.message(from: SealCode.text(for: message) + "\r\n") == message)
        let noKid = COSESign1(algorithm: -8, keyID: [1, 2, 3], payload: []).signed([])
        #expect(throws: SealFormatError.missingKeyID) { try SealCode.message(from: SealCode.text(for: noKid)) }
    }

    @Test func printedFieldsAreComparedAsAPersonReadsThem() throws {
        let document = try Self.lrnDocument()
        let same = SealPrintedFields(number: " ps261120e00010012 ", type: "daa", exciseNumber: "fr007328e0001", dispatchDate: "20/11/2026",
                                     dispatchTime: "14:05", transport: "ab 123 cd")
        #expect(same.differences(from: document).isEmpty)
        #expect(SealPrintedFields().differences(from: document).isEmpty)
        let other = SealPrintedFields(number: "PS261120E00010013", type: "DSA", exciseNumber: "FR007328E0002", dispatchDate: "2026-11-21",
                                      dispatchTime: "14:06", transport: "AB-123-CE")
        #expect(other.differences(from: document) == [.number, .type, .exciseNumber, .dispatchDate, .dispatchTime, .transport])
        #expect(SealPrintedFields(dispatchDate: "not a date").differences(from: document) == [.dispatchDate])
    }

    @Test func everyVerdictSpeaksBothLanguages() {
        let verdicts: [SealVerdict] = [.valid, .signatureBroken, .unknownKey(Self.kid), .keyRevoked(Self.kid), .keyExpired(Self.kid),
                                       .outOfScope(Self.excise), .notASecoursCode(.wrongPrefix), .mismatch([.transport, .dispatchDate])]
        var codes = Set<String>()
        for verdict in verdicts {
            let french = Language.$current.withValue(.fr) { verdict.message }
            let english = Language.$current.withValue(.en) { verdict.message }
            #expect(!french.isEmpty && !english.isEmpty && french != english)
            codes.insert(verdict.code)
            #expect(verdict.isValid == (verdict == .valid))
        }
        #expect(codes.count == verdicts.count)
        #expect(Language.$current.withValue(.en) { SealVerdict.mismatch([.transport, .dispatchDate]).message }
            .hasSuffix("registration of the first means of transport, dispatch date."))
        #expect(Language.$current.withValue(.fr) { SealVerdict.unknownKey(Self.kid).message }.contains("AQIDBAUGBwg"))
    }

    @Test func keyIDsReadAndWriteBase64url() {
        #expect(Self.kid.base64url == "AQIDBAUGBwg")
        #expect(SealKeyID(base64url: "AQIDBAUGBwg") == Self.kid)
        #expect(SealKeyID(base64url: "AQIDBAUGBwg=") == Self.kid)
        #expect(SealKeyID(base64url: "AQIDBAUGBwh") == nil)  // stray bits
        #expect(SealKeyID(base64url: "AQIDBAUGBw") == nil)   // 7 bytes
        #expect(SealKeyID(base64url: "AQID+AUGBwg") == nil)  // not base64url
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
    }
}
