import Fluent
import Foundation
import SecoursCore
import Testing
import VaporTesting
@testable import SecoursServer

@Suite("Search, follow and CSV export (R-GPS-7/8)")
struct SearchTests {
    /// Generates a small, varied set: three DAE and two DSA on FR007328E0001, one on FR007328E0002,
    /// and one for the other company; one DAE cancelled.
    func fixture(_ app: Application) async throws -> (marie: String, numbers: [String]) {
        let marie = try await app.token("marie.laurent")
        var numbers: [String] = []
        for (type, excise, transport, date) in [("DAE", "FR007328E0001", "AB-123-CD", "2026-11-23"), ("DAE", "FR007328E0001", "XY_999%ZZ", "2026-11-25"),
                                                ("DSA", "FR007328E0001", "AB-777-CD", "2026-11-24"), ("DAE", "FR007328E0001", "PENICHE", "2026-12-01"),
                                                ("DSA", "FR007328E0001", "ab-555-ef", "2026-11-23"), ("DAE", "FR007328E0002", "AB-123-CD", "2026-11-23")] {
            numbers.append(try #require(try await app.generate(marie, type: type, excise: excise, transport: transport, date: date).object["number"] as? String))
        }
        _ = try await app.generate(try await app.token("sophie.durand"), excise: "FR009990F0005", transport: "AB-123-CD")
        _ = try await app.api(.POST, "/api/v1/documents/\(numbers[0])/cancellation", token: marie, body: ["reason": "document-error"])
        return (marie, numbers)
    }

    func search(_ app: Application, _ token: String, _ query: String) async throws -> APIResponse {
        try await app.api(.GET, "/api/v1/documents?" + query, token: token)
    }

    func numbers(_ r: APIResponse) -> [String] { (r.object["items"] as? [[String: Any]] ?? []).compactMap { $0["number"] as? String } }

    @Test(arguments: TestDatabase.available)
    func everyComparator(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let (marie, n) = try await fixture(app)
            func count(_ q: String) async throws -> Int {
                let r = try await search(app, marie, q)
                #expect(r.status == .ok, "\(q): \(r.text)")
                return r.object["total"] as? Int ?? -1
            }
            #expect(try await count("") == 6)
            #expect(try await count("number=eq:\(n[2])") == 1)
            #expect(try await count("number=starts:26FR007328E0002") == 1)
            #expect(try await count("number=ends:\(n[3].suffix(6))") == 1)
            #expect(try await count("number=contains:007328E000100") == 5)
            #expect(try await count("exciseNumber=eq:FR007328E0001") == 5)
            #expect(try await count("exciseNumber=starts:FR0073") == 6)
            #expect(try await count("exciseNumber=ends:0002") == 1)
            #expect(try await count("exciseNumber=contains:328E") == 6)
            #expect(try await count("transport=eq:peniche") == 1)
            #expect(try await count("transport=starts:AB-") == 4)
            #expect(try await count("transport=ends:-CD") == 3)
            #expect(try await count("transport=contains:555") == 1)
            // Wildcards typed by the user are plain characters.
            #expect(try await count("transport=contains:_999%25") == 1)
            #expect(try await count("transport=contains:%25") == 1)
            #expect(try await count("dispatchDate=eq:2026-11-23") == 3)
            #expect(try await count("dispatchDate=before:2026-11-24") == 3)
            #expect(try await count("dispatchDate=after:24/11/2026") == 2)
            #expect(try await count("registrationDate=eq:2026-11-22") == 6)
            #expect(try await count("registrationDate=before:2026-11-22") == 0)
            #expect(try await count("registrationDate=after:2026-11-21") == 6)
            #expect(try await count("status=eq:cancelled") == 1)
            #expect(try await count("status=active") == 5)
            #expect(try await count("actorType=eq:operator") == 6)
            #expect(try await count("type=eq:DSA") == 2)
            #expect(try await count("type=DAA") == 4)
            #expect(try await count("registrationMode=eq:normal") == 6)
            #expect(try await count("registrationMode=eq:a-posteriori") == 0)
            #expect(try await count("cancellationReason=eq:document-error") == 1)
            #expect(try await count("reactivationReason=eq:other") == 0)
            // Criteria combine.
            #expect(try await count("type=eq:DAE&exciseNumber=eq:FR007328E0001&dispatchDate=after:2026-11-23&dispatchDate=before:2026-12-02") == 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func sortingPagingAndScope(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let (marie, n) = try await fixture(app)
            let page1 = try await search(app, marie, "sort=dispatchDate&perPage=4&page=1")
            let page2 = try await search(app, marie, "sort=dispatchDate&perPage=4&page=2")
            #expect(page1.object["total"] as? Int == 6 && numbers(page1).count == 4 && numbers(page2).count == 2)
            #expect(Set(numbers(page1)).isDisjoint(with: numbers(page2)))
            let dates = (page1.object["items"] as! [[String: Any]]).compactMap { $0["dispatchDate"] as? String }
            #expect(dates == dates.sorted())
            let byNumber = numbers(try await search(app, marie, "sort=-number&perPage=500"))
            #expect(byNumber == byNumber.sorted(by: >))
            // paul sees only DAE of FR007328E0001; sophie only her own; the officer all three excise numbers.
            let paul = numbers(try await search(app, try await app.token("paul.martin"), "perPage=500"))
            #expect(Set(paul) == Set([n[0], n[1], n[3]]))
            let sophie = try await search(app, try await app.token("sophie.durand"), "exciseNumber=starts:FR")
            #expect(sophie.object["total"] as? Int == 1 && !numbers(sophie).contains(where: { $0.contains("FR007328") }))
            #expect(try await search(app, try await app.token("agent.bordeaux"), "").object["total"] as? Int == 7)
            // Follow one excise number: newest first.
            let follow = try await app.api(.GET, "/api/v1/excise-numbers/FR007328E0001/documents?perPage=2", token: marie)
            #expect(follow.object["total"] as? Int == 5 && numbers(follow).count == 2)
            #expect(try await app.api(.GET, "/api/v1/excise-numbers/FR007328E0001/documents", token: try await app.token("sophie.durand")).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func badCriteriaAreRefused(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            for (q, field) in [("status=eq:lost", "status"), ("status=contains:act", "status"), ("dispatchDate=starts:2026", "dispatchDate"),
                               ("dispatchDate=after:2026-13-01", "dispatchDate"), ("colour=eq:red", "colour"), ("sort=price", "sort"),
                               ("perPage=501", "perPage"), ("page=0", "page"), ("number=eq:26FR'--", "number")] {
                let r = try await search(app, marie, q)
                #expect(r.status == .unprocessableEntity, "\(q)")
                #expect(r.errorFields == [field], "\(q): \(r.text)")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func csvExport(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let (marie, n) = try await fixture(app)
            let r = try await search(app, marie, "format=csv&type=DSA")
            #expect(r.status == .ok)
            #expect(r.headers.contentType?.subType == "csv")
            let lines = r.text.split(separator: "\r\n")
            #expect(lines.count == 3)
            #expect(lines[0].hasPrefix("\u{FEFF}number;type;exciseNumber"))
            #expect(lines.dropFirst().allSatisfy { $0.contains("\"DSA\"") })
            #expect(r.text.contains("\"\(n[2])\""))
            let accept = try await app.api(.GET, "/api/v1/documents?type=DSA", token: marie, headers: [("Accept", "text/csv")])
            #expect(accept.text == r.text)
            #expect(DocumentCSV.quote("=1+1") == "\"'=1+1\"" && DocumentCSV.quote("a\"b") == "\"a\"\"b\"")
        }
    }
}

