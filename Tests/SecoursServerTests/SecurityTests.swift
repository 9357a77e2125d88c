import Fluent
import Foundation
import SecoursCore
import SQLKit
import Testing
import VaporTesting
@testable import SecoursServer

/// R-NF-3: sign-in throttling that holds under parallel requests and across processes, hashes
/// where every byte counts, a password policy beyond length, personal answers never cached.
@Suite("Security: sign-in and caching")
struct SecurityTests {
    static func wrong(_ i: Int) -> [String: any Sendable] { ["login": "marie.laurent", "password": "faux-mot-de-passe-\(i)"] }

    @Test(arguments: TestDatabase.available)
    func parallelWrongPasswordsAreCappedAtTheLimit(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            try await withLiveServer(app) { server in
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for i in 0..<40 { group.addTask { try await server.send(.POST, "/api/v1/auth/token", json: Self.wrong(i)).status } }
                    var all: [Int] = []
                    for try await s in group { all.append(s) }
                    return all
                }
                let evaluated = statuses.filter { $0 == 401 }.count
                #expect(evaluated <= 5, "\(evaluated) passwords checked: \(statuses.sorted())")
                // The others were refused before their password was read: 429, or 503 with
                // Retry-After when the machine was too loaded to answer in time.
                #expect(statuses.allSatisfy { [401, 429, 503].contains($0) }, "\(statuses.sorted())")
                // Refused attempts took their reservation back: what remains to the limit is
                // exactly what was not evaluated, and then the right password is refused too.
                // (A 503 is a refusal before anything is counted, when the loaded machine makes a
                // request wait too long: asked again, as a client told `Retry-After` would.)
                func answered(_ body: [String: any Sendable]) async throws -> Int {
                    for _ in 0..<10 {
                        let status = try await server.send(.POST, "/api/v1/auth/token", json: body).status
                        guard status == 503 else { return status }
                        try await Task.sleep(for: .seconds(1))
                    }
                    return 503
                }
                for i in evaluated..<5 {
                    #expect(try await answered(Self.wrong(100 + i)) == 401)
                }
                #expect(try await answered(Self.wrong(200)) == 429)
                #expect(try await answered(["login": "marie.laurent", "password": DemoData.password]) == 429)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func twoProcessesShareTheCount(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            try await withSecondInstance(of: app) { other in
                try await withLiveServer(app) { a in
                    try await withLiveServer(other) { b in
                        var statuses: [Int] = []
                        for i in 0..<6 { statuses.append(try await a.send(.POST, "/api/v1/auth/token", json: Self.wrong(i)).status) }
                        for i in 6..<12 { statuses.append(try await b.send(.POST, "/api/v1/auth/token", json: Self.wrong(i)).status) }
                        #expect(statuses == [401, 401, 401, 401, 401] + Array(repeating: 429, count: 7), "\(statuses)")
                    }
                }
            }
        }
    }

    /// An office behind one address is not locked out by its colleagues' typos; the address has
    /// its own, higher limit.
    @Test(arguments: TestDatabase.available)
    func oneAddressDoesNotLockAColleagueOut(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.loginMaxFailuresPerAddress = 12 }) { app in
            try await withLiveServer(app) { server in
                for login in ["paul.martin", "sophie.durand"] {
                    for i in 0..<5 {
                        #expect(try await server.send(.POST, "/api/v1/auth/token", json: ["login": login, "password": "faux-\(i)-mot-de-passe"]).status == 401)
                    }
                }
                let marie = try await server.send(.POST, "/api/v1/auth/token", json: ["login": "marie.laurent", "password": DemoData.password])
                #expect(marie.status == 200, "\(marie.text)")
                // 10 failures and one success from this address: the 11th and 12th failures are still checked, the 13th reaches the address limit.
                #expect(try await server.send(.POST, "/api/v1/auth/token", json: ["login": "edi.transvin", "password": "faux-faux-faux"]).status == 401)
                #expect(try await server.send(.POST, "/api/v1/auth/token", json: ["login": "edi.transvin", "password": "faux-faux-faux"]).status == 401)
                #expect(try await server.send(.POST, "/api/v1/auth/token", json: ["login": "agent.bordeaux", "password": "faux-faux-faux"]).status == 429)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func everyByteOfAPasswordCounts(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let cid = try await app.token("cid.admin")
            let company = try #require(try await CompanyModel.query(on: app.db).first()?.id?.uuidString)
            // 48 characters, 88 bytes in UTF-8: past bcrypt's 72.
            let password = String(repeating: "éàèùâêîôûç", count: 4) + "Vendange"
            #expect(password.count == 48 && password.utf8.count == 88)
            let made = try await app.api(.POST, "/api/v1/users", token: cid,
                                         body: ["login": "jean.dupont", "email": "j@d.fr", "password": password, "role": "operator", "companyId": company])
            #expect(made.status == .created, "\(made.text)")
            let changed = String(password.dropLast(12)) + "ABCDEFGHIJKL"
            #expect(try await app.api(.POST, "/api/v1/auth/token", body: ["login": "jean.dupont", "password": changed]).status == .unauthorized)
            #expect(try await app.api(.POST, "/api/v1/auth/token", body: ["login": "jean.dupont", "password": password]).status == .ok)
            let stored = try #require(try await UserModel.query(on: app.db).filter(\.$login == "jean.dupont").first()).passwordHash
            #expect(stored.hasPrefix("sha256$"))

            // A hash made the old way (plain bcrypt) still opens, and is rewritten on sign-in.
            let paul = try #require(try await UserModel.query(on: app.db).filter(\.$login == "paul.martin").first())
            paul.passwordHash = try Bcrypt.hash(DemoData.password, cost: 4)
            try await paul.save(on: app.db)
            #expect(try await app.api(.POST, "/api/v1/auth/token", body: ["login": "paul.martin", "password": DemoData.password]).status == .ok)
            #expect(try await UserModel.query(on: app.db).filter(\.$login == "paul.martin").first()?.passwordHash.hasPrefix("sha256$") == true)
            #expect(try await app.api(.POST, "/api/v1/auth/token", body: ["login": "paul.martin", "password": DemoData.password]).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.available)
    func weakPasswordsAreRefusedWithTheReason(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let cid = try await app.token("cid.admin")
            let company = try #require(try await CompanyModel.query(on: app.db).first()?.id?.uuidString)
            let cases: [(String, String)] = [
                ("0000000000", "un seul caractère"), ("password12", "plus courants"), ("          ", "un seul caractère"),
                ("jean.dupont2026", "identifiant"), ("Dupont-de-Bordeaux", "identifiant"), ("1234567890", "plus courants"),
                ("abababababab", "quatre caractères différents"), ("MotDePasse123", "plus courants"), ("court", "de 10 à 256"),
            ]
            for (password, why) in cases {
                let before = try await UserModel.query(on: app.db).count()
                let r = try await app.api(.POST, "/api/v1/users", token: cid,
                                          body: ["login": "jean.dupont", "email": "j@d.fr", "password": password, "role": "operator", "companyId": company])
                #expect(r.status == .unprocessableEntity && r.errorFields == ["password"], "\(password): \(r.text)")
                #expect(r.errorMessage?.contains(why) == true, "\(password): \(r.errorMessage ?? "")")
                #expect(try await UserModel.query(on: app.db).count() == before)
            }
            let fine = try await app.api(.POST, "/api/v1/users", token: cid,
                                         body: ["login": "jean.dupont", "email": "j@d.fr", "password": "cuve inox sous le chai", "role": "operator", "companyId": company])
            #expect(fine.status == .created, "\(fine.text)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func signedInPagesAreNeverCached(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            for login in ["marie.laurent", "agent.bordeaux", "cid.admin"] {
                let web = WebSession(app)
                _ = try await web.signIn(login)
                for path in ["/accueil", "/rechercher?transport=starts:AB", "/episodes", "/drm", "/suivre", "/generer", "/enregistrer",
                             "/bureau", "/communiquer", "/assistance", "/importer", "/meteo", "/diagnostic"] {
                    let page = try await web.get(path)
                    guard page.status == .ok else { continue }
                    #expect(page.headers.first(name: .cacheControl) == "no-store", "\(login) \(path): \(page.headers.first(name: .cacheControl) ?? "none")")
                }
            }
        }
    }
}
