import Foundation
import Testing
import VaporTesting
@testable import SecoursServer

/// Every `Location` the API answers with points at something that exists: followed with the
/// same token, it gives back what was just created.
@Suite("Location headers")
struct LocationTests {
    @Test(arguments: TestDatabase.available)
    func everyLocationIsFollowed(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let cid = try await app.token("cid.admin")
            // (what, token, method, path, body, the field that names it)
            let creations: [(String, String, String, [String: Any], String)] = [
                ("generation", marie, "/api/v1/documents",
                 ["type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-123-CD", "dispatchDate": "2026-11-23", "dispatchTime": "08:30"], "number"),
                ("registration", marie, "/api/v1/documents/registrations",
                 ["number": "26FR007328E0001000051", "type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-1",
                  "dispatchDate": "2026-11-21", "dispatchTime": "09:00"], "number"),
                ("episode", marie, "/api/v1/episodes",
                 ["exciseNumber": "FR007328E0002", "basis": "office-authorisation", "reason": "Plus de connexion Internet."], "id"),
                ("assistance request", marie, "/api/v1/assistance-requests",
                 ["exciseNumber": "FR007328E0001", "eori": "FR73282932000074", "companyName": "Château Les Graves", "address": "1 route des Graves",
                  "phone": "05 56 00 00 00", "service": "DELTA-G", "switchDate": "2026-11-22", "switchTime": "09:50", "reasons": "Écran blanc."], "id"),
                ("alert", cid, "/api/v1/alerts",
                 ["level": "red", "services": ["GAMMA"], "modes": ["DTI"], "title": "Panne GAMMA", "description": "GAMMA ne répond plus."], "reference"),
            ]
            for (what, token, path, body, key) in creations {
                let created = try await app.api(.POST, path, token: token, body: body)
                #expect(created.status == .created, "\(what): \(created.text)")
                let location = try #require(created.headers.first(name: .location), "\(what): no Location")
                let identity = try #require(created.object[key] as? String, "\(what): \(created.text)")
                let followed = try await app.api(.GET, location, token: token)
                #expect(followed.status == .ok, "\(what): GET \(location) answered \(followed.status) \(followed.text)")
                #expect(followed.object[key] as? String == identity, "\(what): \(location) gives \(followed.text)")
            }
        }
    }
}
