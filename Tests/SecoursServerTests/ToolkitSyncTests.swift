import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import SecoursServer
import SecoursCore

/// The service's side of `secours sync`: the journal pushed (R-API-2) and the devices' leases of
/// numbers (R-NUM-8): renewed in place, given back only when the laptop is retired or its year
/// ends, kept for ever when it is revoked or its journal is seen twice.
@Suite("offline toolkit sync (push, leases)")
struct ToolkitSyncTests {
    let laptopA = ["id": "6f1c1c0e-7a51-4f00-9a51-000000000001", "name": "portable-chai"]
    let laptopB = ["id": "6f1c1c0e-7a51-4f00-9a51-000000000002", "name": "portable-bureau"]

    func lease(_ counter: Int, _ attempt: String? = nil) -> [String: Any] {
        attempt.map { ["counter": counter, "attempt": $0] } ?? ["counter": counter]
    }

    func reserve(_ app: Application, _ token: String, device: [String: String], counter: Int = 0, size: Int = 20,
                 used: [[String: Any]] = [], release: [String] = []) async throws -> APIResponse {
        try await app.api(.POST, "/api/v1/toolkit/reservations", token: token,
                          body: ["device": device, "lease": lease(counter, UUID().uuidString), "size": size, "used": used, "release": release])
    }

    func push(_ app: Application, _ token: String, device: [String: String], counter: Int, entries: [[String: Any]], outages: [[String: Any]] = []) async throws -> APIResponse {
        try await app.api(.POST, "/api/v1/toolkit/push", token: token, body: ["device": device, "lease": lease(counter), "entries": entries, "outages": outages])
    }

    func block(_ r: APIResponse, _ kind: String, _ excise: String = "FR007328E0001") -> [String: Any]? {
        (r.object["open"] as? [[String: Any]])?.first { $0["kind"] as? String == kind && $0["exciseNumber"] as? String == excise }
    }

    func blocks(_ r: APIResponse, _ kind: String, _ excise: String = "FR007328E0001") -> [ClosedRange<Int>] {
        ((r.object["open"] as? [[String: Any]]) ?? []).filter { $0["kind"] as? String == kind && $0["exciseNumber"] as? String == excise }
            .map { ($0["first"] as! Int)...($0["last"] as! Int) }.sorted { $0.lowerBound < $1.lowerBound }
            .reduce(into: [ClosedRange<Int>]()) { out, r in
                if let last = out.last, last.upperBound + 1 == r.lowerBound { out[out.count - 1] = last.lowerBound...r.upperBound } else { out.append(r) }
            }
    }

    func entry(_ number: String, type: String = "DAE", excise: String = "FR007328E0001", date: String = "2026-11-22", time: String = "08:00",
               transport: String = "AB-123-CD", communicatedAt: String? = nil) -> [String: Any] {
        var e: [String: Any] = ["number": number, "type": type, "exciseNumber": excise, "transport": transport, "dispatchDate": date,
                                "dispatchTime": time, "madeAt": "2026-11-22T07:00:00Z"]
        if let communicatedAt { e["communicatedAt"] = communicatedAt }
        return e
    }

    func manual(_ sequence: Int, type: DocumentType = .dae, excise: String = "FR007328E0001", year: Int = 2026) throws -> String {
        try FallbackNumber.manual(year: year, exciseNumber: ExciseNumber(parsing: excise), sequence: sequence, type: type).value
    }

    func sequence(_ r: APIResponse) -> Int? {
        (r.object["number"] as? String).flatMap { try? FallbackNumber(parsing: $0).sequence }
    }

    /// The holes of a sequence: numbers at or below its counter that no document holds and no
    /// open segment of a lease keeps.
    static func holes(_ app: Application, kind: String = "craps", excise: String = "FR007328E0001", year: Int = 2026) async throws -> [Int] {
        let sql = app.db as! any SQLDatabase
        let counterYear = kind == "lrn" ? 0 : year
        let counter = try await sql.raw("SELECT last_used FROM sequences WHERE excise_number = \(bind: excise) AND year = \(bind: counterYear)")
            .first()?.decode(column: "last_used", as: Int.self) ?? 0
        var docs: SQLQueryString = "SELECT sequence FROM documents WHERE kind = \(bind: kind) AND excise_number = \(bind: excise)"
        if kind == "craps" { docs += " AND year = \(bind: year)" }
        let used = Set(try await sql.raw(docs).all().map { try $0.decode(column: "sequence", as: Int.self) })
        let open = try await sql.raw("""
            SELECT "first", "last" FROM reservations WHERE kind = \(bind: kind) AND excise_number = \(bind: excise) AND year = \(bind: counterYear) AND released_at IS NULL
            """).all().map { (try $0.decode(column: "first", as: Int.self))...(try $0.decode(column: "last", as: Int.self)) }
        return counter < 1 ? [] : (1...counter).filter { n in !used.contains(n) && !open.contains { $0.contains(n) } }
    }

