import Foundation
import Testing
import VaporTesting
@testable import SecoursServer

/// What an outage brings at once: numbers generated while operators open the public pages
/// (each first visit writes a session). On SQLite, the connections waiting for the write lock
/// once held every blocking thread while the one holding the lock waited for a thread to commit:
/// the server stopped, and every request after answered 503 once the pool gave up.
@Suite("No stall under mixed writers")
struct StallTests {
    @Test(arguments: TestDatabase.available)
    func generationsAndNewSessionsTogetherNeverStall(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            try await withLiveServer(app) { server in
                let marie = try await app.token("marie.laurent")
                let started = Date()
                let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
                    for c in 0..<12 {
                        group.addTask {
                            var seen: [Int] = []
                            for i in 0..<30 {
                                if (c + i) % 2 == 0 {
                                    seen.append(try await server.send(.POST, "/api/v1/documents", token: marie, json: [
                                        "type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-\(c)-\(i)",
                                        "dispatchDate": "2026-11-23", "dispatchTime": "08:30",
                                    ]).status)
                                } else {
                                    seen.append(try await server.send(.GET, ["/meteo", "/connexion", "/diagnostic"][i % 3]).status)
                                }
                            }
                            return seen
                        }
                    }
                    var all: [Int] = []
                    for try await s in group { all += s }
                    return all
                }
                // Every request answered, none given up after the database pool's 10 s wait (503).
                #expect(statuses.count == 360)
                #expect(statuses.allSatisfy { $0 == 201 || $0 == 200 },
                        "\(Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count)) in \(Int(Date().timeIntervalSince(started))) s")
            }
        }
    }
}
