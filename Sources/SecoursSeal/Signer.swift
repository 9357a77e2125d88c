import Crypto
import Foundation
import SecoursCore

extension SealKeyID {
    /// The id of a raw 32-byte Ed25519 public key: the first 8 bytes of its SHA-256 (as EU DCC).
    public init(publicKey: some Collection<UInt8>) {
        self.init(bytes: Array(SHA256.hash(data: Array(publicKey)))[..<SealKeyID.length])!
    }

    public init(publicKey: Curve25519.Signing.PublicKey) {
        self.init(publicKey: Array(publicKey.rawRepresentation))
    }
}

/// Seals documents with one Ed25519 key (RFC 8032): a `SealedDocument` becomes the `SC1:` text of
/// its QR code, a COSE_Sign1 with EdDSA, the key's id in the protected header.
public struct Signer: Sendable {
    public let privateKey: Curve25519.Signing.PrivateKey
    public let keyID: SealKeyID

    public init(privateKey: Curve25519.Signing.PrivateKey) {
        self.privateKey = privateKey
        keyID = SealKeyID(publicKey: privateKey.publicKey)
    }

    /// A key from its raw 32-byte seed (RFC 8032 §3.2), as a key file keeps it.
    public init(rawPrivateKey: some Collection<UInt8>) throws(SealKeyError) {
        guard rawPrivateKey.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: Array(rawPrivateKey)) else {
            throw .invalidKey
        }
        self.init(privateKey: key)
    }

    /// The raw 32-byte public key, as the trust list publishes it.
    public var publicKey: [UInt8] { Array(privateKey.publicKey.rawRepresentation) }

    /// The text of the document's QR code. The document must name this key.
    public func seal(_ document: SealedDocument) throws(SealKeyError) -> String {
        guard document.keyID == keyID else { throw .keyIDMismatch }
        let message = COSESign1(algorithm: COSESign1.algorithmEdDSA, keyID: keyID.bytes, payload: document.encoded)
        return SealCode.text(for: message.signed(try sign(message.toBeSigned)))
    }

    /// An Ed25519 signature of `bytes`.
    public func sign(_ bytes: [UInt8]) throws(SealKeyError) -> [UInt8] {
        do { return Array(try privateKey.signature(for: bytes)) } catch { throw .signingFailed }
    }

    /// A trust list signed with this key, which must be a service key the verifiers pin.
    public func sign(_ list: SealTrustList) throws(SealKeyError) -> SignedSealTrustList {
        let bytes = list.canonicalJSON()
        return SignedSealTrustList(signer: keyID, list: bytes, signature: try sign(bytes))
    }
}

public enum SealKeyError: Error, Equatable, Sendable {
    /// Not a 32-byte Ed25519 key.
    case invalidKey
    /// The document names another key than the signer's.
    case keyIDMismatch
    case signingFailed
}
