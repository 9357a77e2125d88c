import Foundation
import Vapor

/// Password hashing where every byte counts (R-NF-3). bcrypt reads at most 72 bytes, so a long
/// passphrase (accented letters take two bytes) would match any password sharing its first 72
/// bytes. Passwords are therefore hashed as bcrypt of the base64 SHA-256 digest of the whole
/// password (44 ASCII bytes), stored as `sha256$` followed by the bcrypt hash.
///
/// Hashes made before this scheme (plain bcrypt, `$2b$…`) keep working; a successful sign-in
/// with a password of at most 72 bytes rewrites such a hash in the new form
/// (`AccountService.authenticate`). Longer passwords under an old hash stay limited to their
/// first 72 bytes until they are changed.
struct DigestBcryptHasher: PasswordHasher {
    static let prefix = "sha256$"
    let cost: Int

    static func derive<Password: DataProtocol>(_ password: Password) -> String {
        Data(SHA256.hash(data: Data(password))).base64EncodedString()
    }

    static func isCurrent(_ hash: String) -> Bool { hash.hasPrefix(prefix) }

    func hash<Password: DataProtocol>(_ password: Password) throws -> [UInt8] {
        Array(Self.prefix.utf8) + Array(try Bcrypt.hash(Self.derive(password), cost: cost).utf8)
    }

    func verify<Password: DataProtocol, Digest: DataProtocol>(_ password: Password, created digest: Digest) throws -> Bool {
        let stored = String(decoding: digest, as: UTF8.self)
        if stored.hasPrefix(Self.prefix) {
            return try Bcrypt.verify(Self.derive(password), created: String(stored.dropFirst(Self.prefix.count)))
        }
        return try Bcrypt.verify(String(decoding: password, as: UTF8.self), created: stored)
    }
}
