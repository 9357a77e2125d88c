/// A COSE single-signer message, COSE_Sign1 (RFC 9052 §4.2):
///
///     COSE_Sign1 = #6.18([ protected : bstr .cbor header_map,
///                          unprotected : header_map,
///                          payload : bstr,
///                          signature : bstr ])
///
/// The seal writes the protected header `{1: -8, 4: kid}` (algorithm EdDSA, RFC 9053 §2.2, and the
/// signer's key id), an empty unprotected header, and tags the message with 18. It reads the
/// message tagged or untagged, as the EU Digital COVID Certificate verifiers do.
///
/// The signature itself is made and checked elsewhere (SecoursSeal): this type builds the bytes
/// to sign, the `Sig_structure` of RFC 9052 §4.4, and reads the signature back.
public struct COSESign1: Sendable, Equatable {
    /// The CBOR tag of a COSE_Sign1 message (RFC 9052 §2).
    public static let tag: UInt64 = 18
    /// `alg` EdDSA (RFC 9053 §2.2).
    public static let algorithmEdDSA = -8

    /// Common header parameter labels (RFC 9052 §3.1).
    public enum HeaderLabel {
        public static let algorithm: CBOR = 1
        public static let critical: CBOR = 2
        public static let contentType: CBOR = 3
        public static let keyID: CBOR = 4
    }

    /// The protected header exactly as carried (and signed): the content of the first byte string.
    public let protectedBytes: [UInt8]
    /// The same header read as a map (empty when `protectedBytes` is empty).
    public let protectedHeader: [CBOR: CBOR]
    public let unprotectedHeader: [CBOR: CBOR]
    public let payload: [UInt8]
    public let signature: [UInt8]

    /// A message to be signed: protected header `{1: algorithm, 4: keyID}`, nothing unprotected,
    /// no signature yet.
    public init(algorithm: Int, keyID: [UInt8], payload: [UInt8]) {
        let header: [CBOR: CBOR] = [HeaderLabel.algorithm: .int(algorithm), HeaderLabel.keyID: .bytes(keyID)]
        protectedHeader = header
        protectedBytes = CBOR.map(header).encoded
        unprotectedHeader = [:]
        self.payload = payload
        signature = []
    }

    private init(protectedBytes: [UInt8], protectedHeader: [CBOR: CBOR], unprotectedHeader: [CBOR: CBOR], payload: [UInt8], signature: [UInt8]) {
        self.protectedBytes = protectedBytes
        self.protectedHeader = protectedHeader
        self.unprotectedHeader = unprotectedHeader
        self.payload = payload
        self.signature = signature
    }

    /// The same message carrying `signature`.
    public func signed(_ signature: [UInt8]) -> COSESign1 {
        .init(protectedBytes: protectedBytes, protectedHeader: protectedHeader, unprotectedHeader: unprotectedHeader,
              payload: payload, signature: signature)
    }

    /// The bytes the signature covers (RFC 9052 §4.4):
    /// `["Signature1", protected, external_aad, payload]`, with an empty external_aad.
    public var toBeSigned: [UInt8] {
        CBOR.array([.text("Signature1"), .bytes(protectedBytes), .bytes([]), .bytes(payload)]).encoded
    }

    /// The message, tagged 18.
    public var encoded: [UInt8] {
        CBOR.tagged(Self.tag, .array([.bytes(protectedBytes), .map(unprotectedHeader), .bytes(payload), .bytes(signature)])).encoded
    }

    /// `alg` from the protected header, where it must be (RFC 9052 §3.1 recommends it there; the
    /// seal accepts it nowhere else, so that it is covered by the signature).
    public var algorithm: Int? { protectedHeader[HeaderLabel.algorithm]?.intValue }

    /// `kid` from the protected header, else from the unprotected one (as EU DCC verifiers read it).
    public var keyID: [UInt8]? {
        (protectedHeader[HeaderLabel.keyID] ?? unprotectedHeader[HeaderLabel.keyID])?.bytesValue
    }

    public enum DecodingError: Error, Equatable, Sendable {
        /// The bytes are not one CBOR item.
        case notCBOR(CBORError)
        /// A tag other than 18 (COSE_Sign1).
        case wrongTag(UInt64)
        /// Not an array of a byte string, a map, a byte string (the payload: a detached payload,
        /// `null`, is refused) and a byte string.
        case notCOSESign1
        /// The protected header is not a serialized map, a label is neither an integer nor a text,
        /// a label stands in both headers, `alg` is not an integer, or `kid` is not a byte string.
        case malformedHeader
        /// A `crit` header parameter: it names parameters a recipient must understand, and the seal
        /// understands none beyond `alg` and `kid`.
        case criticalHeader
    }

    /// Reads a message, tagged 18 or untagged, and checks its structure (not its signature).
    public init(decoding bytes: [UInt8]) throws(DecodingError) {
        let item: CBOR
        do { item = try CBORDecoder(maxDepth: 8).decode(bytes) } catch { throw .notCBOR(error) }
        var body = item
        if case let .tagged(tag, inner) = item {
            guard tag == Self.tag else { throw .wrongTag(tag) }
            body = inner
        }
        guard case let .array(parts) = body, parts.count == 4,
              case let .bytes(protectedBytes) = parts[0],
              case let .map(unprotected) = parts[1],
              case let .bytes(payload) = parts[2],
              case let .bytes(signature) = parts[3] else { throw .notCOSESign1 }

        var protected: [CBOR: CBOR] = [:]
        if !protectedBytes.isEmpty {
            guard let header = try? CBORDecoder(maxDepth: 4).decode(protectedBytes), case let .map(map) = header else {
                throw .malformedHeader
            }
            protected = map
        }
        for label in Array(protected.keys) + Array(unprotected.keys) {
            switch label {
            case .unsigned, .negative, .text: continue
            default: throw .malformedHeader
            }
        }
        guard Set(protected.keys).isDisjoint(with: unprotected.keys) else { throw .malformedHeader }
        if protected[HeaderLabel.critical] != nil || unprotected[HeaderLabel.critical] != nil { throw .criticalHeader }
        if let alg = protected[HeaderLabel.algorithm] ?? unprotected[HeaderLabel.algorithm], alg.intValue == nil { throw .malformedHeader }
        if let kid = protected[HeaderLabel.keyID] ?? unprotected[HeaderLabel.keyID], kid.bytesValue == nil { throw .malformedHeader }

        self.init(protectedBytes: protectedBytes, protectedHeader: protected, unprotectedHeader: unprotected,
                  payload: payload, signature: signature)
    }
}
