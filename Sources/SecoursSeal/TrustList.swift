import Crypto
import Foundation
import SecoursCore

extension SignedSealTrustList {
    /// The list, once its signature is checked against one of the pinned service keys, the list
    /// itself is valid (every key an Ed25519 key whose id is derived from it), and its sequence is
    /// at least `minimumSequence` (the one of the list the verifier holds, so that an older list
    /// cannot bring back a key revoked since).
    public func verified(anchors: [Curve25519.Signing.PublicKey], minimumSequence: Int64? = nil) throws(SealTrustList.Error) -> SealTrustList {
        guard let anchor = anchors.first(where: { SealKeyID(publicKey: $0) == signer }) else { throw .unknownSigner(signer) }
        guard anchor.isValidSignature(signature, for: list) else { throw .signatureBroken }
        let trustList = try SealTrustList(json: list)
        _ = try trustList.publicKeys()
        if let minimumSequence, trustList.sequence < minimumSequence { throw .outdated(sequence: trustList.sequence) }
        return trustList
    }
}

extension SealTrustList {
    /// Each key as an Ed25519 public key, once it is checked to be one and its id derived from it.
    func publicKeys() throws(SealTrustList.Error) -> [SealKeyID: Curve25519.Signing.PublicKey] {
        var keys: [SealKeyID: Curve25519.Signing.PublicKey] = [:]
        for key in self.keys {
            guard SealKeyID(publicKey: key.publicKey) == key.keyID,
                  let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key.publicKey) else {
                throw .invalidKey(key.keyID)
            }
            keys[key.keyID] = publicKey
        }
        return keys
    }
}
