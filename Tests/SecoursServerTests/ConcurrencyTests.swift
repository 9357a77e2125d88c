import Fluent
import Foundation
import SecoursCore
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
}
