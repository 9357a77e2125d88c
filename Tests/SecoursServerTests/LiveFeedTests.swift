import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import VaporTesting
import SecoursCore
@testable import SecoursServer

/// A stream of server-sent events read the way a browser's EventSource reads it, on a real socket.
final class EventStream: @unchecked Sendable {
    struct Event: Sendable {
        let id: String?
        let name: String
        let data: String
        var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] ?? [:] }
    }

    let status: Int
    let headers: HTTPHeaders
    private let lock = NSLock()
    private var buffer = ""
    private var parsed: [Event] = []
    private var reader: Task<Void, Never>?

    private init(status: Int, headers: HTTPHeaders) {
        self.status = status
        self.headers = headers
    }

    /// Opens `path` with the session cookie; the body is read in the background until `close`.
    static func open(_ server: LiveServer, _ path: String, cookie: String?, lastEventID: String? = nil) async throws -> EventStream {
        var request = HTTPClientRequest(url: server.base + path)
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let cookie { request.headers.add(name: "Cookie", value: "secours_session=\(cookie)") }
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
        request.headers.add(name: "Connection", value: "close")
        let response = try await LiveServer.client.execute(request, timeout: .seconds(600))
        let stream = EventStream(status: Int(response.status.code), headers: response.headers)
        stream.reader = Task {
            do {
                for try await chunk in response.body { stream.append(String(buffer: chunk)) }
            } catch {}
            stream.lock.withLock { stream.over = true }
        }
        return stream
    }

    private func append(_ text: String) {
        lock.withLock {
            buffer += text
            while let end = buffer.range(of: "\n\n") {
                let block = buffer[..<end.lowerBound]
                buffer = String(buffer[end.upperBound...])
                var id: String?
                var name = "message"
                var data: [String] = []
                var sawField = false
                for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                    if line.hasPrefix(":") { continue }
                    sawField = true
                    if line.hasPrefix("id: ") { id = String(line.dropFirst(4)) }
                    if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
                }
                if sawField && !data.isEmpty { parsed.append(Event(id: id, name: name, data: data.joined(separator: "\n"))) }
            }
        }
    }

    var events: [Event] { lock.withLock { parsed } }

    /// Waits until `predicate` holds on the events received, for at most `seconds`.
    @discardableResult
    func wait(seconds: Double = 20, until predicate: ([Event]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if predicate(events) { return true }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return predicate(events)
    }

    func close() async {
        reader?.cancel()
        _ = await reader?.value
    }

    private var over = false
    /// Whether the server has ended the stream.
    var ended: Bool { lock.withLock { over } }
}

extension Array where Element == EventStream.Event {
    func documents() -> [String] {
        filter { $0.name == "document" }.compactMap { $0.object["key"] as? String }
    }
}

@Suite(.serialized)
struct LiveFeedTests {
    /// Signs in through the pages (in memory) and gives the session cookie the live server knows too.
    static func cookie(_ app: Application, _ login: String, password: String = DemoData.password) async throws -> String {
        let web = WebSession(app)
        _ = try await web.signIn(login, password: password)
        return try #require(web.cookie)
    }

