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
}
