import Fluent
import Foundation
import SecoursCore
import SQLKit
import Testing
import VaporTesting
@testable import SecoursServer

/// R-NUM-4/5/8, R-GPS-2/6, R-DIAG-2: one document per sequence and one active episode per
/// service, whatever races: real concurrent HTTP requests against two application instances
/// serving on one database, many trials on each database.
@Suite("Integrity under concurrency")
struct IntegrityTests {
    static let excise = "FR007328E0001"

    static func manual(_ excise: String = excise, sequence: Int, typeDigit: Int) -> String {
        "26" + excise + String(format: "%05d", sequence) + String(typeDigit)
    }

    static func registration(_ number: String, type: String, excise: String = excise) -> [String: any Sendable] {
        ["number": number, "type": type, "exciseNumber": excise, "transport": "AB-123-CD", "dispatchDate": "2026-11-21", "dispatchTime": "08:00"]
    }

    static let generation: [String: any Sendable] = ["type": "DAE", "exciseNumber": excise, "transport": "AB-123-CD",
                                            "dispatchDate": "2026-11-23", "dispatchTime": "08:30"]

    /// Two instances serving on one database, each on its own port.
    func withTwoServers(_ db: TestDatabase, _ body: @escaping @Sendable (Application, LiveServer, LiveServer) async throws -> Void) async throws {
        try await withApp(db) { app in
            try await withSecondInstance(of: app) { other in
                try await withLiveServer(app) { a in
                    try await withLiveServer(other) { b in try await body(app, a, b) }
                }
            }
        }
    }

    /// (excise number, year, sequence) held by more than one GAMMA document.
    static func sharedSequences(_ app: Application) async throws -> [String] {
        try await (app.db as! SQLDatabase).raw("""
            SELECT excise_number, year, sequence, COUNT(*) AS n FROM documents WHERE kind = 'craps'
            GROUP BY excise_number, year, sequence HAVING COUNT(*) > 1
            """).all().map { "\(try $0.decode(column: "excise_number", as: String.self))/\(try $0.decode(column: "sequence", as: Int.self))" }
    }

    @Test(arguments: TestDatabase.available)
    func oneSequenceIsNeverRegisteredTwice(_ db: TestDatabase) async throws {
        try await withTwoServers(db) { app, a, b in
            let marie = try await app.token("marie.laurent")
            let start = try await SequenceStore(db: app.db).last(exciseNumber: Self.excise, year: 2026) + 10
            for trial in 0..<30 {
                let sequence = start + trial
                async let daa = a.send(.POST, "/api/v1/documents/registrations", token: marie,
                                       json: Self.registration(Self.manual(sequence: sequence, typeDigit: 1), type: "DAE"))
                async let dsa = b.send(.POST, "/api/v1/documents/registrations", token: marie,
                                       json: Self.registration(Self.manual(sequence: sequence, typeDigit: 2), type: "DSA"))
                let answers = try await [daa, dsa]
                #expect(answers.map(\.status).sorted() == [201, 409], "trial \(trial): \(answers.map(\.text))")
                #expect(answers.first { $0.status == 409 }?.errorCode == "sequence_already_used")
            }
            #expect(try await Self.sharedSequences(app).isEmpty)
            #expect(try await SequenceStore(db: app.db).last(exciseNumber: Self.excise, year: 2026) == start + 29)
        }
    }

