import Foundation
import SecoursCore
import SecoursServer

/// For scripts/bench-search: one office and company, `exciseNumbers` excise numbers, an
/// operator `bench.operator` with every right on the first two of them, and `documents` varied
/// documents spread over the excise numbers.
public struct SearchDataSet: Sendable {
    public let documents: Int
    public let exciseNumbers: Int
    public let password: String

    public init(documents: Int, exciseNumbers: Int, password: String) {
        self.documents = documents
        self.exciseNumbers = exciseNumbers
        self.password = password
    }

    /// Varied, like real SEED numbers: a digit block and a letter that differ from one to the next.
    public static func exciseNumber(_ i: Int) -> String {
        let letters = Array("ABCDEFGHJKLMNPRSTUVWXYZ")
        return String(format: "FR%05d%@%05d", (i * 7_919) % 100_000, String(letters[i % letters.count]), (i * 104_729) % 100_000)
    }

    public func fill(_ store: FixtureStore) async throws {
        let office = try await store.create([.init(code: "FR009999", name: "Bureau de mesure", email: "mesure@douane.invalid")])[0]
        let company = try await store.create([.init(siren: "443061841", name: "Société de mesure", address: "1 rue du Banc")])[0]
        let numbers = (0..<exciseNumbers).map(Self.exciseNumber)
        let excises = try await store.create(numbers.map { FixtureStore.Excise(number: $0, companyID: company, officeID: office, mode: .dti) })
        let op = try await store.create([.init(login: "bench.operator", email: "op@bench.invalid", passwordHash: try await store.hash(password),
                                               role: .operator, companyID: company, officeID: nil, companyAdmin: false)])[0]
        try await store.grant(Right.allCases, excises.prefix(2).map { (op, $0) })

        let statuses: [Status] = [.active, .active, .active, .inactive, .cancelled, .reintegrated, .reintegrated]
        let actors: [ActorType] = [.operator, .operator, .operator, .customsOfficer, .ediProvider]
        let base = DispatchMoment(day: ParisDay(year: 2026, month: 1, day: 1)!, time: ParisTime(hour: 8, minute: 0)!).date
        let parsed = try numbers.map { try ExciseNumber(parsing: $0) }
        var rng = SystemRandomNumberGenerator()
        var made = 0
        while made < documents {
            let batch = min(20_000, documents - made)
            let rows = try (made..<(made + batch)).map { i in
                let excise = parsed[i % exciseNumbers]
                let sequence = i / exciseNumbers + 1
                let manual = i % 10 == 0
                let type: DocumentType = i % 3 == 0 ? .dsa : .dae
                let number = manual ? try FallbackNumber.manual(year: 26, exciseNumber: excise, sequence: sequence, type: type)
                    : try FallbackNumber.generated(year: 26, exciseNumber: excise, sequence: sequence)
                let transport = String(format: "%@-%03d-%@", ["AB", "CD", "EF", "GH", "KL"][Int.random(in: 0..<5, using: &rng)],
                                       Int.random(in: 0..<1000, using: &rng), ["XY", "ZT", "PQ"][i % 3])
                return FixtureStore.Document(number: number, type: type, exciseNumber: excise, year: 2026, sequence: sequence, transport: transport,
                                             registeredAt: base.addingTimeInterval(Double(i) * 25), registrationMode: manual ? .aPosteriori : .normal,
                                             actorType: actors[i % actors.count], status: statuses[i % statuses.count])
            }
            try await store.insert(rows)
            made += batch
        }
        try await store.giveCancellationReasons()
        try await store.settle(vacuum: true)
    }
}
