import Foundation
import Testing
import VaporTesting
@testable import SecoursServer

@Suite("offline toolkit state (GET /api/v1/toolkit/state)")
struct ToolkitStateTests {
    @Test(arguments: TestDatabase.available)
    func operatorGetsItsExciseNumbersWithCompanyOfficeAndSequence(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            // setup: two numbers on FR007328E0001, one on the other company's number
            let marie = try await app.token("marie.laurent")
            #expect(try await app.generate(marie).status == .created)
            #expect(try await app.generate(marie, type: "DSA").status == .created)
            #expect(try await app.generate(try await app.token("sophie.durand"), excise: "FR009990F0005").status == .created)
            // act
            let r = try await app.api(.GET, "/api/v1/toolkit/state", token: marie)
            // check
            #expect(r.status == .ok)
            #expect(r.headers.first(name: .cacheControl) == "no-store")
            let numbers = try #require(r.object["exciseNumbers"] as? [[String: Any]])
            #expect(numbers.map { $0["number"] as? String } == ["FR007328E0001", "FR007328E0002"])
            let first = numbers[0]
            #expect(first["lastSequence"] as? Int == 2)
            #expect(numbers[1]["lastSequence"] as? Int == 0)
            #expect(first["issuableTypes"] as? [String] == ["DAE", "DSA"])
            #expect(first["mode"] as? String == "DTI")
            #expect((first["company"] as? [String: Any])?["name"] as? String == "SCEA Château Les Graves")
            #expect((first["office"] as? [String: Any])?["email"] as? String == "bureau.bordeaux@douane.invalid")
            #expect((r.object["account"] as? [String: Any])?["email"] as? String == "marie.laurent@exemple.invalid")
            #expect(r.object["year"] as? Int == 2026)
            #expect((r.object["alerts"] as? [[String: Any]])?.count == 1)
            // The demo episode is the Distillerie's: not Marie's.
            #expect((r.object["episodes"] as? [[String: Any]])?.isEmpty == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theOtherCompanySeesNothingOfTheFirst(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            #expect(try await app.generate(marie).status == .created)
            let r = try await app.api(.GET, "/api/v1/toolkit/state", token: try await app.token("sophie.durand"))
            #expect(r.status == .ok)
            #expect(!r.text.contains("FR007328E000"))
            #expect(!r.text.contains("Château Les Graves"))
            let numbers = try #require(r.object["exciseNumbers"] as? [[String: Any]])
            #expect(numbers.map { $0["number"] as? String } == ["FR009990F0005"])
            #expect(numbers[0]["lastSequence"] as? Int == 0)
            #expect((r.object["episodes"] as? [[String: Any]])?.map { $0["exciseNumber"] as? String } == ["FR009990F0005"])
            // Rights are per account: DAA only gives DAE only.
            let paul = try await app.api(.GET, "/api/v1/toolkit/state", token: try await app.token("paul.martin"))
            let paulNumbers = try #require(paul.object["exciseNumbers"] as? [[String: Any]])
            #expect(paulNumbers.map { $0["number"] as? String } == ["FR007328E0001"])
            #expect(paulNumbers[0]["issuableTypes"] as? [String] == ["DAE"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func bearerTokenOnlyAndRevokedTokensAreRefused(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            #expect(try await app.api(.GET, "/api/v1/toolkit/state").status == .unauthorized)
            let token = try await app.token("marie.laurent")
            #expect(try await app.api(.DELETE, "/api/v1/auth/token", token: token).status == .noContent)
            let r = try await app.api(.GET, "/api/v1/toolkit/state", token: token)
            #expect(r.status == .unauthorized)
            #expect(r.errorCode == "unauthenticated")
        }
    }
}