    static func makeCognacOfficer(_ app: Application) async throws {
        let cid = try await app.token("cid.admin")
        #expect(try await app.api(.POST, "/api/v1/offices", token: cid,
                                  body: ["code": "FR000725", "name": "Bureau de Cognac", "email": "cognac@douane.invalid"]).status == .created)
        #expect(try await app.api(.POST, "/api/v1/users", token: cid,
                                  body: ["login": "agent.cognac", "email": "a@cognac.invalid", "password": "mot-de-passe-long",
                                         "role": "officer", "officeCode": "FR000725"]).status == .created)
    }

    @Test(arguments: TestDatabase.available)
    func theConsoleGetsItsOfficesNumbersRequestsAndDecisionsAsTheyHappen(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.liveIntervalMilliseconds = 50 }) { app in
            try await Self.makeCognacOfficer(app)
            let bordeaux = try await Self.cookie(app, "agent.bordeaux")
            let cognac = try await Self.cookie(app, "agent.cognac", password: "mot-de-passe-long")
            let marie = try await app.token("marie.laurent")
            try await withLiveServer(app) { server in
                let mine = try await EventStream.open(server, "/bureau/direct", cookie: bordeaux)
                let other = try await EventStream.open(server, "/bureau/direct", cookie: cognac)
                #expect(mine.status == 200 && mine.headers.first(name: .contentType)?.hasPrefix("text/event-stream") == true)
                #expect(mine.headers.first(name: .cacheControl) == "no-store")
                #expect(await mine.wait { $0.contains { $0.name == "ready" } })
                #expect(await other.wait { $0.contains { $0.name == "ready" } })

                var numbers: [String] = []
                for _ in 0..<5 { numbers.append(try #require(try await app.generate(marie).object["number"] as? String)) }
                #expect(await mine.wait { Set($0.documents()).isSuperset(of: numbers) }, "every number reaches the console")
                #expect(mine.events.documents().count == Set(mine.events.documents()).count, "each once")
                let first = try #require(mine.events.first { $0.name == "document" })
                #expect(first.object["list"] as? String == "generated")
                let row = try #require(first.object["row"] as? [String: Any])
                #expect(row["exciseNumber"] as? String == "FR007328E0001" && (row["url"] as? String)?.hasPrefix("/documents/") == true)

                // An authorisation request: a notice and an episode event; then the office's decision.
                let request = try await app.api(.POST, "/api/v1/episodes", token: marie,
                                                body: ["exciseNumber": "FR007328E0002", "basis": "office-authorisation", "reason": "Box en panne."])
                #expect(request.status == .created)
                let episode = try #require(request.object["id"] as? String).lowercased()
                #expect(await mine.wait { $0.contains { $0.name == "notice" } && $0.contains { $0.name == "episode" && $0.object["episode"] as? String == episode } })
                let decided = try await app.api(.POST, "/api/v1/episodes/\(episode)/decision", token: try await app.token("agent.bordeaux"),
                                                body: ["decision": "authorise"])
                #expect(decided.status == .ok)
                #expect(await mine.wait { $0.filter { $0.name == "episode" && $0.object["episode"] as? String == episode }.count >= 2 })

                // Another office saw none of it.
                try await Task.sleep(for: .milliseconds(300))
                #expect(other.events.filter { $0.name != "ready" }.isEmpty, "\(other.events.map(\.name))")
                await mine.close()
                await other.close()

                // Operators have no console; a visitor is sent to sign in.
                let operatorCookie = try await Self.cookie(app, "marie.laurent")
                #expect(try await server.send(.GET, "/bureau/direct", headers: [("Cookie", "secours_session=\(operatorCookie)")]).status == 403)
                let visitor = try await server.send(.GET, "/bureau/direct")
                #expect(visitor.status == 303 && visitor.headers.first(name: .location)?.hasPrefix("/connexion") == true)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aPageOpenedAMomentAgoGetsWhatItMissed(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.liveIntervalMilliseconds = 50 }) { app in
            let bordeaux = try await Self.cookie(app, "agent.bordeaux")
            let marie = try await app.token("marie.laurent")
            try await withLiveServer(app) { server in
                // The feed starts with the first watcher; a number written before the page asks.
                let warm = try await EventStream.open(server, "/bureau/direct", cookie: bordeaux)
                #expect(await warm.wait { $0.contains { $0.name == "ready" } })
                let pageRead = Int64((app.secours.now().timeIntervalSince1970 * 1000).rounded())
                let before = try #require(try await app.generate(marie).object["number"] as? String)
                #expect(await warm.wait { $0.documents().contains(before) })
                // Connecting with the page's moment (or a browser reconnecting with its last id) replays it.
                let late = try await EventStream.open(server, "/bureau/direct?depuis=\(pageRead)", cookie: bordeaux)
                #expect(await late.wait { $0.documents().contains(before) })
                let reconnect = try await EventStream.open(server, "/bureau/direct", cookie: bordeaux, lastEventID: String(pageRead))
                #expect(await reconnect.wait { $0.documents().contains(before) })
                // Without either, only what comes next.
                let fresh = try await EventStream.open(server, "/bureau/direct", cookie: bordeaux)
                #expect(await fresh.wait { $0.contains { $0.name == "ready" } })
                let after = try #require(try await app.generate(marie).object["number"] as? String)
                #expect(await fresh.wait { $0.documents().contains(after) })
                #expect(!fresh.events.documents().contains(before))
                for s in [warm, late, reconnect, fresh] { await s.close() }
                // A bad `depuis` is ignored, never an error.
                let odd = try await EventStream.open(server, "/bureau/direct?depuis=%27%3B--", cookie: bordeaux)
                #expect(odd.status == 200)
                await odd.close()
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func anEpisodePageFollowsItsEpisodeAndNoOtherCompanySeesIt(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.liveIntervalMilliseconds = 50; $0.requireEpisode = true }) { app in
            // No alert: the number generated below is covered by the episode.
            try await app.endDemoAlert()
            let marieToken = try await app.token("marie.laurent")
            let request = try await app.api(.POST, "/api/v1/episodes", token: marieToken,
                                            body: ["exciseNumber": "FR007328E0001", "basis": "office-authorisation", "reason": "Box en panne."])
            let episode = try #require(request.object["id"] as? String).lowercased()
            let marie = try await Self.cookie(app, "marie.laurent")
            let sophie = try await Self.cookie(app, "sophie.durand")
            try await withLiveServer(app) { server in
                let page = try await EventStream.open(server, "/episodes/\(episode)/direct", cookie: marie)
                #expect(await page.wait { $0.contains { $0.name == "ready" } })
                // Another company's operator: not found, as the episode's page itself.
                #expect(try await server.send(.GET, "/episodes/\(episode)/direct", headers: [("Cookie", "secours_session=\(sophie)")]).status == 404)
                #expect(try await server.send(.GET, "/episodes/not-an-id/direct", headers: [("Cookie", "secours_session=\(marie)")]).status == 404)

                let decided = try await app.api(.POST, "/api/v1/episodes/\(episode)/decision", token: try await app.token("agent.bordeaux"),
                                                body: ["decision": "authorise"])
                #expect(decided.status == .ok)
                #expect(await page.wait { $0.contains { $0.name == "episode" && $0.object["status"] as? String == "open" } })
                // A number generated under the episode comes to its page too.
                let number = try #require(try await app.generate(marieToken).object["number"] as? String)
                #expect(await page.wait { $0.documents().contains(number) })
                await page.close()
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func whatAnotherProcessWritesReachesThisProcesssConsoles(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.liveIntervalMilliseconds = 50 }) { app in
            let bordeaux = try await Self.cookie(app, "agent.bordeaux")
            try await withSecondInstance(of: app) { other in
                let marie = try await other.token("marie.laurent")
                try await withLiveServer(app) { server in
                    let console = try await EventStream.open(server, "/bureau/direct", cookie: bordeaux)
                    #expect(await console.wait { $0.contains { $0.name == "ready" } })
                    var numbers: [String] = []
                    for _ in 0..<20 { numbers.append(try #require(try await other.generate(marie).object["number"] as? String)) }
                    #expect(await console.wait { Set($0.documents()).isSuperset(of: numbers) })
                    #expect(console.events.documents().count == numbers.count)
                    await console.close()
                }
            }
        }
    }

    /// A row whose transaction took its time but committed after a later one is still sent:
    /// the feed asks again from a moment before the newest row it saw.
    @Test(arguments: TestDatabase.available)
    func aRowCommittedLateIsNotMissed(_ db: TestDatabase) async throws {
        let clock = TestClock(referenceNow)
        try await withApp(db, clock: clock) { app in
            let marie = try await app.token("marie.laurent")
            var reader = LiveFeed.Reader(start: referenceNow.addingTimeInterval(-30), overlap: 2)
            let store = LiveFeedStore(db: app.db)
            let rule = InactivationRule(days: 7)
            _ = try await reader.read(store, rule: rule, now: clock.now) // the demo data's rows
            #expect(try await reader.read(store, rule: rule, now: clock.now).isEmpty)
            clock.set(referenceNow.addingTimeInterval(10))
            let later = try #require(try await app.generate(marie).object["number"] as? String)
            #expect(try await reader.read(store, rule: rule, now: clock.now).count == 1)
            // Registered 1.5 s before the newest row seen, committed only now.
            clock.set(referenceNow.addingTimeInterval(8.5))
            let late = try #require(try await app.generate(marie).object["number"] as? String)
            let changes = try await reader.read(store, rule: rule, now: clock.now)
            #expect(changes.count == 1 && changes[0].message(.fr).contains(late) && !changes[0].message(.fr).contains(later))
            #expect(try await reader.read(store, rule: rule, now: clock.now).isEmpty, "nothing twice")
        }
    }

    /// A burst larger than one read's page is read over several looks, each row once.
    @Test(arguments: TestDatabase.available)
    func aBurstLargerThanAReadIsReadOverSeveralLooks(_ db: TestDatabase) async throws {
        let clock = TestClock(referenceNow)
        try await withApp(db, clock: clock) { app in
            let marie = try await app.token("marie.laurent")
            let store = LiveFeedStore(db: app.db)
            let rule = InactivationRule(days: 7)
            var numbers: [String] = []
            for i in 0..<7 {
                clock.set(referenceNow.addingTimeInterval(60 + Double(i) / 10))
                numbers.append(try #require(try await app.generate(marie).object["number"] as? String))
            }
            var reader = LiveFeed.Reader(start: referenceNow.addingTimeInterval(59), overlap: 5, limit: 3)
            var seen: [String] = []
            for _ in 0..<6 {
                for c in try await reader.read(store, rule: rule, now: clock.now) {
                    seen += numbers.filter { c.message(.fr).contains($0) }
                }
            }
            #expect(seen == numbers, "every row once, in order")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aStreamEndsAfterItsLifetimeAndAStalePageIsToldToReadItselfAgain(_ db: TestDatabase) async throws {
        try await withApp(db, configure: { $0.liveIntervalMilliseconds = 50; $0.liveStreamSeconds = 1 }) { app in
            let bordeaux = try await Self.cookie(app, "agent.bordeaux")
            try await withLiveServer(app) { server in
                let stale = Int64((app.secours.now().addingTimeInterval(-120).timeIntervalSince1970 * 1000).rounded())
                let stream = try await EventStream.open(server, "/bureau/direct?depuis=\(stale)", cookie: bordeaux)
                #expect(await stream.wait { $0.map(\.name).prefix(2) == ["ready", "reset"] }, "\(stream.events.map(\.name))")
                // The server ends the stream after its lifetime: the reader stops by itself.
                let deadline = ContinuousClock.now + .seconds(10)
                while !stream.ended, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
                #expect(stream.ended, "the stream ended within its lifetime")
                await stream.close()
                // Recent enough: no reset.
                let recent = Int64((app.secours.now().timeIntervalSince1970 * 1000).rounded())
                let fresh = try await EventStream.open(server, "/bureau/direct?depuis=\(recent)", cookie: bordeaux)
                #expect(await fresh.wait { $0.contains { $0.name == "ready" } })
                try await Task.sleep(for: .milliseconds(200))
                #expect(!fresh.events.contains { $0.name == "reset" })
                await fresh.close()
            }
        }
    }
}
