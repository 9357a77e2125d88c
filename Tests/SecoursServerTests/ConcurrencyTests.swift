import Fluent
import Foundation
import SecoursCore
import SQLKit
import Testing
import VaporTesting
@testable import SecoursServer

/// R-NUM-4: under concurrency, from two application instances sharing one database, no number
/// is issued twice and the sequence has no gap.
@Suite("Atomic sequence allocation")
struct ConcurrencyTests {
    @Test(arguments: TestDatabase.available)
    func twoInstancesNeverShareANumber(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let user = try #require(try await UserModel.query(on: app.db).filter(\.$login == "marie.laurent").first())
            let principal = try Principal(user)
            let request = try GenerationRequest(type: "DAE", exciseNumber: "FR007328E0001", transport: "AB-123-CD",
                                                dispatchDate: "2026-11-23", dispatchTime: "08:00").validate(now: referenceNow)
            let perInstance = 40
            try await withSecondInstance(of: app) { other in
                let numbers = try await withThrowingTaskGroup(of: String.self) { group in
                    for i in 0..<(2 * perInstance) {
                        let target = i % 2 == 0 ? app : other
                        group.addTask {
                            try await DocumentService(db: target.db, principal: principal, generations: target.secours.generations).generate(request, now: referenceNow).number
                        }
                    }
                    var all: [String] = []
                    for try await n in group { all.append(n) }
                    return all
                }
                #expect(numbers.count == 2 * perInstance)
                #expect(Set(numbers).count == numbers.count, "a number was issued twice")
                let sequences = try numbers.map { try FallbackNumber(parsingGenerated: $0).sequence }.sorted()
                #expect(sequences == Array(1...(2 * perInstance)), "the sequence has a gap")
            }
        }
    }

    /// A batch that fails is retried one generation at a time: only the faulty one gets the error,
    /// and its sequence number is given back.
    @Test(arguments: TestDatabase.available)
    func failingGenerationDoesNotSinkItsBatch(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            // setup: a stray row holds the number FR007328E0001's next generation would get.
            let taken = try FallbackNumber.generated(year: 26, exciseNumber: ExciseNumber(parsing: "FR007328E0001"), sequence: 1)
            try await (app.db as! SQLDatabase).raw("""
                INSERT INTO documents (id, number, kind, type, excise_number, year, sequence, transport, dispatch_date, dispatch_time,
                  registered_at, registration_date, registration_mode, actor_type, actor_login, status)
                VALUES (\(bind: UUID()), \(bind: taken.value), 'craps', 'DAE', 'FR007328E9999', 2026, 1, 'X', '2026-11-23', '08:00',
                  \(bind: Date()), '2026-11-22', 'normal', 'system', 'test', 'active')
                """).run()
            let user = try #require(try await UserModel.query(on: app.db).filter(\.$login == "marie.laurent").first())
            let principal = try Principal(user)
            func request(_ excise: String) throws -> GenerationRequest.Valid {
                try GenerationRequest(type: "DAE", exciseNumber: excise, transport: "TR-1", dispatchDate: "2026-11-23", dispatchTime: "08:00")
                    .validate(now: referenceNow)
            }
            let service = DocumentService(db: app.db, principal: principal, generations: app.secours.generations)
            // act
            let outcomes = await withTaskGroup(of: (String, Bool).self) { group in
                for excise in ["FR007328E0002", "FR007328E0001", "FR007328E0002", "FR007328E0002"] {
                    group.addTask {
                        do { return (try await service.generate(request(excise), now: referenceNow).number, true) } catch { return (excise, false) }
                    }
                }
                var all: [(String, Bool)] = []
                for await o in group { all.append(o) }
                return all
            }
            // check
            #expect(outcomes.filter { !$0.1 }.map(\.0) == ["FR007328E0001"])
            let fine = try outcomes.filter(\.1).map { try FallbackNumber(parsingGenerated: $0.0).sequence }.sorted()
            #expect(fine == [1, 2, 3])
            #expect(try await SequenceStore(db: app.db).last(exciseNumber: "FR007328E0001", year: 2026) == 0)
        }
    }
}
