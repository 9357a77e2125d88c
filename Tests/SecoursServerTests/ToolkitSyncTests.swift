import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import SecoursServer
import SecoursCore

/// The service's side of `secours sync`: the journal pushed (R-API-2) and the devices' blocks of
/// numbers (R-NUM-8).
@Suite("offline toolkit sync (push, reservations)")
struct ToolkitSyncTests {
    let laptopA = ["id": "6f1c1c0e-7a51-4f00-9a51-000000000001", "name": "portable-chai"]
    let laptopB = ["id": "6f1c1c0e-7a51-4f00-9a51-000000000002", "name": "portable-bureau"]

    func reserve(_ app: Application, _ token: String, device: [String: String], size: Int = 20, release: [String] = []) async throws -> APIResponse {
        try await app.api(.POST, "/api/v1/toolkit/reservations", token: token, body: ["device": device, "size": size, "release": release])
    }

    func block(_ r: APIResponse, _ kind: String, _ excise: String = "FR007328E0001") -> [String: Any]? {
        (r.object["open"] as? [[String: Any]])?.first { $0["kind"] as? String == kind && $0["exciseNumber"] as? String == excise }
    }

    func entry(_ number: String, type: String = "DAE", excise: String = "FR007328E0001", date: String = "2026-11-22", time: String = "08:00",
               transport: String = "AB-123-CD", communicatedAt: String? = nil) -> [String: Any] {
        var e: [String: Any] = ["number": number, "type": type, "exciseNumber": excise, "transport": transport, "dispatchDate": date,
                                "dispatchTime": time, "madeAt": "2026-11-22T07:00:00Z"]
        if let communicatedAt { e["communicatedAt"] = communicatedAt }
        return e
    }

    func manual(_ sequence: Int, type: DocumentType = .dae, excise: String = "FR007328E0001") throws -> String {
        try FallbackNumber.manual(year: 2026, exciseNumber: ExciseNumber(parsing: excise), sequence: sequence, type: type).value
    }

    func sequence(_ r: APIResponse) -> Int? {
        (r.object["number"] as? String).flatMap { try? FallbackNumber(parsing: $0).sequence }
    }

