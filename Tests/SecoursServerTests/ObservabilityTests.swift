import Fluent
import Foundation
import Logging
import NIOConcurrencyHelpers
import SecoursCore
import Testing
import VaporTesting
@testable import SecoursServer

/// The lines the application wrote, for tests that read them.
final class LogCollector: Sendable {
    private let lines = NIOLockedValueBox<[String]>([])

    var output: LogOutput { LogOutput { [self] line in lines.withLockedValue { $0.append(line) } } }
    var all: [String] { lines.withLockedValue { $0 } }

    /// The JSON objects of the lines that are the request line of `requestID`.
    func requestLines(_ requestID: String) -> [[String: Any]] {
        all.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["msg"] as? String == "request" && $0["request-id"] as? String == requestID }
    }
}

/// R-NF-5: metrics in the Prometheus format for the holder of a token only, and one structured
/// log line per request with its request id, route template, status, duration, account and, for
/// a refusal (R-ACC-4), its reason.
@Suite("Observability: metrics and logs")
struct ObservabilityTests {
    static let metricsToken = "jeton-des-metriques-0123456789"

    @Test func metricsDoNotExistWithoutTheirSetting() async throws {
        try await withApp(.sqlite) { app in
            let r = try await app.api(.GET, "/metrics", token: Self.metricsToken)
            #expect(r.status == .notFound)
            #expect(!r.text.contains("secours_http_requests_total"))
        }
    }