    @Test(arguments: TestDatabase.available)
    func generationRacingARegistrationTakesTheNextNumber(_ db: TestDatabase) async throws {
        try await withTwoServers(db) { app, a, b in
            let marie = try await app.token("marie.laurent")
            for trial in 0..<25 {
                let next = try await SequenceStore(db: app.db).last(exciseNumber: Self.excise, year: 2026) + 1
                let answers = try await withThrowingTaskGroup(of: (String, LiveServer.Answer).self) { group in
                    group.addTask {
                        ("registration", try await (trial % 2 == 0 ? a : b).send(.POST, "/api/v1/documents/registrations", token: marie,
                                                                                   json: Self.registration(Self.manual(sequence: next, typeDigit: 1), type: "DAE")))
                    }
                    for i in 0..<4 {
                        group.addTask { ("generation", try await (i % 2 == 0 ? a : b).send(.POST, "/api/v1/documents", token: marie, json: Self.generation)) }
                    }
                    var all: [(String, LiveServer.Answer)] = []
                    for try await x in group { all.append(x) }
                    return all
                }
                for (what, answer) in answers {
                    if what == "generation" {
                        #expect(answer.status == 201, "trial \(trial): a generation failed: \(answer.text)")
                    } else {
                        // Taken meanwhile: its sequence, or the very number (a generated number whose
                        // check digit equals the manual number's type digit).
                        #expect(answer.status == 201 || (answer.status == 409 && ["sequence_already_used", "number_already_known"].contains(answer.errorCode ?? "")),
                                "trial \(trial): \(answer.status) \(answer.text)")
                    }
                }
            }
            #expect(try await Self.sharedSequences(app).isEmpty)
            // The sequence row is the highest sequence stored: nothing was issued past it.
            let highest = try await (app.db as! SQLDatabase).raw("SELECT MAX(sequence) AS m FROM documents WHERE excise_number = \(bind: Self.excise) AND year = 2026")
                .first()!.decode(column: "m", as: Int.self)
            #expect(try await SequenceStore(db: app.db).last(exciseNumber: Self.excise, year: 2026) == highest)
        }
    }

    @Test(arguments: TestDatabase.available)
    func anImportRacingGenerationAlwaysReportsEachEntry(_ db: TestDatabase) async throws {
        try await withTwoServers(db) { app, a, b in
            let marie = try await app.token("marie.laurent")
            let excise = "FR007328E0002"   // DTI+: import allowed
            let generation = Self.generation.merging(["exciseNumber": excise]) { $1 }
            for trial in 0..<15 {
                let next = try await SequenceStore(db: app.db).last(exciseNumber: excise, year: 2026) + 1
                let entries = (0..<5).map { ImportTests.entry(Self.manual(excise, sequence: next + $0, typeDigit: 1), excise: excise) }
                let xml = Data(ImportTests.file(entries).utf8)
                let answers = try await withThrowingTaskGroup(of: (String, LiveServer.Answer).self) { group in
                    group.addTask { ("import", try await a.send(.POST, "/api/v1/imports", token: marie, body: xml, contentType: "application/xml")) }
                    for i in 0..<4 {
                        group.addTask { ("generation", try await (i % 2 == 0 ? b : a).send(.POST, "/api/v1/documents", token: marie, json: generation)) }
                    }
                    var all: [(String, LiveServer.Answer)] = []
                    for try await x in group { all.append(x) }
                    return all
                }
                let report = try #require(answers.first { $0.0 == "import" }?.1)
                #expect(report.status == 200, "trial \(trial): \(report.text)")
                let outcomes = report.object["entries"] as? [[String: any Sendable]] ?? []
                #expect(outcomes.count == 5)
                for o in outcomes where o["result"] as? String == "refused" {
                    #expect((o["reason"] as? String)?.contains("déjà") == true, "\(o)")
                }
                #expect((report.object["accepted"] as? Int ?? -1) + (report.object["refused"] as? Int ?? -1) == 5)
                for (what, answer) in answers where what == "generation" {
                    #expect(answer.status == 201, "trial \(trial): \(answer.text)")
                }
            }
            #expect(try await Self.sharedSequences(app).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func twoRequestsOpenOneEpisode(_ db: TestDatabase) async throws {
        try await withTwoServers(db) { app, a, b in
            let marie = try await app.token("marie.laurent")
            let request: [String: any Sendable] = ["exciseNumber": Self.excise, "basis": "office-authorisation", "reason": "Plus de connexion."]
            for trial in 0..<15 {
                async let one = a.send(.POST, "/api/v1/episodes", token: marie, json: request)
                async let two = b.send(.POST, "/api/v1/episodes", token: marie, json: request)
                let answers = try await [one, two]
                #expect(answers.map(\.status).sorted() == [201, 409], "trial \(trial): \(answers.map(\.text))")
                #expect(answers.first { $0.status == 409 }?.errorCode == "episode_active")
                let active = try await EpisodeModel.query(on: app.db).filter(\.$exciseNumber == Self.excise)
                    .filter(\.$status ~~ [EpisodeStatus.requested, .open]).all()
                #expect(active.count == 1)
                if let id = active.first?.id {
                    #expect(try await a.send(.POST, "/api/v1/episodes/\(id.uuidString.lowercased())/end", token: marie, json: [String: any Sendable]()).status == 200)
                }
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func twoSelfTriggersOpenOneEpisode(_ db: TestDatabase) async throws {
        try await withTwoServers(db) { app, a, b in
            let marie = try await app.token("marie.laurent")
            let sophie = try await app.token("sophie.durand")
            func assistance(_ excise: String) -> [String: any Sendable] {
                ["exciseNumber": excise, "eori": "FR73282932000074", "companyName": "Société", "address": "1 rue", "phone": "05 56 00 00 00",
                 "service": "GAMMA2", "switchDate": "2026-11-22", "switchTime": "09:50", "reasons": "Plus rien ne passe."]
            }
            // Same excise number: one request and one episode. Other companies at the same
            // instant: each its own reference.
            async let one = a.send(.POST, "/api/v1/assistance-requests", token: marie, json: assistance(Self.excise))
            async let two = b.send(.POST, "/api/v1/assistance-requests", token: marie, json: assistance(Self.excise))
            async let three = b.send(.POST, "/api/v1/assistance-requests", token: sophie, json: assistance("FR009990F0005"))
            let answers = try await [one, two, three]
            #expect(answers.filter { $0.status == 201 }.count == 2, "\(answers.map(\.text))")
            #expect(answers.filter { $0.status == 409 }.count == 1)
            let references = answers.compactMap { $0.object["reference"] as? String }
            #expect(Set(references).count == references.count)
        }
    }

    /// The constraint is the database's: a row written by any path, even plain SQL, cannot take
    /// a sequence already held, nor open a second active episode.
    @Test(arguments: TestDatabase.available)
    func theDatabaseItselfRefusesASecondHolder(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let made = try await app.generate(marie)
            let number = try #require(made.object["number"] as? String)
            let sequence = try FallbackNumber(parsingGenerated: number).sequence
            let sql = app.db as! SQLDatabase
            await #expect(throws: (any Error).self) {
                try await sql.raw("""
                    INSERT INTO documents (id, number, kind, type, excise_number, year, sequence, transport, dispatch_date, dispatch_time,
                      registered_at, registration_date, registration_mode, actor_type, actor_login, status)
                    VALUES (\(bind: UUID()), \(bind: Self.manual(sequence: sequence, typeDigit: 2)), 'craps', 'DSA', \(bind: Self.excise), 2026, \(bind: sequence),
                      'X', '2026-11-23', '08:00', \(bind: Date()), '2026-11-22', 'a-posteriori', 'operator', 'test', 'active')
                    """).run()
            }
            let episode = try await app.api(.POST, "/api/v1/episodes", token: marie, body: ["exciseNumber": Self.excise, "basis": "office-authorisation", "reason": "r"])
            #expect(episode.status == .created)
            let office = try #require(try await EpisodeModel.query(on: app.db).first()?.officeID)
            await #expect(throws: (any Error).self) {
                try await sql.raw("""
                    INSERT INTO episodes (id, excise_number, office_id, service, basis, status, reason, requested_at, opened_by)
                    VALUES (\(bind: UUID()), \(bind: Self.excise), \(bind: office), 'GAMMA', 'office-authorisation', 'open', 'r', \(bind: Date()), 'test')
                    """).run()
            }
        }
    }

    /// A database written before the constraints keeps every document: the later holders of a
    /// shared sequence are ranked and say so in their history; the later duplicate episodes are
    /// closed by the service.
    @Test(arguments: TestDatabase.available)
    func theMigrationKeepsEarlierDuplicates(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let sql = app.db as! SQLDatabase
            try await sql.raw("DROP INDEX documents_one_per_sequence").run()
            try await sql.raw("DROP INDEX episodes_one_active").run()
            let marie = try await app.token("marie.laurent")
            let first = try await app.api(.POST, "/api/v1/documents/registrations", token: marie,
                                          body: Self.registration(Self.manual(sequence: 700, typeDigit: 1), type: "DAE").merging(["confirmJump": true]) { $1 })
            #expect(first.status == .created)
            let second = UUID()
            try await sql.raw("""
                INSERT INTO documents (id, number, kind, type, excise_number, year, sequence, transport, dispatch_date, dispatch_time,
                  registered_at, registration_date, registration_mode, actor_type, actor_login, status)
                VALUES (\(bind: second), \(bind: Self.manual(sequence: 700, typeDigit: 2)), 'craps', 'DSA', \(bind: Self.excise), 2026, 700,
                  'X', '2026-11-21', '08:00', \(bind: Date()), '2026-11-22', 'a-posteriori', 'operator', 'test', 'active')
                """).run()
            for _ in 0..<2 {
                try await sql.raw("""
                    INSERT INTO episodes (id, excise_number, office_id, service, basis, status, reason, requested_at, opened_by)
                    SELECT \(bind: UUID()), number, office_id, 'GAMMA', 'office-authorisation', 'open', 'r', \(bind: Date()), 'test'
                    FROM excise_numbers WHERE number = \(bind: Self.excise)
                    """).run()
            }
            let migration = M015_IntegrityConstraints()
            try await migration.rankDuplicateSequences(sql)
            try await migration.closeDuplicateEpisodes(sql)
            try await migration.createIndexes(sql)

            let ranks = try await sql.raw("SELECT number, sequence_rank FROM documents WHERE sequence = 700 ORDER BY sequence_rank").all()
                .map { (try $0.decode(column: "number", as: String.self), try $0.decode(column: "sequence_rank", as: Int.self)) }
            #expect(ranks.map(\.1) == [0, 1] && ranks.count == 2, "both documents are kept")
            let history = try await app.api(.GET, "/api/v1/documents/\(Self.manual(sequence: 700, typeDigit: 2))/history", token: marie)
            #expect(history.text.contains("Séquence partagée avec le document \(Self.manual(sequence: 700, typeDigit: 1))"), "\(history.text)")
            let active = try await EpisodeModel.query(on: app.db).filter(\.$exciseNumber == Self.excise).filter(\.$status == .open).count()
            #expect(active == 1)
        }
    }
}
