import Crypto
import Foundation
import SecoursCore
import SecoursSeal

/// Keys, documents and trust lists shared by the seal's tests.
enum Fixture {
    static let excise = try! ExciseNumber(parsing: "FR007328E0001")
    static let otherExcise = try! ExciseNumber(parsing: "FR009990F0005")
    static let dispatch = DispatchMoment(day: ParisDay(year: 2026, month: 11, day: 20)!, time: ParisTime(hour: 14, minute: 5)!)
    /// 2026-11-18T08:26:40Z.
    static let issuedAt: Int64 = 1_795_000_000
    /// 2026-01-01 and 2028-01-01, UTC.
    static let validFrom: Int64 = 1_767_225_600
    static let validUntil: Int64 = 1_830_297_600
    static let deviceID = UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")!

    /// A key made from a seed byte, so that every run signs with the same keys.
    static func signer(_ seed: UInt8) -> Signer {
        try! Signer(rawPrivateKey: [UInt8](repeating: seed, count: 32))
    }

    static let service = signer(1)
    static let device = signer(2)
    static let otherDevice = signer(3)
    static let revoked = signer(4)
    static let expired = signer(5)
    static let stranger = signer(6)

    static func key(_ signer: Signer, role: SealTrustedKey.Role = .device, scope: SealTrustedKey.Scope = .exciseNumbers([excise]),
                    validFrom: Int64 = validFrom, validUntil: Int64? = validUntil, revoked: Bool = false) -> SealTrustedKey {
        SealTrustedKey(keyID: signer.keyID, role: role, publicKey: signer.publicKey, scope: scope, validFrom: validFrom,
                       validUntil: validUntil, revoked: revoked, label: role == .service ? "Service Secours" : "Poste de test")
    }

    static let trustList = SealTrustList(sequence: 7, issuedAt: 1_794_000_000, keys: [
        key(service, role: .service, scope: .all, validUntil: nil),
        key(device),
        key(otherDevice, scope: .exciseNumbers([otherExcise])),
        key(revoked, revoked: true),
        key(expired, validUntil: issuedAt - 1),
    ])

    static let verifier = try! Verifier(trustList: trustList)

    static let deviceIssuer = SealedDocument.Issuer.device(id: deviceID, login: "jean.dupont", name: "Poste d'Élodie — bureau 2")

    static func lrnDocument(by signer: Signer = device, serial: Int = 12, transport: String = "AB-123-CD",
                            issuer: SealedDocument.Issuer = deviceIssuer, issuedAt: Int64 = issuedAt) -> SealedDocument {
        let lrn = try! FallbackLRN(day: dispatch.day, exciseNumber: excise, serial: serial)
        return try! SealedDocument(number: .lrn(lrn), type: .dae, exciseNumber: excise, dispatch: dispatch, transport: transport,
                                   issuer: issuer, issuedAt: Date(timeIntervalSince1970: TimeInterval(issuedAt)), keyID: signer.keyID)
    }

    static func crapsDocument(by signer: Signer = service, sequence: Int = 42) -> SealedDocument {
        let number = try! FallbackNumber.generated(year: 2026, exciseNumber: excise, sequence: sequence)
        return try! SealedDocument(number: .craps(number), type: .dsa, exciseNumber: excise, dispatch: dispatch, transport: "457TY24",
                                   issuer: .service, issuedAt: Date(timeIntervalSince1970: TimeInterval(issuedAt)), keyID: signer.keyID)
    }
}

func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8)
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
}

func hexString(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}

/// A small seeded generator (SplitMix64), so that a random test repeats.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
