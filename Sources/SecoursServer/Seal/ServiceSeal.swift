import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SecoursCore
import SecoursSeal
import Vapor

/// The base64 text of the service's private seal key, as `SECOURS_SEAL_KEY` gives it: kept out
/// of every description, so that printing the settings or an error never shows it.
public struct SealKeySecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    let text: String
    public init(_ text: String) { self.text = text }
    public var description: String { "‹clé secrète›" }
    public var debugDescription: String { description }
}

/// A former service key, still in the trust list so that the documents it sealed stay valid
/// (`SECOURS_SEAL_PREVIOUS_KEYS`: `pubkey` or `pubkey@validUntil`, comma-separated).
public struct SealPreviousKey: Sendable, Equatable {
    /// The raw 32-byte Ed25519 public key.
    public let publicKey: [UInt8]
    /// Seconds since the epoch: documents issued from then on are not trusted with this key.
    public let validUntil: Int64?

    public init(publicKey: [UInt8], validUntil: Int64?) {
        self.publicKey = publicKey
        self.validUntil = validUntil
    }

    /// Reads the setting: base64 (standard or url-safe) of 32 bytes, then optionally `@` and an
    /// end as seconds since the epoch or a `YYYY-MM-DD` day (UTC midnight).
    static func parseList(_ text: String) throws -> [SealPreviousKey] {
        try text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { item in
            let parts = item.split(separator: "@", maxSplits: 1).map(String.init)
            guard let key = ServiceSeal.decodeBase64(parts[0]), key.count == 32,
                  (try? Curve25519.Signing.PublicKey(rawRepresentation: key)) != nil else {
                throw SettingsError(localized("SECOURS_SEAL_PREVIOUS_KEYS : « \(parts[0]) » n'est pas une clé publique Ed25519 (32 octets en base64).",
                                              "SECOURS_SEAL_PREVIOUS_KEYS: “\(parts[0])” is not an Ed25519 public key (32 bytes in base64)."))
            }
            var until: Int64?
            if parts.count == 2 {
                if let seconds = Int64(parts[1]), seconds > 0 {
                    until = seconds
                } else if let day = ParisDay(text: parts[1]), parts[1].count == 10,
                          let date = ISO8601DateFormatter().date(from: day.iso + "T00:00:00Z") {
                    until = Int64(date.timeIntervalSince1970)
                } else {
                    throw SettingsError(localized("SECOURS_SEAL_PREVIOUS_KEYS : fin de validité « \(parts[1]) » illisible (secondes depuis 1970 ou AAAA-MM-JJ).",
                                                  "SECOURS_SEAL_PREVIOUS_KEYS: unreadable end of validity “\(parts[1])” (seconds since 1970 or YYYY-MM-DD)."))
                }
            }
            return SealPreviousKey(publicKey: key, validUntil: until)
        }
    }
}

/// The service's seal: the key that signs every filled form's QR code, and the trust list that
/// verifiers load (the current key and the previous ones; device keys join it later).
///
/// The private key comes from `SECOURS_SEAL_KEY` (base64) or `SECOURS_SEAL_KEY_FILE` (a file of
/// the owner alone holding the base64); with neither, an SQLite service keeps one in
/// `<database>.seal-key`, made on first start, and a PostgreSQL service refuses to start. It is
/// never stored in the database, never logged, never answered.
public struct ServiceSeal: Sendable {
    public let signer: Signer
    public let previousKeys: [SealPreviousKey]
    /// The list of the service's keys, signed by the current one, as JSON.
    public let signedTrustList: SignedSealTrustList
    public let trustList: SealTrustList
    let verifier: Verifier

    /// The start of every service key's validity: the earliest issue time a seal may carry, so
    /// that a document registered before a key change is sealed again by the new key.
    static let validFrom = SealedDocument.issueTimes.lowerBound
    static let label = "Service Secours"

    init(signer: Signer, previousKeys: [SealPreviousKey], issuedAt: Date) throws {
        self.signer = signer
        self.previousKeys = previousKeys
        var keys = [SealTrustedKey(keyID: signer.keyID, role: .service, publicKey: signer.publicKey, scope: .all,
                                   validFrom: Self.validFrom, validUntil: nil, label: Self.label)]
        for previous in previousKeys {
            let id = SealKeyID(publicKey: previous.publicKey)
            // The current key listed as a previous one too: once is enough.
            guard !keys.contains(where: { $0.keyID == id }) else { continue }
            if let until = previous.validUntil, until <= Self.validFrom {
                throw SettingsError(localized("SECOURS_SEAL_PREVIOUS_KEYS : la clé \(id) finit avant 2020.",
                                              "SECOURS_SEAL_PREVIOUS_KEYS: key \(id) ends before 2020."))
            }
            keys.append(SealTrustedKey(keyID: id, role: .service, publicKey: previous.publicKey, scope: .all, validFrom: Self.validFrom,
                                       validUntil: previous.validUntil, label: Self.label + " (clé précédente)"))
        }
        let seconds = Int64(issuedAt.timeIntervalSince1970.rounded(.down))
        let list = SealTrustList(sequence: seconds, issuedAt: seconds, keys: keys)
        trustList = list
        signedTrustList = try signer.sign(list)
        verifier = try Verifier(trustList: list)
    }

