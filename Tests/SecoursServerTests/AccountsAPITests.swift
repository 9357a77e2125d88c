import Fluent
import Foundation
import SecoursCore
import SQLKit
import Testing
import VaporTesting
@testable import SecoursServer

@Suite("Accounts, rights and sign-in (R-ACC-1..4)")
struct AccountsAPITests {
    @Test(arguments: TestDatabase.available)
    func cidSetsUpAnOperatorFromScratch(_ db: TestDatabase) async throws {
        try await withApp(db, demo: false, configure: { $0.bootstrapAdmin = ("admin", "cle-du-chai-2026") }) { app in
            // setup
            let cid = try await app.token("admin", password: "cle-du-chai-2026")
            // act
            let office = try await app.api(.POST, "/api/v1/offices", token: cid, body: ["code": "fr000690", "name": "Bureau de Bordeaux", "email": "b@douane.invalid"])
            let company = try await app.api(.POST, "/api/v1/companies", token: cid, body: ["siren": "732829320", "name": "SCEA Test", "address": "1 rue du Chai"])
            let companyID = try #require(company.object["id"] as? String)
            let excise = try await app.api(.POST, "/api/v1/excise-numbers", token: cid, body: ["number": "fr012345e6789", "companyId": companyID, "officeCode": "FR000690", "mode": "dti+"])
            let user = try await app.api(.POST, "/api/v1/users", token: cid, body: ["login": "Jean.Dupont", "email": "jean@scea.invalid", "password": "un-long-mot-de-passe", "role": "operator", "companyId": companyID])
            let rights = try await app.api(.PUT, "/api/v1/excise-numbers/FR012345E6789/rights/jean.dupont", token: cid, body: ["rights": ["issue-daa", "search-daa", "issue-daa"]])
            // check
            #expect(office.status == .created && office.object["code"] as? String == "FR000690")
            #expect(company.status == .created)
            #expect(excise.status == .created && excise.object["number"] as? String == "FR012345E6789" && excise.object["mode"] as? String == "DTI+")
            #expect(user.status == .created && user.object["login"] as? String == "jean.dupont")
            #expect(rights.status == .ok && rights.object["rights"] as? [String] == ["issue-daa", "search-daa"])
            let jean = try await app.token("jean.dupont", password: "un-long-mot-de-passe")
            let doc = try await app.generate(jean, excise: "FR012345E6789")
            #expect(doc.status == .created)
            let hash = try #require(try await UserModel.query(on: app.db).filter(\.$login == "jean.dupont").first()?.passwordHash)
            #expect(hash.hasPrefix("sha256$$2") && !hash.contains("un-long-mot-de-passe"))
            // Rights are replaced, not added: an empty list removes them.
            #expect(try await app.api(.PUT, "/api/v1/excise-numbers/FR012345E6789/rights/jean.dupont", token: cid, body: ["rights": [String]()]).status == .ok)
            #expect(try await app.generate(jean, excise: "FR012345E6789").status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func administrationRefusesBadInput(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let cid = try await app.token("cid.admin")
            let companyID = try #require(try await CompanyModel.query(on: app.db).first()?.id?.uuidString)
            let before = try await (OfficeModel.query(on: app.db).count(), CompanyModel.query(on: app.db).count(),
                                    ExciseNumberModel.query(on: app.db).count(), UserModel.query(on: app.db).count())
            let cases: [(String, [String: Any], HTTPResponseStatus, String)] = [
                ("/api/v1/offices", ["code": "F1", "name": "X", "email": "x@y.fr"], .unprocessableEntity, "code"),
                ("/api/v1/offices", ["code": "FR000690", "name": "Doublon", "email": "x@y.fr"], .conflict, ""),
                ("/api/v1/offices", ["code": "FR000691", "name": "X", "email": "pas-une-adresse"], .unprocessableEntity, "email"),
                ("/api/v1/companies", ["siren": "123456789", "name": "X", "address": "Y"], .unprocessableEntity, "siren"),
                ("/api/v1/companies", ["siren": "732829320", "name": "Doublon", "address": "Y"], .conflict, ""),
                ("/api/v1/companies", ["siren": "443061841", "name": "", "address": "Y"], .unprocessableEntity, "name"),
                ("/api/v1/excise-numbers", ["number": "FR00", "companyId": companyID, "officeCode": "FR000690", "mode": "DTI"], .unprocessableEntity, "number"),
                ("/api/v1/excise-numbers", ["number": "FR007328E0001", "companyId": companyID, "officeCode": "FR000690", "mode": "DTI"], .conflict, ""),
                ("/api/v1/excise-numbers", ["number": "FR007328E0009", "companyId": UUID().uuidString, "officeCode": "FR000690", "mode": "DTI"], .unprocessableEntity, "companyId"),
                ("/api/v1/excise-numbers", ["number": "FR007328E0009", "companyId": companyID, "officeCode": "FR999999", "mode": "DTI"], .unprocessableEntity, "officeCode"),
                ("/api/v1/excise-numbers", ["number": "FR007328E0009", "companyId": companyID, "officeCode": "FR000690", "mode": "FAX"], .unprocessableEntity, "mode"),
                ("/api/v1/users", ["login": "x", "email": "x@y.fr", "password": "assez-long-123", "role": "operator", "companyId": companyID], .unprocessableEntity, "login"),
                ("/api/v1/users", ["login": "nouveau", "email": "x@y.fr", "password": "court", "role": "operator", "companyId": companyID], .unprocessableEntity, "password"),
                ("/api/v1/users", ["login": "nouveau", "email": "x@y.fr", "password": "assez-long-123", "role": "king"], .unprocessableEntity, "role"),
                ("/api/v1/users", ["login": "nouveau", "email": "x@y.fr", "password": "assez-long-123", "role": "operator"], .unprocessableEntity, "companyId"),
                ("/api/v1/users", ["login": "nouveau", "email": "x@y.fr", "password": "assez-long-123", "role": "officer"], .unprocessableEntity, "officeCode"),
                ("/api/v1/users", ["login": "marie.laurent", "email": "x@y.fr", "password": "assez-long-123", "role": "operator", "companyId": companyID], .conflict, ""),
            ]
            for (path, body, status, field) in cases {
                let r = try await app.api(.POST, path, token: cid, body: body)
                #expect(r.status == status, "\(path) \(body): \(r.text)")
                if !field.isEmpty { #expect(r.errorFields == [field], "\(path): \(r.text)") }
                #expect(r.errorMessage?.isEmpty == false)
            }
            let after = try await (OfficeModel.query(on: app.db).count(), CompanyModel.query(on: app.db).count(),
                                   ExciseNumberModel.query(on: app.db).count(), UserModel.query(on: app.db).count())
            #expect(before == after)
            let unknownRight = try await app.api(.PUT, "/api/v1/excise-numbers/FR007328E0001/rights/paul.martin", token: cid, body: ["rights": ["fly"]])
            #expect(unknownRight.status == .unprocessableEntity)
            let onOfficer = try await app.api(.PUT, "/api/v1/excise-numbers/FR007328E0001/rights/agent.bordeaux", token: cid, body: ["rights": ["issue-daa"]])
            #expect(onOfficer.status == .conflict)
        }
    }

    @Test(arguments: TestDatabase.available)
    func companyAdministratorManagesOwnCompanyOnly(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent") // administrator of Château Les Graves
            let granted = try await app.api(.PUT, "/api/v1/excise-numbers/FR007328E0001/rights/paul.martin", token: marie,
                                            body: ["rights": ["issue-daa", "issue-dsa", "search-daa", "search-dsa"]])
            #expect(granted.status == .ok)
            #expect(try await app.generate(try await app.token("paul.martin"), type: "DSA").status == .created)
            // Not the other company's excise numbers, nor its accounts.
            #expect(try await app.api(.PUT, "/api/v1/excise-numbers/FR009990F0005/rights/paul.martin", token: marie, body: ["rights": ["issue-daa"]]).status == .notFound)
            #expect(try await app.api(.PUT, "/api/v1/excise-numbers/FR007328E0001/rights/sophie.durand", token: marie, body: ["rights": ["issue-daa"]]).status == .notFound)
            // An operator who is not administrator may not.
            let paul = try await app.token("paul.martin")
            #expect(try await app.api(.PUT, "/api/v1/excise-numbers/FR007328E0001/rights/paul.martin", token: paul, body: ["rights": Right.allCases.map(\.rawValue)]).status == .forbidden)
            #expect(try await app.api(.POST, "/api/v1/users", token: marie, body: ["login": "intrus"]).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.available)
    func bootstrapAdminOnlyWhenNoCID(_ db: TestDatabase) async throws {
        try await withApp(db, demo: false, configure: { $0.bootstrapAdmin = ("first.admin", "cle-du-chai-2026") }) { app in
            let admin = try #require(try await UserModel.query(on: app.db).filter(\.$login == "first.admin").first())
            #expect(admin.role == .cid)
            // A restart with another bootstrap account adds nothing: a CID account exists.
            try await withSecondInstance(of: app, configure: { $0.bootstrapAdmin = ("second.admin", "cle-du-chai-2026") }) { _ in }
            #expect(try await UserModel.query(on: app.db).filter(\.$login == "second.admin").count() == 0)
            #expect(try await UserModel.query(on: app.db).count() == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func loginIsThrottled(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.loginMaxFailures = 3 }) { app in
            let wrong = try await app.api(.POST, "/api/v1/auth/token", body: ["login": "marie.laurent", "password": "faux-mot-de-passe"])
            #expect(wrong.status == .unauthorized && wrong.errorCode == "invalid_credentials")
            let unknown = try await app.api(.POST, "/api/v1/auth/token", body: ["login": "personne", "password": "x"])
            #expect(unknown.status == .unauthorized && unknown.errorMessage == wrong.errorMessage)
            _ = try await app.api(.POST, "/api/v1/auth/token", body: ["login": "marie.laurent", "password": "encore-faux"])
            _ = try await app.api(.POST, "/api/v1/auth/token", body: ["login": "marie.laurent", "password": "toujours-faux"])
            // The right password is refused too while the login is locked out.
            let locked = try await app.api(.POST, "/api/v1/auth/token", body: ["login": "marie.laurent", "password": DemoData.password])
            #expect(locked.status == .tooManyRequests)
            #expect(locked.errorCode == "too_many_attempts")
            #expect(try await TokenModel.query(on: app.db).count() == 0)
            #expect(try await app.api(.POST, "/api/v1/auth/token", body: ["login": 12]).status == .badRequest)
        }
    }
}

@Suite("Throttle")
struct LoginThrottleTests {
    @Test(arguments: TestDatabase.available)
    func windowSlides(_ db: TestDatabase) async throws {
        try await withApp(db, demo: false) { app in
            let t = LoginThrottle(db: app.db, perAccount: 2, perAddress: 100, window: 60)
            let start = Date(timeIntervalSince1970: 1_000_000)
            // Two failures (reserved, never confirmed), 10 s apart.
            _ = try await t.reserve(login: "a", address: "10.0.0.1", now: start)
            _ = try await t.reserve(login: "a", address: "10.0.0.1", now: start.addingTimeInterval(10))
            await #expect(throws: SecoursError.self) { try await t.reserve(login: "a", address: "10.0.0.1", now: start.addingTimeInterval(20)) }
            _ = try await t.reserve(login: "b", address: "10.0.0.1", now: start.addingTimeInterval(20))
            // After the first failure leaves the window, one more attempt is allowed.
            let r = try await t.reserve(login: "a", address: "10.0.0.1", now: start.addingTimeInterval(61))
            // A success forgets the account's failures.
            try await t.succeeded(r)
            _ = try await t.reserve(login: "a", address: "10.0.0.1", now: start.addingTimeInterval(62))
            // The periodic round forgets attempts past the window.
            try await LoginThrottle.purge(on: app.db, before: start.addingTimeInterval(200))
            #expect(try await (app.db as! SQLDatabase).raw("SELECT COUNT(*) AS n FROM login_attempts").first()!.decode(column: "n", as: Int.self) == 0)
        }
    }
}

@Suite("API tokens: revocation and expiry")
struct TokenLifetimeTests {
    @Test(arguments: TestDatabase.available)
    func aRevokedTokenNoLongerOpensAnything(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let first = try await app.token("marie.laurent")
            let second = try await app.token("marie.laurent")
            #expect(try await app.api(.GET, "/api/v1/excise-numbers", token: first).status == .ok)
            #expect(try await app.api(.DELETE, "/api/v1/auth/token", token: first).status == .noContent)
            #expect(try await app.api(.GET, "/api/v1/excise-numbers", token: first).status == .unauthorized)
            #expect(try await app.api(.DELETE, "/api/v1/auth/token", token: first).status == .unauthorized)
            // Only that token: the other one still works.
            #expect(try await app.api(.GET, "/api/v1/excise-numbers", token: second).status == .ok)
            #expect(try await app.api(.DELETE, "/api/v1/auth/token").status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.available)
    func expiredTokensArePurged(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let token = try await app.token("marie.laurent")
            let before = try await TokenModel.query(on: app.db).count()
            #expect(try await TokenStore(db: app.db).purgeExpired(now: Date()) == 0)
            #expect(try await TokenStore(db: app.db).purgeExpired(now: Date().addingTimeInterval(13 * 3600)) == before)
            #expect(try await TokenModel.query(on: app.db).count() == 0)
            #expect(try await app.api(.GET, "/api/v1/excise-numbers", token: token).status == .unauthorized)
        }
    }
}
