import Foundation
import Testing
import VaporTesting
@testable import SecoursServer

@Suite("OpenAPI document (R-API-1)")
struct OpenAPITests {
    /// The served document lists exactly the routes the API answers, method by method.
    @Test func matchesTheRoutes() async throws {
        try await withApp(.sqlite, demo: false) { app in
            let r = try await app.api(.GET, "/api/v1/openapi.json")
            #expect(r.status == .ok)
            let paths = try #require(r.object["paths"] as? [String: [String: Any]])
            var documented: Set<String> = []
            for (path, ops) in paths { for method in ops.keys { documented.insert("\(method.uppercased()) \(path)") } }
            var served: Set<String> = []
            for route in app.routes.all {
                let parts = route.path.map { component -> String in
                    switch component {
                    case let .constant(s): return s
                    case let .parameter(p): return "{\(p)}"
                    default: return "*"
                    }
                }
                let path = "/" + parts.joined(separator: "/")
                if path.hasPrefix("/api/v1/") { served.insert("\(route.method.rawValue) \(path)") }
            }
            #expect(documented == served, "only documented: \(documented.subtracting(served)), only served: \(served.subtracting(documented))")
        }
    }

    /// An API address asked with a method it does not have answers 405 with the methods it has;
    /// an address that does not exist stays a 404.
    @Test func otherMethodsAnswer405() async throws {
        try await withApp(.sqlite, demo: false) { app in
            let patch = try await app.api(.PATCH, "/api/v1/documents")
            #expect(patch.status == .methodNotAllowed && patch.errorCode == "method_not_allowed")
            #expect(patch.headers.first(name: .allow) == "GET, POST")
            let put = try await app.api(.PUT, "/api/v1/episodes/0b5c1ab0-7b43-4a54-9a2e-3e5f7d1f1c11/end")
            #expect(put.status == .methodNotAllowed && put.headers.first(name: .allow) == "POST")
            #expect(try await app.api(.GET, "/api/v1/nowhere").status == .notFound)
        }
    }

    /// A JSON field is given with a value of its type or left out: `null` is a wrong type (400),
    /// as the document says, and changes nothing.
    @Test func nullIsNotAValue() async throws {
        try await withApp(.sqlite) { app in
            let cid = try await app.token("cid.admin")
            let r = try await app.api(.POST, "/api/v1/alerts", token: cid, body: #"{"level": "red", "services": ["GAMMA"], "modes": ["DTI"], "title": "t", "description": "d", "startedAt": null}"#)
            #expect(r.status == .badRequest && r.errorFields == ["startedAt"], "\(r.text)")
            let registrations = try await app.api(.OPTIONS, "/api/v1/documents/registrations", token: cid)
            #expect(registrations.status == .methodNotAllowed && registrations.headers.first(name: .allow) == "POST")
        }
    }
}