    /// The value of one sample of the exposition, or nil when it is absent.
    static func sample(_ text: String, _ name: String, _ labels: String = "") -> Double? {
        let prefix = labels.isEmpty ? name + " " : name + "{" + labels + "} "
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return nil }
        return Double(line.dropFirst(prefix.count))
    }

    @Test("The access cache's hits, misses and emptyings are on /metrics", arguments: TestDatabase.available)
    func accessCacheFigures(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.metricsToken = Self.metricsToken }) { app in
            let marie = try await app.token("marie.laurent")
            let follow = "/api/v1/excise-numbers/FR007328E0001/documents"
            #expect(try await app.api(.GET, follow, token: marie).status == .ok)
            let before = try await app.api(.GET, "/metrics", token: Self.metricsToken).text
            // Each of these reads its token and its rights from the cache: two hits each.
            for _ in 0..<4 { #expect(try await app.api(.GET, follow, token: marie).status == .ok) }
            let after = try await app.api(.GET, "/metrics", token: Self.metricsToken).text
            let hits = { (t: String) in Self.sample(t, "secours_access_cache_lookups_total", #"result="hit""#) ?? -1 }
            #expect(hits(after) - hits(before) == 8)
            #expect((Self.sample(after, "secours_access_cache_entries") ?? 0) >= 2)
            // A revocation through the service empties it.
            let emptied = { (t: String) in Self.sample(t, "secours_access_cache_emptied_total") ?? -1 }
            #expect(try await app.api(.DELETE, "/api/v1/auth/token", token: marie).status == .noContent)
            let revoked = try await app.api(.GET, "/metrics", token: Self.metricsToken).text
            #expect(emptied(revoked) - emptied(after) == 1)
            #expect(Self.sample(revoked, "secours_access_cache_entries") == 0)
        }
    }

    @Test(arguments: TestDatabase.available)
    func metricsCountWhatHappensForTheTokenHolderOnly(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.metricsToken = Self.metricsToken }) { app in
            // Refused without the token, or with another one (even the bearer token of a CID account).
            let cid = try await app.token("cid.admin")
            for token in [nil, "autre-jeton-0123456789012345", cid] {
                let r = try await app.api(.GET, "/metrics", token: token)
                #expect(r.status == .unauthorized)
                #expect(!r.text.contains("secours_"))
            }
            let marie = try await app.token("marie.laurent")
            #expect(try await app.generate(marie).status == .created)
            #expect(try await app.generate(marie, type: "DSA").status == .created)
            #expect(try await app.generate(marie).status == .created)
            #expect(try await app.api(.POST, "/api/v1/auth/token", body: ["login": "marie.laurent", "password": "pas-le-bon-mot"]).status == .unauthorized)
            #expect(try await app.api(.POST, "/api/v1/auth/token", body: ["login": "personne", "password": "pas-le-bon-mot"]).status == .unauthorized)
            #expect(try await app.api(.GET, "/api/v1/documents/26FR007328E00010000145", token: marie).status == .notFound)

            let r = try await app.api(.GET, "/metrics", token: Self.metricsToken)
            #expect(r.status == .ok)
            #expect(r.headers.first(name: .contentType)?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = r.text
            #expect(Self.sample(text, "secours_documents_created_total", #"type="DAE",mode="normal",source="generation""#) == 2)
            #expect(Self.sample(text, "secours_documents_created_total", #"type="DSA",mode="normal",source="generation""#) == 1)
            #expect(Self.sample(text, "secours_http_requests_total", #"method="POST",route="/api/v1/documents",status="201""#) == 3)
            // Route templates, never the values of a path.
            #expect(Self.sample(text, "secours_http_requests_total", #"method="GET",route="/api/v1/documents/:number",status="404""#) == 1)
            #expect(!text.contains("26FR007328E00010000145"))
            #expect(Self.sample(text, "secours_http_request_duration_seconds_count", #"method="POST",route="/api/v1/documents""#) == 3)
            #expect(Self.sample(text, "secours_login_refusals_total", #"cause="wrong_password""#) == 1)
            #expect(Self.sample(text, "secours_login_refusals_total", #"cause="unknown_login""#) == 1)
            // The demo data opens one alert, and episodes that the gauges count as the database does.
            #expect(Self.sample(text, "secours_alerts_current") == 1)
            for status in EpisodeStatus.allCases {
                let n = try await EpisodeModel.query(on: app.db).filter(\.$status == status).count()
                #expect(Self.sample(text, "secours_episodes", "status=\"\(status.rawValue)\"") == Double(n), "\(status.rawValue)")
            }
            #expect(Self.sample(text, "secours_database_pool_size").map { $0 >= 1 } == true)
            #expect(Self.sample(text, "secours_process_open_fds").map { $0 > 0 } == true)
            if db == .postgres {
                #expect(text.contains("secours_database_connections{state="))
            }

            // State gauges follow the database: the alert ended, the gauge says so at the next scrape.
            try await app.endDemoAlert()
            let after = try await app.api(.GET, "/metrics", token: Self.metricsToken).text
            #expect(Self.sample(after, "secours_alerts_current") == 0)
        }
    }

    @Test func importsAreCounted() async throws {
        try await withApp(.sqlite, configure: { $0.metricsToken = Self.metricsToken }) { app in
            let marie = try await app.token("marie.laurent")
            let xml = ImportTests.file([ImportTests.entry("26FR007328E0002000141"), ImportTests.entry("26FR007328E0002000152", excise: "FR000000E9999")])
            #expect(try await app.api(.POST, "/api/v1/imports", token: marie, body: xml, headers: [("Content-Type", "application/xml")]).status == .ok)
            #expect(try await app.api(.POST, "/api/v1/imports", token: marie, body: "<pas du xml", headers: [("Content-Type", "application/xml")]).status != .ok)
            let text = try await app.api(.GET, "/metrics", token: Self.metricsToken).text
            #expect(Self.sample(text, "secours_imports_total", #"outcome="done""#) == 1)
            #expect(Self.sample(text, "secours_imports_total", #"outcome="refused""#) == 1)
            let entries = ["accepted", "refused", "already-registered"].compactMap { Self.sample(text, "secours_import_entries_total", "result=\"\($0)\"") }
            #expect(entries.reduce(0, +) == 2, "\(text)")
            #expect(Self.sample(text, "secours_import_entries_total", #"result="accepted""#) == 1)
            #expect(Self.sample(text, "secours_documents_created_total", #"type="DAE",mode="a-posteriori",source="import""#) == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func oneJSONLinePerRequestWithItsIdAndNoSecret(_ db: TestDatabase) async throws {
        let logs = LogCollector()
        try await withApp(db, configure: {
            $0.logFormat = .json
            $0.logOutput = logs.output
            $0.logLevel = "info"
        }) { app in
            let marie = try await app.token("marie.laurent")
            let generated = try await app.api(.POST, "/api/v1/documents", token: marie,
                                              body: ["type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-123-CD",
                                                     "dispatchDate": "2026-11-23", "dispatchTime": "08:30"],
                                              headers: [("X-Request-Id", "essai-journal-1")])
            #expect(generated.status == .created)
            #expect(generated.headers.first(name: "X-Request-Id") == "essai-journal-1")
            let number = try #require(generated.object["number"] as? String)
            let lines = logs.requestLines("essai-journal-1")
            #expect(lines.count == 1, "\(logs.all)")
            let line = try #require(lines.first)
            #expect(line["route"] as? String == "/api/v1/documents")
            #expect(line["method"] as? String == "POST")
            #expect(line["status"] as? Int == 201)
            #expect(line["duration_ms"] is Double || line["duration_ms"] is Int)
            #expect(line["level"] as? String == "info")
            let marieID = try await UserModel.query(on: app.db).filter(\.$login == "marie.laurent").first()?.id?.uuidString.lowercased()
            #expect(line["account"] as? String == marieID)

            // A second company's operator asks for that document: refused, and the line says why.
            let sophie = try await app.token("sophie.durand")
            let refused = try await app.api(.GET, "/api/v1/documents/\(number)", token: sophie, headers: [("X-Request-Id", "essai-journal-2")])
            #expect(refused.status == .notFound)
            let refusal = try #require(logs.requestLines("essai-journal-2").first)
            #expect(refusal["level"] as? String == "notice")
            #expect(refusal["route"] as? String == "/api/v1/documents/:number")
            #expect(refusal["refusal"] as? String == refused.errorCode)
            #expect((refusal["reason"] as? String)?.isEmpty == false)

            // A wrong password: the line says so, without the password.
            _ = try await app.api(.POST, "/api/v1/auth/token", body: ["login": "paul.martin", "password": "mot-de-passe-essaye-42"],
                                  headers: [("X-Request-Id", "essai-journal-3")])
            let failed = try #require(logs.requestLines("essai-journal-3").first)
            #expect(failed["refusal"] as? String == "invalid_credentials")
            #expect((failed["reason"] as? String)?.contains("paul.martin") == true)

            // Every line is one JSON object; no password, bearer token or session cookie in any.
            let all = logs.all
            #expect(!all.isEmpty)
            for text in all {
                #expect(text.hasSuffix("\n") && text.dropLast().firstIndex(of: "\n") == nil)
                #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8))) is [String: Any], "\(text)")
                #expect(!text.contains(marie) && !text.contains(sophie))
                #expect(!text.contains(DemoData.password) && !text.contains("mot-de-passe-essaye-42"))
            }
        }
    }

    @Test func aRequestIdFromOutsideIsShortAndPlain() async throws {
        let logs = LogCollector()
        try await withApp(.sqlite, configure: { $0.logOutput = logs.output; $0.logLevel = "info" }) { app in
            let fine = try await app.api(.GET, "/health", headers: [("X-Request-Id", "proxy-7f3a.2:1_b")])
            #expect(fine.status == .ok && fine.headers.first(name: "X-Request-Id") == "proxy-7f3a.2:1_b")
            let before = logs.all.count
            for bad in [String(repeating: "a", count: 129), "a b", "x\"y", "journal=faux"] {
                let r = try await app.api(.GET, "/api/v1/alerts", headers: [("X-Request-Id", bad)])
                #expect(r.status == .badRequest, "\(bad)")
                #expect(r.errorCode == "bad_request")
                #expect(r.headers.first(name: "X-Request-Id") != bad)
            }
            // Refused, and logged without the bad value.
            #expect(logs.all.count > before)
            #expect(!logs.all.joined().contains("journal=faux"))
        }
    }

    @Test func formatsEscapeWhatCouldBreakALine() throws {
        let metadata: Logger.Metadata = ["route": "/a b", "n": .stringConvertible(3), "note": "ligne 1\nligne 2 \"citée\"\u{1B}"]
        let time = Date(timeIntervalSince1970: 1_764_633_600.25)
        let json = SecoursLogHandler.line(time: time, level: .notice, message: "refus\nforgé", label: "secours", metadata: metadata, format: .json)
        #expect(json.filter { $0 == "\n" }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["msg"] as? String == "refus\nforgé")
        #expect(object["note"] as? String == "ligne 1\nligne 2 \"citée\"\u{1B}")
        #expect(object["n"] as? Int == 3)
        #expect(object["time"] as? String == "2025-12-02T00:00:00.250Z")
        let logfmt = SecoursLogHandler.line(time: time, level: .info, message: "request", label: "secours", metadata: metadata, format: .logfmt)
        #expect(logfmt == #"time=2025-12-02T00:00:00.250Z level=info msg=request n=3 note="ligne 1\nligne 2 \"citée\"\u001b" route="/a b""# + "\n")
        let text = SecoursLogHandler.line(time: time, level: .info, message: "request", label: "secours", metadata: ["n": .stringConvertible(3)], format: .text)
        #expect(text == "2025-12-02T00:00:00.250Z info request [n=3]\n")
    }
}