    @Test(arguments: TestDatabase.available)
    func aBlockIsTheDevicesAloneUntilReleasedAndItsGapIsExplained(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            #expect(try await app.generate(marie).status == .created) // sequence 1
            // act: laptop A reserves
            let r = try await reserve(app, marie, device: laptopA)
            #expect(r.status == .ok, "\(r.text)")
            let craps = try #require(block(r, "craps"))
            #expect(craps["first"] as? Int == 2 && craps["last"] as? Int == 21 && craps["year"] as? Int == 2026)
            let lrn = try #require(block(r, "lrn"))
            #expect(lrn["first"] as? Int == 1 && lrn["last"] as? Int == 20 && lrn["year"] == nil)
            #expect(block(r, "craps", "FR007328E0002") != nil)
            // the service generates after the block
            let generated = try await app.generate(marie)
            #expect(sequence(generated) == 22, "\(generated.text)")
            // nobody else registers inside it: the API, and an import
            let inside = try manual(5)
            let refused = try await app.api(.POST, "/api/v1/documents/registrations", token: marie, body: [
                "number": inside, "type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-123-CD", "dispatchDate": "2026-11-22", "dispatchTime": "08:00"])
            #expect(refused.status == .conflict && refused.errorCode == "sequence_reserved", "\(refused.text)")
            #expect(refused.errorMessage?.contains("portable-chai") == true)
            // laptop B's push of that number is refused too, and stores nothing
            let b = try await app.api(.POST, "/api/v1/toolkit/push", token: marie, body: ["device": laptopB, "entries": [entry(inside)], "outages": []])
            #expect(b.status == .ok)
            #expect((b.object["entries"] as? [[String: Any]])?.first?["outcome"] as? String == "conflict")
            // laptop A may
            let a = try await app.api(.POST, "/api/v1/toolkit/push", token: marie, body: ["device": laptopA, "entries": [entry(try manual(2)), entry(try manual(3, type: .dsa), type: "DSA")], "outages": []])
            #expect((a.object["entries"] as? [[String: Any]])?.map { $0["outcome"] as? String } == ["registered", "registered"], "\(a.text)")
            let count = try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM documents WHERE number = \(bind: inside)").first()?.decode(column: "n", as: Int.self)
            #expect(count == 0)

            // the same for GAMMA 2 LRN serials: another's registration refused, A's push accepted
            let lrnRefused = try await app.api(.POST, "/api/v1/documents/registrations", token: marie, body: [
                "number": "PS261122E00010005", "type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-123-CD", "dispatchDate": "2026-11-22", "dispatchTime": "08:00"])
            #expect(lrnRefused.status == .conflict && lrnRefused.errorCode == "sequence_reserved", "\(lrnRefused.text)")
            let lrnPushed = try await app.api(.POST, "/api/v1/toolkit/push", token: marie, body: ["device": laptopA, "entries": [entry("PS261122E00010001")], "outages": []])
            #expect((lrnPushed.object["entries"] as? [[String: Any]])?.map { $0["outcome"] as? String } == ["registered"], "\(lrnPushed.text)")
            let lrnAgain = try await app.api(.POST, "/api/v1/toolkit/push", token: marie, body: ["device": laptopA, "entries": [entry("PS261122E00010001")], "outages": []])
            #expect((lrnAgain.object["entries"] as? [[String: Any]])?.map { $0["outcome"] as? String } == ["already-registered"])
            // act: A releases its block, takes a new one
            let again = try await reserve(app, marie, device: laptopA, release: (r.object["open"] as! [[String: Any]]).map { $0["id"] as! String })
            let released = try #require((again.object["released"] as? [[String: Any]])?.first { $0["kind"] as? String == "craps" && $0["exciseNumber"] as? String == "FR007328E0001" })
            #expect(released["used"] as? Int == 2 && released["unused"] as? String == "4–21", "\(released)")
            #expect(block(again, "craps")?["first"] as? Int == 23)
            #expect(block(again, "lrn")?["first"] as? Int == 21)
            #expect((again.object["released"] as? [[String: Any]])?.first { $0["kind"] as? String == "lrn" && $0["exciseNumber"] as? String == "FR007328E0001" }?["unused"] as? String == "2–20")
            // a released gap is no one's: the number is free to register (explained by the log)
            #expect(try await app.api(.POST, "/api/v1/documents/registrations", token: marie, body: [
                "number": inside, "type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-123-CD", "dispatchDate": "2026-11-22", "dispatchTime": "08:00"]).status == .created)

            // the office's console shows the blocks and the gap
            let web = WebSession(app)
            _ = try await web.signIn("agent.bordeaux")
            let console = try await web.get("/bureau")
            #expect(console.html.contains("Réserves des postes hors ligne") && console.html.contains("non utilisés 4–21") && console.html.contains("portable-chai"))
            // the office reads the log; the other company sees nothing of it
            let log = try await app.api(.GET, "/api/v1/toolkit/reservations?exciseNumber=FR007328E0001", token: try await app.token("agent.bordeaux"))
            #expect(log.status == .ok)
            #expect(log.array.contains { $0["unused"] as? String == "4–21" && $0["deviceName"] as? String == "portable-chai" && $0["login"] as? String == "marie.laurent" })
            let sophie = try await app.token("sophie.durand")
            let other = try await app.api(.GET, "/api/v1/toolkit/reservations", token: sophie)
            #expect(other.status == .ok && other.array.isEmpty && !other.text.contains("FR007328"))
            // nor can it release Marie's blocks, even knowing the device and the id
            let steal = try await reserve(app, sophie, device: laptopA, release: (again.object["open"] as! [[String: Any]]).map { $0["id"] as! String })
            #expect((steal.object["released"] as? [[String: Any]])?.isEmpty == true)
            #expect(!steal.text.contains("FR007328"))
            let stillOpen = try await app.api(.GET, "/api/v1/toolkit/reservations?open=true&exciseNumber=FR007328E0001", token: marie)
            #expect(stillOpen.array.count == 2, "\(stillOpen.text)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aPushIsIdempotentAndKeepsRealConflicts(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            _ = try await reserve(app, marie, device: laptopA) // 1…20
            let entries = [entry(try manual(1), communicatedAt: "2026-11-22T06:50:00Z"), entry(try manual(2), time: "08:30"),
                           entry(try manual(3), date: "2026-11-23", time: "07:00")] // the last leaves tomorrow
            let outage: [String: Any] = ["localID": 1, "service": "GAMMA", "reason": "Box internet en panne",
                                         "startedAt": "2026-11-22T06:00:00Z", "endedAt": "2026-11-22T09:00:00Z", "endNote": "Réseau revenu",
                                         "attempts": [["at": "2026-11-22T06:10:00Z", "channel": "téléphone", "note": "pas de réponse"]],
                                         "exciseNumbers": ["FR007328E0001"]]
            let body: [String: Any] = ["device": laptopA, "entries": entries, "outages": [outage]]
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
            let other = try await app.api(.POST, "/api/v1/toolkit/push", token: marie, body: ["device": laptopA, "entries": [entry(try manual(2), transport: "ZZ-999-ZZ")], "outages": []])
            let c = try #require((other.object["entries"] as? [[String: Any]])?.first)
            #expect(c["outcome"] as? String == "conflict" && (c["message"] as? String)?.contains("autres données") == true, "\(c)")
            // the communication's time is checked against the dispatch: told after departure
            let late = try await app.api(.POST, "/api/v1/toolkit/push", token: marie, body: ["device": laptopA, "entries": [entry(try manual(4), communicatedAt: "2026-11-22T09:00:00Z")], "outages": []])
            #expect((late.object["entries"] as? [[String: Any]])?.first?["communication"] as? String == "refused")
        }
    }

    @Test(arguments: TestDatabase.available)
    func badPushesAreRefusedAndChangeNothing(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let sql = app.db as! any SQLDatabase
            func documents() async throws -> Int { try await sql.raw("SELECT COUNT(*) AS n FROM documents").first()!.decode(column: "n", as: Int.self) }
            let before = try await documents()
            let good = entry(try manual(1))
            let cases: [(Any, HTTPStatus)] = [
                (["device": ["id": laptopA["id"]!, "name": "  "], "entries": [good], "outages": []], .unprocessableEntity),
                (["device": laptopA, "entries": Array(repeating: good, count: 2), "outages": []], .unprocessableEntity),
                (["device": laptopA, "entries": (1...501).map { entry(try! manual($0)) }, "outages": []], .unprocessableEntity),
                (["device": laptopA, "entries": [good], "outages": [["localID": 1, "service": "GAMMA", "reason": "x", "startedAt": "2026-11-22T09:00:00Z",
                                                                    "endedAt": "2026-11-22T08:00:00Z", "attempts": [], "exciseNumbers": ["FR007328E0001"]]]], .unprocessableEntity),
                (["device": ["id": "pas-un-uuid", "name": "x"], "entries": [good], "outages": []], .badRequest),
                (["entries": [good]], .badRequest),
            ]
            for (body, status) in cases {
                let r = try await app.api(.POST, "/api/v1/toolkit/push", token: marie, body: body)
                #expect(r.status == status, "\(r.text)")
            }
            #expect(try await documents() == before)
            // officers and the CID do not push journals; without a token, nothing
            #expect(try await app.api(.POST, "/api/v1/toolkit/push", token: try await app.token("agent.bordeaux"), body: ["device": laptopA, "entries": [good], "outages": []]).status == .forbidden)
            #expect(try await app.api(.POST, "/api/v1/toolkit/push", body: ["device": laptopA, "entries": [good], "outages": []]).status == .unauthorized)
            #expect(try await reserve(app, marie, device: laptopA, size: 0).status == .unprocessableEntity)
            #expect(try await reserve(app, marie, device: laptopA, size: 501).status == .unprocessableEntity)
            #expect(try await app.api(.GET, "/api/v1/toolkit/reservations?open=peut-etre", token: marie).status == .unprocessableEntity)
            // another company's excise number in a push: refused, not stored
            let foreign = try await app.api(.POST, "/api/v1/toolkit/push", token: try await app.token("sophie.durand"), body: ["device": laptopB, "entries": [good], "outages": []])
            #expect((foreign.object["entries"] as? [[String: Any]])?.first?["outcome"] as? String == "conflict")
            #expect(try await documents() == before)
        }
    }

    /// Devices reserving while the service generates and other devices push: no number twice,
    /// no overlap of blocks, on both databases.
    @Test(arguments: TestDatabase.available)
    func concurrentReservationsGenerationsAndPushesNeverShareANumber(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            for trial in 0..<5 {
                let devices = (0..<6).map { ["id": UUID().uuidString, "name": "poste-\(trial)-\($0)"] }
                let results = try await withThrowingTaskGroup(of: (String, APIResponse).self) { group in
                    for d in devices { group.addTask { ("reserve", try await reserve(app, marie, device: d, size: 5)) } }
                    for _ in 0..<8 { group.addTask { ("generate", try await app.generate(marie)) } }
                    var out: [(String, APIResponse)] = []
                    for try await r in group { out.append(r) }
                    return out
                }
                var taken: [Int] = []
                for (kind, r) in results {
                    if kind == "reserve" {
                        #expect(r.status == .ok, "\(r.text)")
                        let b = try #require(block(r, "craps"))
                        taken += Array((b["first"] as! Int)...(b["last"] as! Int))
                    } else {
                        #expect(r.status == .created, "\(r.text)")
                        taken.append(try #require(sequence(r)))
                    }
                }
                #expect(taken.count == 6 * 5 + 8)
                #expect(Set(taken).count == taken.count, "trial \(trial): a sequence was given twice")
            }
        }
    }
}
