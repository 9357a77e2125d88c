import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// Fills an empty database for `scripts/bench-search`: one office and company, `exciseCount`
/// excise numbers, an operator `bench.operator` with every right on the first two of them, and
/// `documents` varied documents spread over the excise numbers (no history lines: the search
/// does not read them).
public func fillBenchmarkDatabase(_ settings: Settings, documents: Int, exciseCount: Int, password: String) async throws {
    var s = settings
    s.inactivationInterval = 0
    let app = try await makeApplication(s)
    do {
        try await BenchmarkFill(app: app).run(documents: documents, exciseCount: exciseCount, password: password)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

struct BenchmarkFill {
    let app: Application

    func run(documents: Int, exciseCount: Int, password: String) async throws {
        let db = app.db
        let office = OfficeModel(code: "FR009999", name: "Bureau de mesure", email: "mesure@douane.invalid")
        try await office.create(on: db)
        let company = CompanyModel(siren: "443061841", name: "Société de mesure", address: "1 rue du Banc")
        try await company.create(on: db)
        var excises: [ExciseNumberModel] = []
        for i in 0..<exciseCount {
            // Varied, like real SEED numbers: a digit block and a letter that differ from one to the next.
            let letters = Array("ABCDEFGHJKLMNPRSTUVWXYZ")
            let number = String(format: "FR%05d%@%05d", (i * 7_919) % 100_000, String(letters[i % letters.count]), (i * 104_729) % 100_000)
            let e = ExciseNumberModel(number: number, companyID: try company.requireID(),
                                      officeID: try office.requireID(), mode: "DTI")
            excises.append(e)
        }
        try await excises.create(on: db)
        let op = UserModel(login: "bench.operator", email: "op@bench.invalid", passwordHash: try await app.password.async.hash(password),
                           role: Role.operator.rawValue, companyID: try company.requireID(), officeID: nil, companyAdmin: false)
        try await op.create(on: db)
        for e in excises.prefix(2) {
            for r in Right.allCases { try await RightModel(userID: try op.requireID(), exciseNumberID: try e.requireID(), right: r.rawValue).create(on: db) }
        }

        let statuses = ["active", "active", "active", "inactive", "cancelled", "reintegrated", "reintegrated"]
        let start = ParisDay(year: 2026, month: 1, day: 1)!
        let base = DispatchMoment(day: start, time: ParisTime(hour: 8, minute: 0)!).date
        var rng = SystemRandomNumberGenerator()
        var made = 0
        while made < documents {
            let batch = min(20_000, documents - made)
            let rows: [DocumentModel] = (made..<(made + batch)).map { i in
                let excise = try! ExciseNumber(parsing: excises[i % exciseCount].number)
                let sequence = i / exciseCount + 1
                let manual = i % 10 == 0
                let type: DocumentType = i % 3 == 0 ? .dsa : .dae
                let number = manual ? try! FallbackNumber.manual(year: 26, exciseNumber: excise, sequence: sequence, type: type)
                    : try! FallbackNumber.generated(year: 26, exciseNumber: excise, sequence: sequence)
                let at = base.addingTimeInterval(Double(i) * 25)
                let d = DocumentModel()
                d.id = UUID()
                d.number = number.value
                d.kind = "craps"
                d.type = type.rawValue
                d.exciseNumber = excise.value
                d.year = 2026
                d.sequence = sequence
                d.transport = String(format: "%@-%03d-%@", ["AB", "CD", "EF", "GH", "KL"][Int.random(in: 0..<5, using: &rng)], Int.random(in: 0..<1000, using: &rng), ["XY", "ZT", "PQ"][i % 3])
                let day = ParisDay(at)
                d.dispatchDate = day.iso
                d.dispatchTime = ParisTime(at).text
                d.registeredAt = at
                d.registrationDate = day.iso
                d.registrationMode = manual ? "a-posteriori" : "normal"
                d.actorType = ["operator", "operator", "operator", "customs-officer", "edi-provider"][i % 5]
                d.actorLogin = "bench"
                d.status = statuses[i % statuses.count]
                d.coverStart = at
                return d
            }
            try await db.transaction { tx in
                for chunk in stride(from: 0, to: rows.count, by: 500) {
                    try await DocumentRows.insert(Array(rows[chunk..<min(chunk + 500, rows.count)]), [], on: tx)
                }
            }
            made += batch
        }
        if let sql = db as? SQLDatabase {
            try await sql.raw("UPDATE documents SET cancellation_reason = CASE WHEN sequence % 2 = 0 THEN 'document-error' ELSE 'commercial-transaction-interrupted' END WHERE status = 'cancelled'").run()
        }
        // As a settled production database would be: statistics and PostgreSQL's visibility map up
        // to date (a fresh bulk load otherwise leaves autovacuum working during the measures).
        if let sql = db as? SQLDatabase, sql.dialect.name != "sqlite" { try await sql.raw("VACUUM ANALYZE documents").run() }
        if let sql = db as? SQLDatabase, sql.dialect.name == "sqlite" { try await sql.raw("ANALYZE").run() }
    }
}

/// Fills an empty database for `scripts/bench-rush`: `offices` offices with one officer each
/// (`rush.bureau.K`), and `operators` wine growers, each a company of its own with one DTI
/// excise number attached to office `i % offices` and an operator `rush.op.I` holding every
/// right on it; a fraction `signedIn` of them already has an API token, as operators who
/// signed in before the outage. Every account has the password `password` (hashed once, at
/// the service's cost). Writes the fixture the load generator reads: one line per account,
/// `operator LOGIN EXCISE OFFICE TOKEN` (TOKEN `-` when not signed in) or `officer LOGIN OFFICE`.
public func fillRushDatabase(_ settings: Settings, operators: Int, offices: Int, signedIn: Double, password: String, fixture: String) async throws {
    var s = settings
    s.inactivationInterval = 0
    let app = try await makeApplication(s)
    do {
        try await RushFill(app: app).run(operators: operators, offices: offices, signedIn: signedIn, password: password, fixture: fixture)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

struct RushFill {
    let app: Application

    func run(operators: Int, offices officeCount: Int, signedIn: Double, password: String, fixture: String) async throws {
        let db = app.db
        let hash = try await app.password.async.hash(password)
        var lines: [String] = []
        let offices = (0..<officeCount).map { k in
            OfficeModel(code: String(format: "FR8%05d", k), name: "Bureau de mesure \(k)", email: "bureau\(k)@mesure.invalid")
        }
        try await offices.create(on: db)
        let officers = try offices.enumerated().map { k, o in
            UserModel(login: "rush.bureau.\(k)", email: "bureau\(k)@mesure.invalid", passwordHash: hash, role: Role.officer.rawValue,
                      companyID: nil, officeID: try o.requireID(), companyAdmin: false)
        }
        try await officers.create(on: db)
        lines += (0..<officeCount).map { "officer rush.bureau.\($0) \($0)" }

        let now = app.secours.now()
        for start in stride(from: 0, to: operators, by: 1_000) {
            let range = start..<min(start + 1_000, operators)
            let companies = range.map { i in CompanyModel(siren: Self.siren(i), name: "Domaine de mesure \(i)", address: "\(i) chemin des Vignes") }
            try await companies.create(on: db)
            let excises = try range.map { i in
                ExciseNumberModel(number: Self.exciseNumber(i), companyID: try companies[i - start].requireID(),
                                  officeID: try offices[i % officeCount].requireID(), mode: TransmissionMode.dti.rawValue)
            }
            try await excises.create(on: db)
            let users = try range.map { i in
                UserModel(login: "rush.op.\(i)", email: "op\(i)@mesure.invalid", passwordHash: hash, role: Role.operator.rawValue,
                          companyID: try companies[i - start].requireID(), officeID: nil, companyAdmin: true)
            }
            try await users.create(on: db)
            let rights = try range.flatMap { i in
                try Right.allCases.map { RightModel(userID: try users[i - start].requireID(), exciseNumberID: try excises[i - start].requireID(), right: $0.rawValue) }
            }
            try await rights.create(on: db)
            // Deterministic: the first `signedIn` of every hundred.
            let signed = try range.filter { Double($0 % 100) < signedIn * 100 }.map { try users[$0 - start].requireID() }
            let tokens = try await TokenStore(db: db).issue(userIDs: signed, now: now, lifetime: app.secours.settings.tokenLifetime)
            for i in range {
                let token = tokens[try users[i - start].requireID()]?.token ?? "-"
                lines.append("operator rush.op.\(i) \(Self.exciseNumber(i)) \(i % officeCount) \(token)")
            }
        }
        if let sql = db as? SQLDatabase, sql.dialect.name != "sqlite" { try await sql.raw("ANALYZE").run() }
        try (lines.joined(separator: "\n") + "\n").write(toFile: fixture, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: fixture)
    }

    static func exciseNumber(_ i: Int) -> String { String(format: "FR%05dR%05d", 80_000 + i / 100_000, i % 100_000) }

    /// A valid SIREN (Luhn) per index.
    static func siren(_ i: Int) -> String {
        let body = String(format: "%08d", 10_000_000 + i)
        for check in 0...9 where (try? AccountRules.siren(body + String(check))) != nil { return body + String(check) }
        return body + "0"
    }
}
