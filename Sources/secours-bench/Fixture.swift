import Foundation
import SecoursAPIClient

/// What a load run works with: an office, a company with `excises` excise numbers in DTI, a red
/// GAMMA alert (generating needs one), and one signed-in operator per client, each with the
/// rights on one of the excise numbers (client `c` on `excises[c % count]`).
struct Fixture {
    let excises: [String]
    let tokens: [String]

    /// `tag` names the run's records (`bench`, `soak`); `letter` starts its excise numbers.
    static func make(_ api: API, admin: String, clients: Int, exciseNumbers: Int, tag: String, letter: String) async throws -> Fixture {
        let parts = admin.split(separator: ":", maxSplits: 1).map(String.init)
        let cid = try api.client(try await api.token(parts[0], parts[1]))
        let run = String(UInt32.random(in: 0..<UInt32.max), radix: 36).uppercased()
        let officeCode = "FR" + String(format: "%06d", Int.random(in: 0..<1_000_000))
        _ = try await cid.createOffice(body: .json(.init(code: officeCode, name: "Bureau \(tag) \(run)", email: "\(tag)@douane.invalid"))).created
        let companyID = try await cid.createCompany(body: .json(.init(siren: Generate.siren(), name: "\(tag) \(run)", address: "1 rue du Banc"))).created.body.json.id
        var excises: [String] = []
        for i in 0..<exciseNumbers {
            let number = "FR" + String((letter + run + String(repeating: "0", count: 11)).prefix(7)) + String(format: "%04d", i)
            _ = try await cid.createExciseNumber(body: .json(.init(number: number, companyId: companyID, officeCode: officeCode, mode: .dti))).created
            excises.append(number)
        }
        // Generating needs a current alert or an open episode (SECOURS_REQUIRE_EPISODE, on by
        // default): the run publishes a red alert on GAMMA, as the CID would during an outage.
        _ = try await cid.publishAlert(body: .json(.init(level: .red, services: [.gamma], modes: [.dti, .dtiPlus, .edi],
                                                         title: "Mesure \(run)", description: "Alerte publiée par le banc de mesure (\(tag))."))).created
        let password = "cuve-inox-2026"
        var tokens: [String] = []
        for c in 0..<clients {
            let login = "\(tag).\(run.lowercased()).\(c)"
            _ = try await cid.createUser(body: .json(.init(login: login, email: "\(login)@\(tag).invalid", password: password, role: ._operator, companyId: companyID))).created
            _ = try await cid.setRights(path: .init(number: excises[c % excises.count], login: login),
                                        body: .json(.init(rights: [.issueDaa, .issueDsa, .searchDaa, .searchDsa]))).ok
            tokens.append(try await api.token(login, password))
        }
        return Fixture(excises: excises, tokens: tokens)
    }
}

/// The `p` quantile of sorted values (nearest rank), 0 when there are none.
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[max(0, min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
}
