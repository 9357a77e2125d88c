import Fluent
import Foundation
import SecoursCore
import Testing
import VaporTesting
@testable import SecoursServer

/// Nobody sees or changes what is outside their scope (R-ACC-4): the demo data has two
/// companies, and a second office is added here.
@Suite("Scope: a second company and a second office see nothing")
struct ScopeTests {
    @Test(arguments: TestDatabase.available)
    func otherCompanySeesNothing(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            // setup: a document of company A (Château Les Graves)
            let marie = try await app.token("marie.laurent")
            let doc = try await app.generate(marie)
            let number = try #require(doc.object["number"] as? String)
            let sophie = try await app.token("sophie.durand") // company B
            let edi = try await app.token("edi.transvin") // B's EDI provider

            for token in [sophie, edi] {
                // act + check: every endpoint answers without data
                let read = try await app.api(.GET, "/api/v1/documents/\(number)", token: token)
                #expect(read.status == .notFound)
                #expect(!read.text.contains("FR007328E0001"))
                let history = try await app.api(.GET, "/api/v1/documents/\(number)/history", token: token)
                #expect(history.status == .notFound)
                #expect(!history.text.contains("marie"))
                let gen = try await app.generate(token, excise: "FR007328E0001")
                #expect(gen.status == .forbidden)
                let list = try await app.api(.GET, "/api/v1/excise-numbers", token: token)
                #expect(!list.text.contains("FR007328E000"))
                let rights = try await app.api(.PUT, "/api/v1/excise-numbers/FR007328E0001/rights/paul.martin", token: token,
                                               body: ["rights": ["issue-dsa"]])
                #expect(rights.status == .forbidden || rights.status == .notFound)
                for path in ["/api/v1/offices", "/api/v1/companies", "/api/v1/excise-numbers", "/api/v1/users"] {
                    #expect(try await app.api(.POST, path, token: token, body: ["code": "FR000001"]).status == .forbidden)
                }
            }
            // The refusals changed nothing.
            #expect(try await DocumentModel.query(on: app.db).count() == 1)
            #expect(try await RightModel.query(on: app.db).filter(\.$right == .issueDSA).count() == 4)
        }
    }

    @Test(arguments: TestDatabase.available)
    func rightsNarrowWhatAnOperatorDoes(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let dsa = try #require(try await app.generate(marie, type: "DSA").object["number"] as? String)
            let daa = try #require(try await app.generate(marie, type: "DAE").object["number"] as? String)
            let paul = try await app.token("paul.martin") // issue-daa + search-daa on FR007328E0001 only
            let refused = try await app.generate(paul, type: "DSA")
            #expect(refused.status == .forbidden)
            #expect(refused.errorCode == "right_missing")
            #expect(try await app.api(.GET, "/api/v1/documents/\(dsa)", token: paul).status == .notFound)
            #expect(try await app.api(.GET, "/api/v1/documents/\(daa)", token: paul).status == .ok)
            #expect(try await app.generate(paul, excise: "FR007328E0002").status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func officersSeeOnlyTheirOffice(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let cid = try await app.token("cid.admin")
            #expect(try await app.api(.POST, "/api/v1/offices", token: cid,
                                      body: ["code": "FR000725", "name": "Bureau de Cognac", "email": "cognac@douane.invalid"]).status == .created)
            #expect(try await app.api(.POST, "/api/v1/users", token: cid,
                                      body: ["login": "agent.cognac", "email": "a@cognac.invalid", "password": "mot-de-passe-long",
                                             "role": "officer", "officeCode": "FR000725"]).status == .created)
            let number = try #require(try await app.generate(try await app.token("marie.laurent")).object["number"] as? String)
            let cognac = try await app.token("agent.cognac", password: "mot-de-passe-long")
            #expect(try await app.api(.GET, "/api/v1/documents/\(number)", token: cognac).status == .notFound)
            #expect(try await app.generate(cognac).status == .forbidden)
            #expect(try await app.api(.GET, "/api/v1/excise-numbers", token: cognac).array.isEmpty)
            let bordeaux = try await app.token("agent.bordeaux")
            #expect(try await app.api(.GET, "/api/v1/documents/\(number)", token: bordeaux).status == .ok)
            #expect(try await app.api(.GET, "/api/v1/excise-numbers", token: bordeaux).array.count == 3)
        }
    }
}
