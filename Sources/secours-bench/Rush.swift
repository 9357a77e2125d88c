import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import SecoursAPIClient
import SecoursCore

/// `secours-bench rush`: a national outage compressed in time, against one or more server
/// processes on one database filled by `secours-fixtures rush`. Offices' consoles
/// connect first and stay connected; the CID publishes a red alert; then every operator loads the
/// weather page, walks the diagnosis, signs in unless already signed in, generates three numbers
/// and fetches one filled form. Prints per step the throughput, p50, p99 and errors, the console
/// lag from a number's registration to its arrival, and checks that no number was issued twice
/// and that every console saw every number of its office's operators.
struct Rush: AsyncParsableCommand {
    @Option(help: "Base URLs of the server processes, comma-separated.") var urls: String
    @Option(help: "CID login:password.") var admin: String
    @Option(help: "Fixture written by `secours-fixtures rush`.") var fixture: String
    @Option(help: "Password of the fixture's accounts.") var password = "cuve-inox-2026"
    @Option(help: "Operators taken from the fixture (all by default).") var operators: Int?
    @Option(help: "Operators at work at the same time.") var clients = 64
    @Option(help: "Consoles connected (spread over the offices).") var consoles = 500
    @Option(help: "Seconds left for the last events to arrive.") var tail = 3.0

    struct Operator {
        let login: String
        let excise: String
        let office: Int
        let token: String?
    }

