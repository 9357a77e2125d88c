import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import SecoursServer

/// R-NF-6: sign-ins cannot sink the service. Passwords are checked on threads of their own with
/// a bounded number of sign-ins admitted; beyond it the answer is 503 with `Retry-After` at once,
/// nothing is counted against the account, and signed-in users are served meanwhile.
@Suite("Sign-in hashing pool")
struct HashingPoolTests {
    @Test(arguments: TestDatabase.available)
    func aFullPoolRefusesAtOnceAndCountsNothing(_ db: TestDatabase) async throws {
        // A real bcrypt cost, one hashing thread and one waiting place: two sign-ins at a time.
        // The account's own failure limit is out of reach here (when the checks are quick, more
        // than five of the sixteen can be admitted one after another, and the sixth would be a 429).
        try await withApp(db, configure: {
            $0.bcryptCost = 10; $0.hashThreads = 1; $0.hashQueue = 1; $0.loginMaxFailures = 100
        }) { app in
            let marie = try await app.token("marie.laurent")
            try await withLiveServer(app) { server in
                let answers = try await withThrowingTaskGroup(of: LiveServer.Answer.self) { group in
                    for i in 0..<16 {
                        group.addTask {
                            try await server.send(.POST, "/api/v1/auth/token", json: ["login": "paul.martin", "password": "pas-le-bon-\(i)"])
                        }
                    }
                    // Meanwhile a signed-in operator is served.
                    group.addTask { try await server.send(.GET, "/api/v1/excise-numbers", token: marie) }
                    var all: [LiveServer.Answer] = []
                    for try await a in group { all.append(a) }
                    return all
                }
                let signIns = answers.filter { $0.status != 200 }
                let served = answers.count - signIns.count
                #expect(served == 1, "the signed-in request: \(answers.map(\.status))")
                #expect(signIns.count == 16)
                let busy = signIns.filter { $0.status == 503 }
                let checked = signIns.filter { $0.status == 401 }
                #expect(busy.count + checked.count == 16, "\(signIns.map(\.status))")
                #expect(!busy.isEmpty && checked.count >= 1, "\(signIns.map(\.status))")
                for b in busy {
                    #expect(b.headers.first(name: .retryAfter) != nil)
                    #expect(b.text.contains("sign_in_busy"))
                }
                // Only the passwords actually checked count against the account.
                let sql = app.db as! SQLDatabase
                let counted = try await sql.raw("SELECT COUNT(*) AS n FROM login_attempts WHERE key = 'login:paul.martin'").first()?
                    .decode(column: "n", as: Int.self)
                #expect(counted == checked.count)
                // Once the rush is over, sign-in works.
                #expect(try await server.send(.POST, "/api/v1/auth/token", json: ["login": "marie.laurent", "password": DemoData.password]).status == 200)
            }
        }
    }

    /// The hashing threads run at the nice value asked for, so that when the cores are busy the
    /// event loops and the database go first (Linux: the nice value belongs to each thread).
    @Test func theHashingThreadsYieldTheCores() async throws {
        #if os(Linux)
        func niced(_ value: Int) -> Int {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
            return tasks.filter { task in
                guard let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                      let close = stat.lastIndex(of: ")") else { return false }
                // After the command name: state is field 3, nice field 19.
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                return fields.count > 16 && Int(fields[16]) == value
            }.count
        }
        let before = niced(7)
        let pool = HashingPool(threads: 2, queue: 0, cost: 4, nice: 7)
        let hash = try await pool.hash("un mot de passe")
        #expect(try await pool.verify("un mot de passe", created: hash))
        #expect(try await !pool.verify("un autre", created: hash))
        #expect(niced(7) > before, "a hashing thread runs at nice 7")
        try await pool.shutdown()
        #endif
    }
}
