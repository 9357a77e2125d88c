import Foundation
import SecoursCore
import SecoursServer

/// For scripts/bench-rush and bench-signin: `offices` offices with one officer each
/// (`rush.bureau.K`), and `operators` wine growers, each a company of its own with one DTI
/// excise number attached to office `i % offices` and an operator `rush.op.I` holding every
/// right on it; a fraction `signedIn` of them already has an API token, as operators who signed
/// in before the outage. Every account has the password `password` (hashed once, at the
/// service's cost). Writes the file the load generator reads: one line per account,
/// `operator LOGIN EXCISE OFFICE TOKEN` (TOKEN `-` when not signed in) or `officer LOGIN OFFICE`.
public struct RushDataSet: Sendable {
    public let operators: Int
    public let offices: Int
    public let signedIn: Double
    public let password: String
    public let fixture: String

    public init(operators: Int, offices: Int, signedIn: Double, password: String, fixture: String) {
        self.operators = operators
        self.offices = offices
        self.signedIn = signedIn
        self.password = password
        self.fixture = fixture
    }

    public static func exciseNumber(_ i: Int) -> String { String(format: "FR%05dR%05d", 80_000 + i / 100_000, i % 100_000) }

    /// A valid SIREN (Luhn) per index.
    public static func siren(_ i: Int) -> String {
        let body = String(format: "%08d", 10_000_000 + i)
        for check in 0...9 where (try? AccountRules.siren(body + String(check))) != nil { return body + String(check) }
        return body + "0"
    }

    public func fill(_ store: FixtureStore) async throws {
        let hash = try await store.hash(password)
        var lines: [String] = []
        let officeIDs = try await store.create((0..<offices).map { k in
            FixtureStore.Office(code: String(format: "FR8%05d", k), name: "Bureau de mesure \(k)", email: "bureau\(k)@mesure.invalid")
        })
        _ = try await store.create(officeIDs.enumerated().map { k, office in
            FixtureStore.Account(login: "rush.bureau.\(k)", email: "bureau\(k)@mesure.invalid", passwordHash: hash, role: .officer,
                                 companyID: nil, officeID: office, companyAdmin: false)
        })
        lines += (0..<offices).map { "officer rush.bureau.\($0) \($0)" }

        for start in stride(from: 0, to: operators, by: 1_000) {
            let range = start..<min(start + 1_000, operators)
            let companies = try await store.create(range.map { i in
                FixtureStore.Company(siren: Self.siren(i), name: "Domaine de mesure \(i)", address: "\(i) chemin des Vignes")
            })
            let excises = try await store.create(range.map { i in
                FixtureStore.Excise(number: Self.exciseNumber(i), companyID: companies[i - start], officeID: officeIDs[i % offices], mode: .dti)
            })
            let users = try await store.create(range.map { i in
                FixtureStore.Account(login: "rush.op.\(i)", email: "op\(i)@mesure.invalid", passwordHash: hash, role: .operator,
                                     companyID: companies[i - start], officeID: nil, companyAdmin: true)
            })
            try await store.grant(Right.allCases, Array(zip(users, excises)))
            // Deterministic: the first `signedIn` of every hundred.
            let signed = range.filter { Double($0 % 100) < signedIn * 100 }.map { users[$0 - start] }
            let tokens = try await store.issueTokens(signed)
            for i in range {
                lines.append("operator rush.op.\(i) \(Self.exciseNumber(i)) \(i % offices) \(tokens[users[i - start]] ?? "-")")
            }
        }
        try await store.settle(vacuum: false)
        try (lines.joined(separator: "\n") + "\n").write(toFile: fixture, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: fixture)
    }
}