    func run() async throws {
        let bases = urls.split(separator: ",").map(String.init)
        guard !bases.isEmpty else { throw ValidationError("--urls is empty") }
        var ops: [Operator] = []
        var officers: [Int: String] = [:]
        for line in try String(contentsOfFile: fixture, encoding: .utf8).split(separator: "\n") {
            let f = line.split(separator: " ").map(String.init)
            if f.first == "operator", f.count == 5 { ops.append(Operator(login: f[1], excise: f[2], office: Int(f[3])!, token: f[4] == "-" ? nil : f[4])) }
            if f.first == "officer", f.count == 3 { officers[Int(f[2])!] = f[1] }
        }
        if let operators { ops = Array(ops.prefix(operators)) }
        guard !ops.isEmpty, !officers.isEmpty else { throw ValidationError("the fixture has no operator or no officer") }
        let http = HTTPClient(eventLoopGroupProvider: .singleton,
                              configuration: .init(redirectConfiguration: .disallow,
                                                   connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: clients + consoles + 64)))
        do {
            try await measure(http, bases, ops, officers)
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    func measure(_ http: HTTPClient, _ bases: [String], _ ops: [Operator], _ officers: [Int: String]) async throws {
        let client = RushClient(http: http)
        let steps = StepLog()

        // 1. The consoles: each office's officer signs in once (on the process after its
        // operators', so that their numbers cross processes), then `consoles` streams connect.
        print("consoles: \(consoles) over \(officers.count) offices")
        let offices = officers.keys.sorted()
        var cookies: [Int: String] = [:]
        for batch in stride(from: 0, to: offices.count, by: 4).map({ Array(offices[$0..<min($0 + 4, offices.count)]) }) {
            try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for k in batch {
                    group.addTask { (k, try await client.webSignIn(bases[(k + 1) % bases.count], officers[k]!, password, steps: nil)) }
                }
                for try await (k, cookie) in group { cookies[k] = cookie }
            }
        }
        var streams: [(office: Int, stream: ConsoleStream)] = []
        for c in 0..<consoles {
            let k = offices[c % offices.count]
            let base = bases[(k + 1) % bases.count]
            streams.append((k, try await ConsoleStream.open(http, base, cookie: cookies[k]!)))
        }
        let readyBy = Date().addingTimeInterval(60)
        while streams.contains(where: { !$0.stream.isReady }), Date() < readyBy { try await Task.sleep(for: .milliseconds(50)) }
        guard !streams.contains(where: { !$0.stream.isReady }) else { throw BenchError("some consoles never got ready") }

        // 2. The CID publishes a red alert on one process; another shows it on its weather page.
        let parts = admin.split(separator: ":", maxSplits: 1).map(String.init)
        let cid = try client.api(bases[0], token: try await client.token(bases[0], parts[0], parts[1]))
        let title = "Panne nationale GAMMA \(Int.random(in: 1000...9999))"
        let published = Date()
        let answer = try await cid.publishAlert(body: .json(.init(level: .red, services: [.gamma], modes: [.dti, .dtiPlus, .edi], title: title,
                                                                  description: "GAMMA est indisponible sur tout le territoire.")))
        guard case .created = answer else { throw BenchError("publishing the alert: \(answer)") }
        let other = bases[bases.count > 1 ? 1 : 0]
        var seenAfter: Double?
        while Date().timeIntervalSince(published) < 10 {
            let (s, body) = try await client.page(other, "/meteo", token: nil)
            if s == 200, body.contains(title) { seenAfter = Date().timeIntervalSince(published); break }
            try await Task.sleep(for: .milliseconds(10))
        }
        print(String(format: "alert published on %@, on the weather page of %@ after %@", bases[0], other,
                     seenAfter.map { String(format: "%.0f ms", $0 * 1000) } ?? "more than 10 s (FAILED)"))

        // 3. The operators.
        let dispatch = ParisDay(Date().addingTimeInterval(86_400)).iso
        let queue = NIOLockedValueBox(0)
        let generated = NIOLockedValueBox([Int: [String]]())
        let answered = NIOLockedValueBox([String: Double]())
        let start = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<min(clients, ops.count) {
                group.addTask {
                    while true {
                        let i: Int = queue.withLockedValue { n in defer { n += 1 }; return n }
                        guard i < ops.count else { return }
                        let op = ops[i]
                        let base = bases[op.office % bases.count]
                        do {
                            let numbers = try await walk(client, base, op, dispatch: dispatch, steps: steps, answered: answered)
                            generated.withLockedValue { $0[op.office, default: []].append(contentsOf: numbers) }
                        } catch {
                            steps.error("sign-in", "\(op.login): \(error)")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = Date().timeIntervalSince(start)
        try await Task.sleep(for: .milliseconds(Int(tail * 1000)))

        // 4. Figures and checks.
        print(String(format: "operators: %d in %.1f s (%d at a time), %d server process(es)", ops.count, elapsed, clients, bases.count))
        print("step        requests     req/s       p50       p99   errors   busy (503, retried)")
        for name in StepLog.order {
            let s = steps.figures(name)
            guard s.count > 0 || s.errors > 0 else { continue }
            print(name.padding(toLength: 10, withPad: " ", startingAt: 0)
                + String(format: " %9d %9.0f %6.1f ms %6.1f ms %8d %6d", s.count, Double(s.count) / elapsed, s.p50, s.p99, s.errors, s.busy))
        }
        for e in steps.errorSamples.prefix(5) { print("  error: \(e)") }
        let byOffice = generated.withLockedValue { $0 }
        let all = byOffice.values.flatMap { $0 }
        let duplicates = all.count - Set(all).count
        var missing = 0
        var lags: [Double] = []
        var fromAnswer: [Double] = []
        var received = 0
        var doubled = 0
        var reconnects = 0
        let answers = answered.withLockedValue { $0 }
        for (office, stream) in streams {
            let seen = stream.arrivals
            missing += Set(byOffice[office] ?? []).subtracting(seen.keys).count
            lags += stream.lags
            received += stream.lags.count
            doubled += stream.duplicates
            reconnects += stream.reconnects
            for (key, at) in seen { if let answer = answers[key] { fromAnswer.append(at - answer) } }
            await stream.close()
        }
        lags.sort()
        fromAnswer.sort()
        print(String(format: "numbers: %d generated (%.0f/s), %d duplicate(s)", all.count, Double(all.count) / elapsed, duplicates))
        print(String(format: "consoles: %d events received (%d twice, %d reconnection(s)); %d number(s) missing from a console of their office",
                     received, doubled, reconnects, missing))
        print(String(format: "console lag from registration: p50 %.0f ms, p99 %.0f ms, max %.0f ms", percentile(lags, 0.5), percentile(lags, 0.99), lags.last ?? 0))
        print(String(format: "console lag from the 201 answer: p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                     percentile(fromAnswer, 0.5), percentile(fromAnswer, 0.99), fromAnswer.last ?? 0))
        let errors = StepLog.order.map { steps.figures($0).errors }.reduce(0, +)
        if duplicates > 0 || missing > 0 || errors > 0 || seenAfter == nil {
            throw BenchError("rush: \(errors) error(s), \(duplicates) duplicate(s), \(missing) missing from consoles")
        }
    }

    /// One operator's outage: weather, diagnosis, sign-in if needed, three numbers, one form.
    func walk(_ client: RushClient, _ base: String, _ op: Operator, dispatch: String, steps: StepLog,
              answered: NIOLockedValueBox<[String: Double]>) async throws -> [String] {
        try await steps.time("weather") { try await client.page(base, "/meteo", token: nil).0 == 200 }
        for path in ["/diagnostic", "/diagnostic/gamma", "/diagnostic/gamma?r=emit", "/diagnostic/gamma?r=emit.dti"] {
            try await steps.time("diagnosis") { try await client.page(base, path, token: nil).0 == 200 }
        }
        var token = op.token
        if token == nil {
            token = try await client.signIn(base, op.login, password, steps: steps)
        }
        guard let token else { return [] }
        let api = try client.api(base, token: token)
        var numbers: [String] = []
        for n in 0..<3 {
            var number: String?
            try await steps.time("generate") {
                let answer = try await api.generateDocument(body: .json(.init(
                    _type: .dae, exciseNumber: op.excise, transport: "RUSH-\(n)", dispatchDate: dispatch, dispatchTime: "08:00")))
                guard case let .created(created) = answer else { return false }
                number = try created.body.json.number
                if let number { answered.withLockedValue { $0[number] = Date().timeIntervalSince1970 * 1000 } }
                return true
            }
            if let number { numbers.append(number) }
        }
        if let first = numbers.first {
            try await steps.time("form") { try await client.page(base, "/api/v1/documents/\(first)/form.pdf", token: token).0 == 200 }
        }
        return numbers
    }
}

/// Latencies and errors per step, from every client.
final class StepLog: Sendable {
    static let order = ["weather", "diagnosis", "sign-in", "generate", "form"]
    private struct Step { var latencies: [Double] = []; var errors = 0; var busy = 0 }
    private let steps = NIOLockedValueBox([String: Step]())
    private let samples = NIOLockedValueBox([String]())

    /// Times `body`; false or a thrown error counts as an error.
    func time(_ name: String, _ body: () async throws -> Bool) async throws {
        let t0 = ContinuousClock.now
        var ok = false
        var failure = "\(name): unexpected answer"
        do { ok = try await body() } catch { failure = "\(name): \(error)" }
        let ms = Double((ContinuousClock.now - t0) / .microseconds(1)) / 1000
        steps.withLockedValue { s in
            if ok { s[name, default: Step()].latencies.append(ms) } else { s[name, default: Step()].errors += 1 }
        }
        if !ok { note(failure) }
    }

    func record(_ name: String, ms: Double) { steps.withLockedValue { $0[name, default: Step()].latencies.append(ms) } }
    func busy(_ name: String) { steps.withLockedValue { $0[name, default: Step()].busy += 1 } }
    func error(_ name: String, _ what: String) {
        steps.withLockedValue { $0[name, default: Step()].errors += 1 }
        note("\(name): \(what)")
    }

    private func note(_ s: String) { samples.withLockedValue { if $0.count < 20 { $0.append(s) } } }
    var errorSamples: [String] { samples.withLockedValue { $0 } }

    func figures(_ name: String) -> (count: Int, p50: Double, p99: Double, errors: Int, busy: Int) {
        let s = steps.withLockedValue { $0[name] ?? Step() }
        let l = s.latencies.sorted()
        return (l.count, percentile(l, 0.5), percentile(l, 0.99), s.errors, s.busy)
    }
}

/// The JSON API through the generated client; raw HTTP for the pages, the PDF form (a download
/// read whole), the web sign-in form and the consoles' stream (see `API` for why).
struct RushClient: Sendable {
    let http: HTTPClient

    /// The generated client on process `base`, on the run's one connection pool.
    func api(_ base: String, token: String? = nil) throws -> Client {
        try apiClient(http, base, token: token, timeout: 60)
    }

    func page(_ base: String, _ path: String, token: String?) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: base + path)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await http.execute(request, timeout: .seconds(60))
        let data = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), String(buffer: data))
    }

    func token(_ base: String, _ login: String, _ password: String) async throws -> String {
        let answer = try await api(base).createToken(body: .json(.init(login: login, password: password)))
        guard case let .ok(ok) = answer else { throw BenchError("no token for \(login): \(answer)") }
        return try ok.body.json.token
    }

    /// An API sign-in as an operator's client makes it: a 503 (sign-ins full) is waited out as its
    /// `Retry-After` says, then tried again; the step's time is the whole wait.
    func signIn(_ base: String, _ login: String, _ password: String, steps: StepLog) async throws -> String? {
        let api = try api(base)
        let t0 = ContinuousClock.now
        for _ in 0..<100 {
            let answer = try await api.createToken(body: .json(.init(login: login, password: password)))
            switch answer {
            case let .ok(ok):
                let token = try ok.body.json.token
                steps.record("sign-in", ms: Double((ContinuousClock.now - t0) / .microseconds(1)) / 1000)
                return token
            case let .serviceUnavailable(busy):
                steps.busy("sign-in")
                let wait = busy.headers.retryAfter.flatMap(Double.init) ?? 1
                try await Task.sleep(for: .milliseconds(Int(wait * 1000 * Double.random(in: 0.5...1.5))))
            default:
                steps.error("sign-in", "\(answer)")
                return nil
            }
        }
        steps.error("sign-in", "still busy after 100 tries")
        return nil
    }

    /// Signs in through the sign-in page, as a browser; gives the session cookie.
    func webSignIn(_ base: String, _ login: String, _ password: String, steps: StepLog?) async throws -> String {
        for _ in 0..<100 {
            var request = HTTPClientRequest(url: base + "/connexion")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.headers.add(name: "Origin", value: base)
            request.body = .bytes(ByteBuffer(string: "login=\(login)&password=\(password)"))
            let response = try await http.execute(request, timeout: .seconds(60))
            _ = try await response.body.collect(upTo: 1 << 20)
            if response.status == .serviceUnavailable {
                try await Task.sleep(for: .milliseconds(500))
                continue
            }
            for value in response.headers["Set-Cookie"] where value.hasPrefix("secours_session=") {
                return String(value.dropFirst("secours_session=".count).prefix { $0 != ";" })
            }
            throw BenchError("web sign-in of \(login): \(response.status)")
        }
        throw BenchError("web sign-in of \(login): still busy")
    }
}

/// One console's live stream: the numbers it received, when, and how late each came. When the
/// server ends the stream (its lifetime) it connects again with `Last-Event-ID`, as a browser does.
final class ConsoleStream: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""
    private var ready = false
    private var lastID: String?
    private var firstSeen: [String: Double] = [:]
    private var lateness: [Double] = []
    private var twice = 0
    private var reconnections = 0
    private var reader: Task<Void, Never>?

    static func open(_ http: HTTPClient, _ base: String, cookie: String) async throws -> ConsoleStream {
        let stream = ConsoleStream()
        let first = try await stream.connect(http, base, cookie: cookie)
        stream.reader = Task {
            var body: HTTPClientResponse.Body? = first
            while !Task.isCancelled {
                if let current = body {
                    do { for try await chunk in current { stream.append(String(buffer: chunk)) } } catch {}
                }
                guard !Task.isCancelled else { return }
                stream.lock.withLock { stream.reconnections += 1; stream.buffer = "" }
                try? await Task.sleep(for: .milliseconds(200))
                body = try? await stream.connect(http, base, cookie: cookie)
            }
        }
        return stream
    }

    private func connect(_ http: HTTPClient, _ base: String, cookie: String) async throws -> HTTPClientResponse.Body {
        var request = HTTPClientRequest(url: base + "/bureau/direct")
        request.headers.add(name: "Accept", value: "text/event-stream")
        request.headers.add(name: "Cookie", value: "secours_session=\(cookie)")
        if let last = lock.withLock({ lastID }) { request.headers.add(name: "Last-Event-ID", value: last) }
        let response = try await http.execute(request, timeout: .seconds(3600))
        guard response.status == .ok else { throw BenchError("console stream: \(response.status)") }
        return response.body
    }

    private func append(_ text: String) {
        let now = Date().timeIntervalSince1970 * 1000
        lock.withLock {
            buffer += text
            while let end = buffer.range(of: "\n\n") {
                let block = String(buffer[..<end.lowerBound])
                buffer = String(buffer[end.upperBound...])
                let lines = block.split(separator: "\n")
                if let id = lines.first(where: { $0.hasPrefix("id: ") }) { lastID = String(id.dropFirst(4)) }
                if block.contains("event: ready") { ready = true }
                guard block.contains("event: document"), let data = lines.first(where: { $0.hasPrefix("data: ") }),
                      let object = try? JSONSerialization.jsonObject(with: Data(data.dropFirst(6).utf8)) as? [String: Any],
                      let key = object["key"] as? String, let at = object["at"] as? Double else { continue }
                if firstSeen[key] != nil { twice += 1; continue }
                firstSeen[key] = now
                lateness.append(now - at)
            }
        }
    }

    var isReady: Bool { lock.withLock { ready } }
    /// Each number received, with when it first arrived (ms since 1970).
    var arrivals: [String: Double] { lock.withLock { firstSeen } }
    var lags: [Double] { lock.withLock { lateness } }
    var duplicates: Int { lock.withLock { twice } }
    var reconnects: Int { lock.withLock { reconnections } }

    func close() async {
        reader?.cancel()
        _ = await reader?.value
    }
}