@Suite("Search on a large table")
struct LargeSearchTests {
    @Test(arguments: TestDatabase.available)
    func countStopsPastTheLimit(_ db: TestDatabase) async throws {
        try await withApp(db, demo: false, configure: { $0.bootstrapAdmin = ("admin", "mot-de-passe-admin") }) { app in
            // setup: the benchmark's own filler, just past the counting limit
            try await BenchmarkFill(app: app).run(documents: DocumentSearch.countLimit + 40, exciseCount: 20, password: "mot-de-passe-bench")
            let cid = try await app.token("admin", password: "mot-de-passe-admin")
            // act + check
            let all = try await app.api(.GET, "/api/v1/documents?perPage=10", token: cid)
            #expect(all.object["total"] as? Int == DocumentSearch.countLimit && all.object["totalCapped"] as? Bool == true)
            #expect((all.object["items"] as? [Any])?.count == 10)
            let narrow = try await app.api(.GET, "/api/v1/documents?status=eq:cancelled&type=eq:DSA", token: cid)
            #expect(narrow.object["totalCapped"] as? Bool == false)
            #expect((narrow.object["total"] as? Int ?? 0) > 0)
            // The operator sees its two excise numbers only.
            let op = try await app.token("bench.operator", password: "mot-de-passe-bench")
            let mine = try await app.api(.GET, "/api/v1/documents", token: op)
            #expect(mine.object["total"] as? Int == 2 * ((DocumentSearch.countLimit + 40) / 20))
        }
    }
}