    @Test(arguments: TestDatabase.available)
    func syncingSpendsNoNumberAndALeaseIsTheDevicesAlone(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            #expect(try await app.generate(marie).status == .created) // sequence 1
            // act: laptop A syncs thirty times with nothing made
            var counter = 0
            var r = try await reserve(app, marie, device: laptopA, counter: counter)
            for _ in 1..<30 {
                #expect(r.status == .ok, "\(r.text)")
                counter = try #require((r.object["lease"] as? [String: Any])?["counter"] as? Int)
                r = try await reserve(app, marie, device: laptopA, counter: counter)
            }
            // check: one lease, the same numbers, nothing spent, no hole
            #expect((r.object["lease"] as? [String: Any])?["counter"] as? Int == 30)
            #expect(blocks(r, "craps") == [2...21] && block(r, "craps")?["event"] as? String == "reserved")
            #expect(blocks(r, "lrn") == [1...20])
            #expect(try await Self.holes(app).isEmpty)
            #expect(try await Self.holes(app, kind: "lrn").isEmpty)
            // the service generates after the lease; nobody else registers inside it
            let generated = try await app.generate(marie)
            #expect(sequence(generated) == 22, "\(generated.text)")
            let inside = try manual(5)
            let refused = try await app.api(.POST, "/api/v1/documents/registrations", token: marie, body: [
                "number": inside, "type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-123-CD", "dispatchDate": "2026-11-22", "dispatchTime": "08:00"])
            #expect(refused.status == .conflict && refused.errorCode == "sequence_reserved", "\(refused.text)")
            #expect(refused.errorMessage?.contains("portable-chai") == true)
            let b = try await push(app, marie, device: laptopB, counter: 0, entries: [entry(inside)])
            #expect((b.object["entries"] as? [[String: Any]])?.first?["outcome"] as? String == "conflict")

            // act: A made two numbers and an LRN offline, pushes them, then syncs
            let a = try await push(app, marie, device: laptopA, counter: 30, entries: [entry(try manual(2)), entry(try manual(3, type: .dsa), type: "DSA"),
                                                                                    entry("PS261122E00010001")])
            #expect((a.object["entries"] as? [[String: Any]])?.map { $0["outcome"] as? String } == ["registered", "registered", "registered"], "\(a.text)")
            let renewed = try await reserve(app, marie, device: laptopA, counter: 30,
                                            used: [["id": block(r, "craps")!["id"]!, "highest": 3], ["id": block(r, "lrn")!["id"]!, "highest": 1]])
            #expect(renewed.status == .ok, "\(renewed.text)")
            // check: topped up by as many as were used, right after the counter; nothing given back
            #expect(blocks(renewed, "craps") == [2...21, 23...24] && blocks(renewed, "lrn") == [1...21], "\(renewed.text)")
            #expect((renewed.object["open"] as? [[String: Any]])?.contains { $0["event"] as? String == "renewed" && $0["first"] as? Int == 23 } == true)
            #expect((renewed.object["released"] as? [[String: Any]])?.isEmpty == true)
            #expect(try await Self.holes(app).isEmpty)
            #expect(try await Self.holes(app, kind: "lrn").isEmpty)

            // act: the laptop is retired: its lease is given back
            let retired = try await app.api(.POST, "/api/v1/toolkit/retire", token: marie, body: ["device": laptopA, "lease": lease(31)])
            #expect(retired.status == .ok, "\(retired.text)")
            let released = try #require(retired.object["released"] as? [[String: Any]])
            let first = try #require(released.first { $0["kind"] as? String == "craps" && $0["exciseNumber"] as? String == "FR007328E0001" && $0["first"] as? Int == 2 })
            // 22 was generated above 4–21: those stay holes, explained; 23–24 go back to the sequence
            #expect(first["used"] as? Int == 2 && first["unused"] as? String == "4–21" && first["ended"] as? String == "retired", "\(first)")
            #expect(released.first { $0["first"] as? Int == 23 && $0["kind"] as? String == "craps" && $0["exciseNumber"] as? String == "FR007328E0001" }?["returned"] as? Int == 2)
            #expect(try await Self.holes(app) == Array(4...21))
            #expect(sequence(try await app.generate(marie)) == 23)
            // nothing was issued above the LRN lease: it steps back whole, no hole
            #expect(try await Self.holes(app, kind: "lrn").isEmpty)
            #expect(try await (app.db as! any SQLDatabase).raw("SELECT last_used FROM sequences WHERE excise_number = 'FR007328E0001' AND year = 0").first()?.decode(column: "last_used", as: Int.self) == 1)
            // the other excise number: nothing used, nothing issued: back to zero
            #expect(try await Self.holes(app, excise: "FR007328E0002").isEmpty)
            #expect(sequence(try await app.generate(marie, excise: "FR007328E0002")) == 1)
            // a retired laptop syncs no more
            let after = try await reserve(app, marie, device: laptopA, counter: 31)
            #expect(after.status == .conflict && after.errorCode == "device_retired", "\(after.text)")

            // the DRM of the month says it: « numéros réservés non utilisés », in JSON, CSV and on the page
            let drm = try await app.api(.GET, "/api/v1/reports/drm?month=2026-11&exciseNumber=FR007328E0001", token: marie)
            let row = try #require(drm.array.first { $0["kind"] as? String == "craps" })
            #expect((row["reservedUnused"] as? [String])?.first.map { $0.contains("4–21") && $0.contains("portable-chai") } == true, "\(drm.text)")
            let csv = try await app.api(.GET, "/api/v1/reports/drm?month=2026-11&format=csv", token: marie)
            #expect(csv.text.contains("Numéros réservés non utilisés") && csv.text.contains("4–21"), "\(csv.text)")
            let sophieDRM = try await app.api(.GET, "/api/v1/reports/drm?month=2026-11&format=csv", token: try await app.token("sophie.durand"))
            #expect(!sophieDRM.text.contains("4–21") && !sophieDRM.text.contains("FR007328"))
            // the office's console and log explain the hole; the other company sees nothing of it
            let web = WebSession(app)
            _ = try await web.signIn("agent.bordeaux")
            let console = try await web.get("/bureau")
            #expect(console.html.contains("non utilisés (trou) 4–21") && console.html.contains("portable-chai") && console.html.contains("Postes hors ligne"))
            let log = try await app.api(.GET, "/api/v1/toolkit/reservations?exciseNumber=FR007328E0001", token: try await app.token("agent.bordeaux"))
            #expect(log.array.contains { $0["unused"] as? String == "4–21" && $0["deviceName"] as? String == "portable-chai" && $0["login"] as? String == "marie.laurent" })
            let sophie = try await app.token("sophie.durand")
            let other = try await app.api(.GET, "/api/v1/toolkit/reservations", token: sophie)
            #expect(other.status == .ok && other.array.isEmpty && !other.text.contains("FR007328"))
            let devices = try await app.api(.GET, "/api/v1/toolkit/devices", token: sophie)
            #expect(devices.status == .ok && devices.array.isEmpty)
            // nor can it use Marie's laptop id
            let steal = try await reserve(app, sophie, device: laptopB, counter: 0)
            #expect(steal.status == .conflict && steal.errorCode == "device_of_another_company" && !steal.text.contains("FR007328"), "\(steal.text)")
        }
    }

    /// k numbers made offline and synced: the lease is topped up by k, and once all of it is
    /// used around the service's own generations, no number of the year is a hole.
    @Test(arguments: TestDatabase.available)
    func generationsAroundAnOpenLeaseLeaveNoHoleOnceItIsUsed(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            var r = try await reserve(app, marie, device: laptopA, counter: 0, size: 5) // 1–5
            var counter = 1
            for round in 0..<4 {
                // the service generates twice, the laptop makes k numbers of its lease
                #expect(try await app.generate(marie).status == .created)
                #expect(try await app.generate(marie).status == .created)
                let k = round + 1
                let before = Set(try await (app.db as! any SQLDatabase).raw("SELECT sequence FROM documents WHERE excise_number = 'FR007328E0001'").all()
                    .map { try $0.decode(column: "sequence", as: Int.self) })
                let mine = Array(blocks(r, "craps").flatMap { Array($0) }.filter { !before.contains($0) }.prefix(k))
                let pushed = try await push(app, marie, device: laptopA, counter: counter, entries: try mine.map { entry(try manual($0)) })
                #expect((pushed.object["entries"] as? [[String: Any]])?.allSatisfy { $0["outcome"] as? String == "registered" } == true, "\(pushed.text)")
                let used = (r.object["open"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "craps" && $0["exciseNumber"] as? String == "FR007328E0001" }
                    .map { ["id": $0["id"]!, "highest": min($0["last"] as! Int, mine.last ?? 0)] as [String: Any] }
                r = try await reserve(app, marie, device: laptopA, counter: counter, size: 5, used: used)
                #expect(r.status == .ok, "\(r.text)")
                counter += 1
                // what is left of the lease is never below the size, and only what was used was added
                let open = blocks(r, "craps").flatMap { Array($0) }
                let registered = Set(try await (app.db as! any SQLDatabase).raw("SELECT sequence FROM documents WHERE excise_number = 'FR007328E0001'").all()
                    .map { try $0.decode(column: "sequence", as: Int.self) })
                #expect(open.filter { !registered.contains($0) }.count == 5, "round \(round): \(r.text)")
                #expect(try await Self.holes(app).isEmpty, "round \(round)")
            }
            // the laptop uses all it holds: nothing of the year is a hole
            let done = Set(try await (app.db as! any SQLDatabase).raw("SELECT sequence FROM documents WHERE excise_number = 'FR007328E0001'").all()
                .map { try $0.decode(column: "sequence", as: Int.self) })
            let rest = blocks(r, "craps").flatMap { Array($0) }.filter { !done.contains($0) }
            _ = try await push(app, marie, device: laptopA, counter: counter, entries: try rest.map { entry(try manual($0)) })
            #expect(try await Self.holes(app).isEmpty)
            let registered = try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n, MAX(sequence) AS top FROM documents WHERE excise_number = 'FR007328E0001'").first()!
            #expect(try registered.decode(column: "n", as: Int.self) == registered.decode(column: "top", as: Int.self))
        }
    }

    /// A sync on 31 December and one on 1 January (fixed clock): the past year's lease is given
    /// back once its numbers are registered, without a hole; the new year's starts at 1.
    @Test(arguments: TestDatabase.available)
    func aLeaseEndsWithItsYear(_ db: TestDatabase) async throws {
        let clock = TestClock(ISO8601DateFormatter().date(from: "2026-12-31T20:00:00Z")!) // 21:00 in Paris
        try await withApp(db, clock: clock) { app in
            let marie = try await app.token("marie.laurent")
            #expect(try await app.generate(marie, date: "2026-12-31", time: "21:30").status == .created) // 2026: 1
            let december = try await reserve(app, marie, device: laptopA, counter: 0, size: 10)
            #expect(blocks(december, "craps") == [2...11])
            // a number made offline late on the 31st, pushed on the 1st
            clock.set(ISO8601DateFormatter().date(from: "2027-01-01T08:00:00Z")!)
            let pushed = try await push(app, marie, device: laptopA, counter: 1, entries: [entry(try manual(2), date: "2026-12-31", time: "23:30")])
            #expect((pushed.object["entries"] as? [[String: Any]])?.first?["outcome"] as? String == "registered", "\(pushed.text)")
            let old = try #require(block(december, "craps"))["id"] as! String
            let january = try await reserve(app, marie, device: laptopA, counter: 1, size: 10, used: [["id": old, "highest": 2]], release: [old])
            #expect(january.status == .ok, "\(january.text)")
            // check: the 2026 lease given back as its year ended; 3–11 go back to the sequence
            let released = try #require((january.object["released"] as? [[String: Any]])?.first { $0["id"] as? String == old })
            #expect(released["ended"] as? String == "year-ended" && released["used"] as? Int == 1 && released["returned"] as? Int == 9 && released["unused"] as? String == "")
            #expect(try await Self.holes(app, year: 2026).isEmpty)
            #expect(try await (app.db as! any SQLDatabase).raw("SELECT last_used FROM sequences WHERE excise_number = 'FR007328E0001' AND year = 2026").first()?.decode(column: "last_used", as: Int.self) == 2)
            // the 2027 lease starts at 1; the service's first 2027 number follows it
            #expect((january.object["open"] as? [[String: Any]])?.contains { $0["kind"] as? String == "craps" && $0["exciseNumber"] as? String == "FR007328E0001" && $0["year"] as? Int == 2027 && $0["first"] as? Int == 1 && $0["last"] as? Int == 10 } == true)
            let generated = try await app.generate(marie, date: "2027-01-01", time: "09:30")
            #expect((generated.object["number"] as? String)?.hasPrefix("27") == true && sequence(generated) == 11, "\(generated.text)")
            // a segment of the current year is not given back at a sync
            let current = try #require((january.object["open"] as? [[String: Any]])?.first { $0["year"] as? Int == 2027 && $0["exciseNumber"] as? String == "FR007328E0001" })["id"] as! String
            let kept = try await reserve(app, marie, device: laptopA, counter: 2, size: 10, release: [current])
            #expect((kept.object["released"] as? [[String: Any]])?.isEmpty == true && kept.text.contains(current))
        }
    }

    /// A journal copied to a second laptop (or restored from a backup): caught at its first sync.
    @Test(arguments: TestDatabase.available)
    func aCopiedJournalIsCaughtAtItsFirstSync(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let r = try await reserve(app, marie, device: laptopA, counter: 0, size: 5) // lease 1–5, journal counter 1
            #expect(blocks(r, "craps") == [1...5])
            // both copies made number 1 offline (other lorries), the copy also number 2
            let original = try await push(app, marie, device: laptopA, counter: 1, entries: [entry(try manual(1), transport: "AA-111-AA")])
            #expect((original.object["entries"] as? [[String: Any]])?.first?["outcome"] as? String == "registered" && original.object["duplicateJournal"] == nil)
            let renewed = try await reserve(app, marie, device: laptopA, counter: 1, size: 5, used: [["id": block(r, "craps")!["id"]!, "highest": 1]])
            #expect(renewed.status == .ok && (renewed.object["lease"] as? [String: Any])?["counter"] as? Int == 2)
            // act: the copy, still at counter 1, under another computer's name
            let copy = ["id": laptopA["id"]!, "name": "portable-copie"]
            let pushed = try await push(app, marie, device: copy, counter: 1, entries: [entry(try manual(1), transport: "BB-222-BB"), entry(try manual(2), transport: "BB-222-BB")])
            // check: what does not collide is registered; what does is a conflict naming both laptops
            #expect(pushed.status == .ok, "\(pushed.text)")
            let outcomes = try #require(pushed.object["entries"] as? [[String: Any]])
            #expect(outcomes.map { $0["outcome"] as? String } == ["conflict", "registered"], "\(pushed.text)")
            #expect(outcomes[0]["code"] as? String == "duplicate_journal")
            #expect((outcomes[0]["message"] as? String)?.contains("portable-chai") == true && (outcomes[0]["message"] as? String)?.contains("portable-copie") == true)
            #expect((pushed.object["duplicateJournal"] as? String)?.contains("Deux journaux") == true)
            // the lease is frozen for both journals: no renewal, no release
            let refused = try await reserve(app, marie, device: copy, counter: 1, size: 5)
            #expect(refused.status == .conflict && refused.errorCode == "journal_duplicated", "\(refused.text)")
            let originalAgain = try await reserve(app, marie, device: laptopA, counter: 2, size: 5)
            #expect(originalAgain.status == .conflict && originalAgain.errorCode == "journal_duplicated")
            let retire = try await app.api(.POST, "/api/v1/toolkit/retire", token: marie, body: ["device": laptopA, "lease": lease(2)])
            #expect(retire.status == .conflict)
            // its numbers are never given to anyone: the service generates after them
            #expect(sequence(try await app.generate(marie)) == 7)
            let inside = try await app.api(.POST, "/api/v1/documents/registrations", token: try await app.token("paul.martin"), body: [
                "number": try manual(4), "type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-123-CD", "dispatchDate": "2026-11-22", "dispatchTime": "08:00"])
            #expect(inside.status == .conflict && inside.errorCode == "sequence_reserved")
            // the office is told, once
            let sql = app.db as! any SQLDatabase
            let notices = try await sql.raw("SELECT text FROM office_notices WHERE kind = 'toolkit-device'").all().map { try $0.decode(column: "text", as: String.self) }
            #expect(notices.count == 1 && notices[0].contains("portable-chai") && notices[0].contains("portable-copie"), "\(notices)")
            let device = try await app.api(.GET, "/api/v1/toolkit/devices", token: try await app.token("agent.bordeaux"))
            #expect(device.array.first { ($0["id"] as? String)?.lowercased() == laptopA["id"] }?["status"] as? String == "duplicated")
        }
    }

    /// A sync cut after the service renewed the lease, run again with the same attempt: the
    /// same journal, not a copy.
    @Test(arguments: TestDatabase.available)
    func aRenewalWhoseAnswerWasLostIsAnsweredAgain(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let attempt = UUID().uuidString
            let body: [String: Any] = ["device": laptopA, "lease": lease(0, attempt), "size": 5, "used": [], "release": []]
            let first = try await app.api(.POST, "/api/v1/toolkit/reservations", token: marie, body: body)
            let again = try await app.api(.POST, "/api/v1/toolkit/reservations", token: marie, body: body)
            #expect(first.status == .ok && again.status == .ok, "\(again.text)")
            #expect((again.object["lease"] as? [String: Any])?["counter"] as? Int == 1)
            #expect(blocks(first, "craps") == blocks(again, "craps"))
            // the push of the journal that never heard the answer: counter 0 with its attempt
            let pushed = try await app.api(.POST, "/api/v1/toolkit/push", token: marie, body: ["device": laptopA, "lease": lease(0, attempt), "entries": [], "outages": []])
            #expect(pushed.status == .ok && pushed.object["duplicateJournal"] == nil, "\(pushed.text)")
            // but counter 0 without it is another journal
            let other = try await app.api(.POST, "/api/v1/toolkit/push", token: marie, body: ["device": laptopA, "lease": lease(0, UUID().uuidString), "entries": [], "outages": []])
            #expect(other.object["duplicateJournal"] != nil)
        }
    }

    /// A stolen laptop: the office revokes it; its numbers are never given, its syncs refused.
    @Test(arguments: TestDatabase.available)
    func aRevokedLaptopKeepsItsLeaseForEver(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            _ = try await reserve(app, marie, device: laptopA, counter: 0, size: 5) // 1–5
            let agent = try await app.token("agent.bordeaux")
            let path = "/api/v1/toolkit/devices/\(laptopA["id"]!)/revoke"
            // who may not: the operator, the other company, an officer of another office
            #expect(try await app.api(.POST, path, token: marie, body: ["reason": "volé"]).status == .forbidden)
            #expect(try await app.api(.POST, path, token: try await app.token("sophie.durand"), body: ["reason": "volé"]).status == .forbidden)
            let cid = try await app.token("cid.admin")
            #expect(try await app.api(.POST, "/api/v1/offices", token: cid, body: ["code": "FR000700", "name": "Bureau de Libourne", "email": "libourne@douane.invalid"]).status == .created)
            let officer = try await app.api(.POST, "/api/v1/users", token: cid, body: ["login": "agent.libourne", "email": "agent@libourne.invalid",
                                                                                       "password": "Rouge-Chai-9182-vin", "role": "officer", "officeCode": "FR000700"])
            #expect(officer.status == .created, "\(officer.text)")
            let elsewhere = try await app.api(.POST, path, token: try await app.token("agent.libourne", password: "Rouge-Chai-9182-vin"), body: ["reason": "volé"])
            #expect(elsewhere.status == .notFound, "\(elsewhere.text)")
            // bad input: a clear error, nothing changed
            for bad: Any in [["reason": ""], ["reason": String(repeating: "x", count: 501)], ["reason": "vo\u{0007}lé"], ["motif": "volé"]] {
                let r = try await app.api(.POST, path, token: agent, body: bad)
                #expect(r.status == .unprocessableEntity || r.status == .badRequest, "\(r.text)")
            }
            #expect(try await app.api(.POST, "/api/v1/toolkit/devices/pas-un-uuid/revoke", token: agent, body: ["reason": "volé"]).status == .notFound)
            #expect(try await reserve(app, marie, device: laptopA, counter: 1, size: 5).status == .ok)
            // act
            let revoked = try await app.api(.POST, path, token: agent, body: ["reason": "Poste volé dans le camion"])
            #expect(revoked.status == .ok && revoked.object["status"] as? String == "revoked", "\(revoked.text)")
            #expect(try await app.api(.POST, path, token: agent, body: ["reason": "encore"]).errorCode == "device_already_revoked")
            // check: its syncs refused, its numbers never issued nor registered by others, not even after a retire
            let pushed = try await push(app, marie, device: laptopA, counter: 2, entries: [])
            #expect(pushed.status == .forbidden && pushed.errorCode == "device_revoked" && pushed.errorMessage?.contains("Poste volé") == true)
            #expect(try await app.api(.POST, "/api/v1/toolkit/retire", token: marie, body: ["device": laptopA, "lease": lease(2)]).status == .forbidden)
            #expect(sequence(try await app.generate(marie)) == 6)
            let log = try await app.api(.GET, "/api/v1/toolkit/reservations?exciseNumber=FR007328E0001&open=true", token: agent)
            #expect(log.array.contains { $0["ended"] as? String == "revoked" && $0["releasedAt"] == nil })
            let sql = app.db as! any SQLDatabase
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM office_notices WHERE kind = 'toolkit-device'").first()!.decode(column: "n", as: Int.self) == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aPushIsIdempotentAndKeepsRealConflicts(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            _ = try await reserve(app, marie, device: laptopA) // 1…20, counter 1
            let entries = [entry(try manual(1), communicatedAt: "2026-11-22T06:50:00Z"), entry(try manual(2), time: "08:30"),
                           entry(try manual(3), date: "2026-11-23", time: "07:00")] // the last leaves tomorrow
            let outage: [String: Any] = ["localID": 1, "service": "GAMMA", "reason": "Box internet en panne",
                                         "startedAt": "2026-11-22T06:00:00Z", "endedAt": "2026-11-22T09:00:00Z", "endNote": "Réseau revenu",
                                         "attempts": [["at": "2026-11-22T06:10:00Z", "channel": "téléphone", "note": "pas de réponse"]],
                                         "exciseNumbers": ["FR007328E0001"]]
            let body: [String: Any] = ["device": laptopA, "lease": lease(1), "entries": entries, "outages": [outage]]
            // act
            let first = try await app.api(.POST, "/api/v1/toolkit/push", token: marie, body: body)
            #expect(first.status == .ok, "\(first.text)")
            let outcomes = try #require(first.object["entries"] as? [[String: Any]])
            #expect(outcomes.map { $0["outcome"] as? String } == ["registered", "registered", "not-yet-departed"])
            #expect(outcomes[0]["communication"] as? String == "communicated")
            let episode = try #require((first.object["outages"] as? [[String: Any]])?.first)
            #expect(episode["outcome"] as? String == "created")
            // the same push again (a sync cut after the service answered): nothing twice
            let second = try await app.api(.POST, "/api/v1/toolkit/push", token: marie, body: body)
            #expect((second.object["entries"] as? [[String: Any]])?.map { $0["outcome"] as? String } == ["already-registered", "already-registered", "not-yet-departed"])
            #expect((second.object["entries"] as? [[String: Any]])?.first?["communication"] as? String == "already-communicated")
            #expect((second.object["outages"] as? [[String: Any]])?.first?["outcome"] as? String == "already")
            let sql = app.db as! any SQLDatabase
            func count(_ q: SQLQueryString) async throws -> Int { try await sql.raw(q).first()!.decode(column: "n", as: Int.self) }
            #expect(try await count("SELECT COUNT(*) AS n FROM documents WHERE excise_number = 'FR007328E0001'") == 2)
            #expect(try await count("SELECT COUNT(*) AS n FROM communications WHERE number = \(bind: try manual(1))") == 1)
            #expect(try await count("SELECT COUNT(*) AS n FROM episodes WHERE basis = 'offline-outage'") == 1)
            // the episode carries the evidence, closed at the outage's end
            let officer = try await app.token("agent.bordeaux")
            let shown = try await app.api(.GET, "/api/v1/episodes/\(episode["episodeID"] as! String)", token: officer)
            #expect(shown.status == .ok && shown.object["status"] as? String == "closed", "\(shown.text)")
            #expect(shown.text.contains("pas de réponse") && shown.text.contains("Box internet en panne") && shown.text.contains("portable-chai"))
            // the history says where the number came from
            let history = try await app.api(.GET, "/api/v1/documents/\(try manual(1))/history", token: marie)
            #expect(history.text.contains("hors ligne sur le poste « portable-chai »"))

            // a real conflict: the same number with other data
            let other = try await app.api(.POST, "/api/v1/toolkit/push", token: marie, body: ["device": laptopA, "lease": lease(1), "entries": [entry(try manual(2), transport: "ZZ-999-ZZ")], "outages": []])
            let c = try #require((other.object["entries"] as? [[String: Any]])?.first)
            #expect(c["outcome"] as? String == "conflict" && (c["message"] as? String)?.contains("autres données") == true, "\(c)")
            // the communication's time is checked against the dispatch: told after departure
            let late = try await app.api(.POST, "/api/v1/toolkit/push", token: marie, body: ["device": laptopA, "lease": lease(1), "entries": [entry(try manual(4), communicatedAt: "2026-11-22T09:00:00Z")], "outages": []])
            #expect((late.object["entries"] as? [[String: Any]])?.first?["communication"] as? String == "refused")
        }
    }

    @Test(arguments: TestDatabase.available)
    func badPushesAreRefusedAndChangeNothing(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let sql = app.db as! any SQLDatabase
            func count(_ table: String) async throws -> Int { try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()!.decode(column: "n", as: Int.self) }
            func snapshot() async throws -> [Int] { [try await count("documents"), try await count("devices"), try await count("reservations"), try await count("episodes")] }
            let before = try await snapshot()
            let good = entry(try manual(1))
            func outage(service: String = "GAMMA", excise: [String] = ["FR007328E0001"], start: String = "2026-11-22T07:00:00Z") -> [String: Any] {
                ["localID": 1, "service": service, "reason": "x", "startedAt": start, "endedAt": "2026-11-22T08:00:00Z", "attempts": [], "exciseNumbers": excise]
            }
            // 65 code points that a person reads as 33 characters (e + combining accent): the contract's maxLength counts code points
            let decomposed = String(repeating: "e\u{0301}", count: 32) + "x"
            let cases: [(Any, HTTPStatus, String)] = [
                (["device": ["id": laptopA["id"]!, "name": "  "], "lease": lease(0), "entries": [good], "outages": []], .unprocessableEntity, "device.name"),
                (["device": ["id": laptopA["id"]!, "name": decomposed], "lease": lease(0), "entries": [good], "outages": []], .unprocessableEntity, "device.name"),
                (["device": laptopA, "lease": lease(0), "entries": Array(repeating: good, count: 2), "outages": []], .unprocessableEntity, "entries"),
                (["device": laptopA, "lease": lease(0), "entries": (1...501).map { entry(try! manual($0)) }, "outages": []], .unprocessableEntity, "entries"),
                (["device": laptopA, "lease": lease(0), "entries": [good], "outages": [outage(start: "2026-11-22T09:00:00Z")]], .unprocessableEntity, "outages"),
                (["device": laptopA, "lease": lease(0), "entries": [good], "outages": [outage(service: "AAA")]], .unprocessableEntity, "outages.service"),
                (["device": laptopA, "lease": lease(0), "entries": [good], "outages": [outage(excise: [])]], .unprocessableEntity, "outages.exciseNumbers"),
                (["device": laptopA, "lease": lease(0), "entries": [good], "outages": [outage(excise: ["FR00"])]], .unprocessableEntity, "outages.exciseNumbers"),
                (["device": ["id": "pas-un-uuid", "name": "x"], "lease": lease(0), "entries": [good], "outages": []], .unprocessableEntity, "device.id"),
                (["device": laptopA, "entries": [good], "outages": []], .badRequest, "lease"),
                (["entries": [good]], .badRequest, "device"),
            ]
            for (body, status, field) in cases {
                let r = try await app.api(.POST, "/api/v1/toolkit/push", token: marie, body: body)
                #expect(r.status == status && r.errorFields.contains(field), "\(field): \(r.text)")
                // in the caller's language, never a decoder's English
                #expect(r.errorMessage?.contains("Attempted") == false && r.errorMessage?.contains("decode") == false, "\(r.text)")
            }
            let english = try await app.api(.POST, "/api/v1/toolkit/push", token: marie, body: ["device": ["id": "pas-un-uuid", "name": "x"], "lease": lease(0), "entries": [], "outages": []],
                                             headers: [("Accept-Language", "en")])
            #expect(english.errorMessage?.contains("UUID is expected") == true, "\(english.text)")
            // the reservations' own bounds
            let tooMany = (0...1000).map { _ in UUID().uuidString }
            for (body, field) in [(["device": laptopA, "lease": lease(0), "size": 0, "used": [], "release": []] as [String: Any], "size"),
                                  (["device": laptopA, "lease": lease(0), "size": 501, "used": [], "release": []], "size"),
                                  (["device": laptopA, "lease": lease(0), "used": [], "release": tooMany], "release"),
                                  (["device": laptopA, "lease": lease(0), "used": tooMany.map { ["id": $0, "highest": 1] }, "release": []], "used"),
                                  (["device": laptopA, "lease": lease(-1), "used": [], "release": []], "lease.counter"),
                                  (["device": ["id": laptopA["id"]!, "name": String(repeating: "é", count: 65)], "lease": lease(0), "used": [], "release": []], "device.name")] {
                let r = try await app.api(.POST, "/api/v1/toolkit/reservations", token: marie, body: body)
                #expect(r.status == .unprocessableEntity && r.errorFields.contains(field), "\(field): \(r.text)")
            }
            #expect(try await snapshot() == before)
            // officers and the CID do not push journals; without a token, nothing
            #expect(try await app.api(.POST, "/api/v1/toolkit/push", token: try await app.token("agent.bordeaux"), body: ["device": laptopA, "lease": lease(0), "entries": [good], "outages": []]).status == .forbidden)
            #expect(try await app.api(.POST, "/api/v1/toolkit/push", body: ["device": laptopA, "lease": lease(0), "entries": [good], "outages": []]).status == .unauthorized)
            #expect(try await app.api(.GET, "/api/v1/toolkit/reservations?open=peut-etre", token: marie).status == .unprocessableEntity)
            #expect(try await snapshot() == before)
            // another company's excise number in a push: refused, not stored
            let foreign = try await push(app, try await app.token("sophie.durand"), device: laptopB, counter: 0, entries: [good])
            #expect((foreign.object["entries"] as? [[String: Any]])?.first?["outcome"] as? String == "conflict")
            #expect(try await count("documents") == before[0])
        }
    }

    /// Laptops renewing and pushing while the service generates: no number twice, no overlap of
    /// leases, and once every laptop has used its lease and been retired, no hole — on both
    /// databases, several trials.
    @Test(arguments: TestDatabase.available)
    func concurrentLeasesGenerationsAndPushesNeverShareANumberNorLeaveAHole(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            for trial in 0..<5 {
                let devices = (0..<4).map { ["id": UUID().uuidString, "name": "poste-\(trial)-\($0)"] }
                let results = try await withThrowingTaskGroup(of: (Int?, APIResponse).self) { group in
                    for (i, d) in devices.enumerated() { group.addTask { (i, try await reserve(app, marie, device: d, size: 5)) } }
                    for _ in 0..<8 { group.addTask { (nil, try await app.generate(marie)) } }
                    var out: [(Int?, APIResponse)] = []
                    for try await r in group { out.append(r) }
                    return out
                }
                var taken: [Int] = []
                var leases = [[Int]](repeating: [], count: devices.count)
                for (device, r) in results {
                    if let device {
                        #expect(r.status == .ok, "\(r.text)")
                        let b = try #require(block(r, "craps"))
                        leases[device] = Array((b["first"] as! Int)...(b["last"] as! Int))
                        taken += leases[device]
                    } else {
                        #expect(r.status == .created, "\(r.text)")
                        taken.append(try #require(sequence(r)))
                    }
                }
                #expect(taken.count == 4 * 5 + 8)
                #expect(Set(taken).count == taken.count, "trial \(trial): a sequence was given twice")
                // each laptop uses its whole lease and is retired, while the service generates
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (d, numbers) in zip(devices, leases) {
                        group.addTask {
                            let pushed = try await push(app, marie, device: d, counter: 1, entries: try numbers.map { entry(try manual($0)) })
                            #expect((pushed.object["entries"] as? [[String: Any]])?.allSatisfy { $0["outcome"] as? String == "registered" } == true, "\(pushed.text)")
                            let retired = try await app.api(.POST, "/api/v1/toolkit/retire", token: marie, body: ["device": d, "lease": lease(1)])
                            #expect(retired.status == .ok, "\(retired.text)")
                        }
                    }
                    for _ in 0..<8 {
                        group.addTask {
                            let generated = try await app.generate(marie)
                            #expect(generated.status == .created)
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(try await Self.holes(app).isEmpty, "trial \(trial)")
                let sql = app.db as! any SQLDatabase
                let row = try await sql.raw("SELECT COUNT(*) AS n, COUNT(DISTINCT sequence) AS d, MAX(sequence) AS top FROM documents WHERE excise_number = 'FR007328E0001' AND year = 2026").first()!
                #expect(try row.decode(column: "n", as: Int.self) == row.decode(column: "d", as: Int.self))
                #expect(try row.decode(column: "n", as: Int.self) == row.decode(column: "top", as: Int.self), "trial \(trial): the year's numbers are not 1…n")
            }
        }
    }
}