    /// The service's key as the settings give it (see the type's description).
    static func load(_ settings: Settings, now: Date, logger: Logger) throws -> ServiceSeal {
        let signer: Signer
        if let secret = settings.sealKey {
            signer = try Self.signer(fromBase64: secret.text, origin: "SECOURS_SEAL_KEY")
        } else if let path = settings.sealKeyFile {
            signer = try Self.readKeyFile(path, setting: "SECOURS_SEAL_KEY_FILE")
        } else {
            switch settings.database {
            case let .sqlite(path):
                let keyPath = path + ".seal-key"
                if FileManager.default.fileExists(atPath: keyPath) {
                    signer = try Self.readKeyFile(keyPath, setting: nil)
                } else {
                    signer = try Self.createKeyFile(keyPath)
                    logger.notice("Seal key made for this SQLite database", metadata: ["file": .string(keyPath), "kid": .string(signer.keyID.base64url)])
                }
            case .postgres:
                throw SettingsError(localized(
                    "Aucune clé de scellement : avec PostgreSQL, donnez SECOURS_SEAL_KEY_FILE (fichier de la clé privée Ed25519 en base64, droits 0600) ou SECOURS_SEAL_KEY.",
                    "No seal key: with PostgreSQL, set SECOURS_SEAL_KEY_FILE (file of the Ed25519 private key in base64, mode 0600) or SECOURS_SEAL_KEY."))
            }
        }
        return try ServiceSeal(signer: signer, previousKeys: settings.sealPreviousKeys, issuedAt: now)
    }

    /// A signer from the base64 (standard or url-safe) of a 32-byte private key; the error never
    /// quotes the text.
    static func signer(fromBase64 text: String, origin: String) throws -> Signer {
        guard let bytes = decodeBase64(text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32,
              let signer = try? Signer(rawPrivateKey: bytes) else {
            throw SettingsError(localized("\(origin) : clé de scellement illisible (la clé privée Ed25519 de 32 octets, en base64, est attendue).",
                                          "\(origin): unreadable seal key (the 32-byte Ed25519 private key, in base64, is expected)."))
        }
        return signer
    }

    static func decodeBase64(_ text: String) -> [UInt8]? {
        if let data = Data(base64Encoded: text) { return Array(data) }
        return Base64URL.decode(text)
    }

    /// Reads a key file: it must exist, be readable by its owner alone (0600 or 0400), and hold
    /// the base64 of the key.
    static func readKeyFile(_ path: String, setting: String?) throws -> Signer {
        let name = setting.map { "\($0) (\(path))" } ?? path
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw SettingsError(localized("\(name) : fichier de clé de scellement introuvable ou illisible.",
                                          "\(name): seal key file not found or unreadable."))
        }
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o777
        guard mode & 0o077 == 0 else {
            throw SettingsError(localized(
                "\(name) : le fichier de clé de scellement doit être lisible par son seul propriétaire (droits 0600, chmod 600) ; ses droits sont \(String(mode & 0o777, radix: 8)).",
                "\(name): the seal key file must be readable by its owner alone (mode 0600, chmod 600); its mode is \(String(mode & 0o777, radix: 8))."))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettingsError(localized("\(name) : fichier de clé de scellement illisible.", "\(name): unreadable seal key file."))
        }
        return try signer(fromBase64: String(decoding: data, as: UTF8.self), origin: name)
    }

    /// Makes a new key and writes it, base64, to a new file of mode 0600, never over a file: the
    /// key is written whole to a file of its own, then linked under its name, so that another
    /// process starting on the same database at once reads either no file or the whole key.
    static func createKeyFile(_ path: String) throws -> Signer {
        let key = Curve25519.Signing.PrivateKey()
        let bytes = Array((Data(key.rawRepresentation).base64EncodedString() + "\n").utf8)
        let temporary = path + ".tmp-" + UUID().uuidString
        func failure() -> SettingsError {
            SettingsError(localized("\(path) : impossible de créer le fichier de clé de scellement (\(String(cString: strerror(errno)))).",
                                    "\(path): cannot create the seal key file (\(String(cString: strerror(errno))))."))
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw failure() }
        defer { unlink(temporary) }
        _ = fchmod(fd, 0o600)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            close(fd)
            throw failure()
        }
        close(fd)
        guard link(temporary, path) == 0 else {
            // Another process of this database made it first: its key is the one.
            if errno == EEXIST { return try readKeyFile(path, setting: nil) }
            throw failure()
        }
        return Signer(privateKey: key)
    }

    // MARK: Sealing and checking

    /// What the seal of a stored document says: its number, type, consignor, dispatch and
    /// transport, issued by the service at its registration time, so that the same document
    /// always gives the same code (Ed25519 signatures are deterministic). nil when a field is
    /// outside the seal's rules (a document older than 2020…).
    func sealedDocument(_ doc: DocumentModel) -> SealedDocument? {
        let number: FallbackDocumentNumber
        switch doc.kind {
        case .craps:
            guard let n = try? FallbackNumber(parsing: doc.number) else { return nil }
            number = .craps(n)
        case .lrn:
            guard let l = try? FallbackLRN(parsing: doc.number) else { return nil }
            number = .lrn(l)
        }
        guard let excise = try? ExciseNumber(parsing: doc.exciseNumber),
              let day = ParisDay(text: doc.dispatchDate), let time = ParisTime(text: doc.dispatchTime) else { return nil }
        return try? SealedDocument(number: number, type: doc.type, exciseNumber: excise, dispatch: DispatchMoment(day: day, time: time),
                                   transport: doc.transport, issuer: .service, issuedAt: doc.registeredAt, keyID: signer.keyID)
    }

    /// The `SC1:` text of a stored document's QR code, or nil (see `sealedDocument`).
    func code(for doc: DocumentModel) -> String? {
        guard let document = sealedDocument(doc) else { return nil }
        return try? signer.seal(document)
    }

    func verify(_ text: String, printed: SealPrintedFields?) -> SealVerification {
        verifier.verify(text, printed: printed)
    }
}
