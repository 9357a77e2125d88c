import Crypto
import Foundation
import SecoursCore

/// Checks seals against a trust list, offline.
public struct Verifier: Sendable {
    public let trustList: SealTrustList
    private let publicKeys: [SealKeyID: Curve25519.Signing.PublicKey]

    /// Checks that every key of the list is an Ed25519 public key whose id is derived from it.
    public init(trustList: SealTrustList) throws(SealTrustList.Error) {
        try trustList.validate()
        publicKeys = try trustList.publicKeys()
        self.trustList = trustList
    }

    /// A verifier for a signed trust list, once the list is checked against the pinned anchors.
    public init(signedTrustList: SignedSealTrustList, anchors: [Curve25519.Signing.PublicKey], minimumSequence: Int64? = nil) throws(SealTrustList.Error) {
        try self.init(trustList: try signedTrustList.verified(anchors: anchors, minimumSequence: minimumSequence))
    }

    /// The verdict on a scanned text, in this order: the text must be a seal (`notASecoursCode`),
    /// of a known key (`unknownKey`), with a signature that holds (`signatureBroken`); then the
    /// payload is read, and the key must not be revoked, must have been valid when the document
    /// was issued, and must cover its consignor; last, the printed fields given must match.
    public func verify(_ text: String, printed: SealPrintedFields? = nil) -> SealVerification {
        let message: COSESign1
        do { message = try SealCode.message(from: text) } catch { return .init(verdict: .notASecoursCode(error), document: nil) }
        // `message(from:)` has checked that the key id has 8 bytes.
        let kid = SealKeyID(bytes: message.keyID!)!
        guard let entry = trustList.key(kid), let publicKey = publicKeys[kid] else {
            return .init(verdict: .unknownKey(kid), document: nil)
        }
        guard publicKey.isValidSignature(message.signature, for: message.toBeSigned) else {
            return .init(verdict: .signatureBroken, document: nil)
        }
        let document: SealedDocument
        do { document = try SealCode.document(in: message) } catch { return .init(verdict: .notASecoursCode(error), document: nil) }
        if entry.revoked { return .init(verdict: .keyRevoked(kid), document: document) }
        if !entry.isValid(at: document.issuedAt) { return .init(verdict: .keyExpired(kid), document: document) }
        if !entry.scope.contains(document.exciseNumber) { return .init(verdict: .outOfScope(document.exciseNumber), document: document) }
        if let printed {
            let differences = printed.differences(from: document)
            if !differences.isEmpty { return .init(verdict: .mismatch(differences), document: document) }
        }
        return .init(verdict: .valid, document: document)
    }
}
