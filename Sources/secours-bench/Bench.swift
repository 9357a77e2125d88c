import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SecoursCore

/// `secours-bench generate`: sets up operators on a running server, has concurrent clients
/// generate numbers through the API for a fixed time, then checks that no number was issued
/// twice and that each excise number's sequence has no gap, and prints the figures.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "secours-bench", subcommands: [Generate.self, Import.self, Search.self, Forms.self, Soak.self, Rush.self])
}

struct Generate: AsyncParsableCommand {
    @Option(help: "Base URL of the server.") var url: String
    @Option(help: "CID login:password on that server.") var admin: String
    @Option(help: "Concurrent clients.") var clients = 32
    @Option(help: "Excise numbers the clients share.") var exciseNumbers = 8
    @Option(help: "Measured duration, seconds.") var seconds = 20.0
    @Option(help: "Warm-up, seconds (not measured).") var warmup = 2.0
    @Option(help: "Label printed with the results.") var label = "server"

    func run() async throws {
        try await API.with(url, connections: clients) { try await measure($0) }
    }

    func measure(_ api: API) async throws {

        // setup
        let fixture = try await Fixture.make(api, admin: admin, clients: clients, exciseNumbers: exciseNumbers, tag: "bench", letter: "B")
        let tokens = fixture.tokens, excises = fixture.excises

        // act
        let dispatch = ParisDay(Date().addingTimeInterval(86_400)).iso
        let start = Date()
        let measureFrom = start.addingTimeInterval(warmup)
        let end = measureFrom.addingTimeInterval(seconds)
        let results = try await withThrowingTaskGroup(of: ClientResult.self) { group in
            for c in 0..<clients {
                let token = tokens[c], excise = excises[c % excises.count]
                group.addTask {
                    var r = ClientResult()
                    var i = 0
                    while Date() < end {
                        let t0 = DispatchTime.now().uptimeNanoseconds
                        let (status, body) = try await api.raw(.POST, "/api/v1/documents", token, [
                            "type": i % 2 == 0 ? "DAE" : "DSA", "exciseNumber": excise, "transport": "BENCH-\(c)",
                            "dispatchDate": dispatch, "dispatchTime": "08:00",
                        ])
                        let t1 = DispatchTime.now().uptimeNanoseconds
                        i += 1
                        guard status == 201, let number = body["number"] as? String else {
                            r.errors.append("\(status) \(body)")
                            continue
                        }
                        r.numbers.append(number)
                        if Date() >= measureFrom { r.latencies.append(Double(t1 - t0) / 1e6) }
                    }
                    return r
                }
            }
            var all: [ClientResult] = []
            for try await r in group { all.append(r) }
            return all
        }

        // check
        let numbers = results.flatMap(\.numbers)
        let errors = results.flatMap(\.errors)
        let latencies = results.flatMap(\.latencies).sorted()
        var bySequence: [String: [Int]] = [:]
        var unreadable = 0
        for n in numbers {
            guard let parsed = try? FallbackNumber(parsingGenerated: n) else { unreadable += 1; continue }
            bySequence[parsed.exciseNumber.value, default: []].append(parsed.sequence)
        }
        let duplicates = numbers.count - Set(numbers).count
        var gaps = 0
        for (_, seqs) in bySequence where seqs.sorted() != Array(1...seqs.count) { gaps += 1 }
        let rate = Double(latencies.count) / seconds
        print(String(format: "%@: %d clients, %d excise numbers, %.0f s measured: %.0f numbers/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                     label, clients, exciseNumbers, seconds, rate, percentile(latencies, 0.50), percentile(latencies, 0.99), latencies.last ?? 0))
        print("\(label): \(numbers.count) numbers issued, \(duplicates) duplicates, \(gaps) excise numbers with a gap, \(unreadable) unreadable, \(errors.count) errors")
        for e in errors.prefix(5) { print("  error: \(e)") }
        if duplicates > 0 || gaps > 0 || unreadable > 0 || !errors.isEmpty { throw ExitCode(1) }
    }

    /// A random SIREN with a valid Luhn key.
    static func siren() -> String {
        while true {
            let s = String(format: "%09d", Int.random(in: 100_000_000..<999_999_999))
            if (try? AccountRules.siren(s)) != nil { return s }
        }
    }
}

/// `secours-bench import`: one XML file of `entries` manual numbers over two DTI+ excise numbers,
/// posted once (all accepted) and once more (all already registered), timed.
struct Import: AsyncParsableCommand {
    @Option(help: "Base URL of the server.") var url: String
    @Option(help: "CID login:password on that server.") var admin: String
    @Option(help: "Entries in the file.") var entries = 100_000
    @Option(help: "Label printed with the results.") var label = "server"

    func run() async throws {
        try await API.with(url, connections: 2) { try await measure($0) }
    }

    func measure(_ api: API) async throws {
        let parts = admin.split(separator: ":", maxSplits: 1).map(String.init)
        let adminToken = try await api.token(parts[0], parts[1])
        let run = String(UInt32.random(in: 0..<UInt32.max), radix: 36).uppercased()
        let officeCode = "FR" + String(format: "%06d", Int.random(in: 0..<1_000_000))
        try await api.post("/api/v1/offices", adminToken, ["code": officeCode, "name": "Bureau import \(run)", "email": "bench@douane.invalid"])
        let company = try await api.post("/api/v1/companies", adminToken, ["siren": Generate.siren(), "name": "Import \(run)", "address": "1 rue du Banc"])
        let login = "import.\(run.lowercased())"
        try await api.post("/api/v1/users", adminToken, ["login": login, "email": "\(login)@bench.invalid", "password": "cuve-inox-2026",
                                                         "role": "operator", "companyId": company["id"] as! String])
        let excises = (0..<2).map { "FR" + String(("I" + run + String(repeating: "0", count: 11)).prefix(7)) + String(format: "%04d", $0) }
        for e in excises {
            try await api.post("/api/v1/excise-numbers", adminToken, ["number": e, "companyId": company["id"] as! String, "officeCode": officeCode, "mode": "DTI+"])
            try await api.put("/api/v1/excise-numbers/\(e)/rights/\(login)", adminToken, ["rights": ["issue-daa", "issue-dsa", "search-daa", "search-dsa"]])
        }
        let token = try await api.token(login, "cuve-inox-2026")
        let day = ParisDay(Date().addingTimeInterval(-86_400))
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<importGPS>\n"
        for i in 0..<entries {
            let excise = try ExciseNumber(parsing: excises[i % 2])
            let type: DocumentType = i % 3 == 0 ? .dsa : .dae
            let number = try FallbackNumber.manual(year: day.shortYear, exciseNumber: excise, sequence: i / 2 + 1, type: type)
            xml += "<document><numero>\(number)</numero><type>\(type.rawValue)</type><numeroAccise>\(excise)</numeroAccise>"
                + "<immatriculation>TR-\(i)</immatriculation><dateExpedition>\(day.iso)</dateExpedition><heureExpedition>08:00</heureExpedition></document>\n"
        }
        xml += "</importGPS>\n"
        for pass in ["first", "again"] {
            var request = HTTPClientRequest(url: api.base + "/api/v1/imports")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/xml")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.body = .bytes(ByteBuffer(string: xml))
            let t0 = Date()
            let response = try await api.http.execute(request, timeout: .seconds(600))
            let body = try await response.body.collect(upTo: 256 << 20)
            let seconds = Date().timeIntervalSince(t0)
            let json = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
            print(String(format: "%@: import %@: %d entries (%.1f MB) in %.2f s: %@ accepted, %@ already registered, %@ refused (HTTP %d)",
                         label, pass, entries, Double(xml.utf8.count) / 1_048_576, seconds,
                         "\(json["accepted"] ?? "?")", "\(json["alreadyRegistered"] ?? "?")", "\(json["refused"] ?? "?")", Int(response.status.code)))
            guard response.status == .ok, (json["refused"] as? Int) == 0 else {
                print(String(buffer: body).prefix(600))
                throw ExitCode(1)
            }
        }
    }
}

/// `secours-bench search`: on a database filled by `secours-fixtures search`, times every criterion and
/// comparator of the search through the API, for the CID (all documents) and for an operator
/// (two excise numbers), and prints p50/p95 per query.
struct Search: AsyncParsableCommand {
    @Option(help: "Base URL of the server.") var url: String
    @Option(help: "CID login:password on that server.") var admin: String
    @Option(help: "Operator login:password on that server.") var `operator`: String
    @Option(help: "Requests per query.") var repeats = 20
    @Option(help: "Label printed with the results.") var label = "server"

    func run() async throws {
        try await API.with(url, connections: 2) { try await measure($0) }
    }

    func measure(_ api: API) async throws {
        func token(_ pair: String) async throws -> String {
            let p = pair.split(separator: ":", maxSplits: 1).map(String.init)
            return try await api.token(p[0], p[1])
        }
        let cid = try await token(admin)
        let op = try await token(`operator`)
        // Real values to look for, taken from the data.
        let (_, sample) = try await api.get("/api/v1/documents?perPage=1&sort=-registeredAt&status=eq:active", cid)
        guard let doc = (sample["items"] as? [[String: Any]])?.first, let number = doc["number"] as? String,
              let excise = doc["exciseNumber"] as? String, let transport = doc["transport"] as? String else { throw BenchError("no sample document") }
        let (_, opSample) = try await api.get("/api/v1/documents?perPage=1", op)
        let opNumber = ((opSample["items"] as? [[String: Any]])?.first?["number"] as? String) ?? number
        let n = Array(number), e = Array(excise)
        let queries: [(String, String)] = [
            ("number", "eq:\(number)"), ("number", "starts:\(String(n[0..<12]))"), ("number", "ends:\(String(n[14...]))"), ("number", "contains:\(String(n[8..<16]))"),
            ("exciseNumber", "eq:\(excise)"), ("exciseNumber", "starts:\(String(e[0..<9]))"), ("exciseNumber", "ends:\(String(e[8...]))"), ("exciseNumber", "contains:\(String(e[5..<11]))"),
            ("transport", "eq:\(transport)"), ("transport", "starts:AB-1"), ("transport", "ends:7-XY"), ("transport", "contains:-12"),
            ("dispatchDate", "eq:2026-03-15"), ("dispatchDate", "before:2026-02-01"), ("dispatchDate", "after:2026-09-01"),
            ("registrationDate", "eq:2026-06-01"), ("registrationDate", "before:2026-01-15"), ("registrationDate", "after:2026-10-01"),
            ("status", "eq:inactive"), ("actorType", "eq:edi-provider"), ("type", "eq:DSA"), ("registrationMode", "eq:a-posteriori"),
            ("cancellationReason", "eq:document-error"), ("reactivationReason", "eq:other"),
        ]
        var worst = 0.0
        for (role, tokenValue) in [("cid", cid), ("operator", op)] {
            for (field, value) in queries {
                var v = value
                if role == "operator", field == "number", value.hasPrefix("eq:") { v = "eq:" + opNumber }
                let path = "/api/v1/documents?\(field)=\(v.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: ":-"))) ?? v)"
                var times: [Double] = []
                var total = 0
                for _ in 0..<repeats {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    let (status, json) = try await api.get(path, tokenValue)
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                    guard status == 200 else { throw BenchError("\(path): \(status) \(json)") }
                    total = json["total"] as? Int ?? -1
                }
                times.sort()
                let p95 = times[min(times.count - 1, Int(Double(times.count) * 0.95))]
                worst = max(worst, p95)
                print(String(format: "%@ %@ %@=%@: p50 %.1f ms, p95 %.1f ms (%d results)", label, role, field, v, times[times.count / 2], p95, total))
            }
        }
        print(String(format: "%@: worst p95 %.1f ms", label, worst))
    }
}

struct ClientResult: Sendable {
    var numbers: [String] = []
    var latencies: [Double] = []
    var errors: [String] = []
}

struct API: Sendable {
    let http: HTTPClient
    let base: String

    /// Runs `body` with a client for `base`, shut down afterwards whatever happens.
    static func with(_ base: String, connections: Int, _ body: (API) async throws -> Void) async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton,
                              configuration: .init(connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)))
        do {
            try await body(API(http: http, base: base))
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    func raw(_ method: HTTPMethod, _ path: String, _ token: String?, _ body: [String: Any]) async throws -> (Int, [String: Any]) {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: body))))
        let response = try await http.execute(request, timeout: .seconds(30))
        let data = try await response.body.collect(upTo: 1 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(data.readableBytesView))) as? [String: Any] ?? [:]
        return (Int(response.status.code), json)
    }

    func get(_ path: String, _ token: String) async throws -> (Int, [String: Any]) {
        var request = HTTPClientRequest(url: base + path)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await http.execute(request, timeout: .seconds(60))
        let data = try await response.body.collect(upTo: 16 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(data.readableBytesView))) as? [String: Any] ?? [:]
        return (Int(response.status.code), json)
    }

    @discardableResult
    func post(_ path: String, _ token: String?, _ body: [String: Any]) async throws -> [String: Any] {
        let (status, json) = try await raw(.POST, path, token, body)
        guard (200..<300).contains(status) else { throw BenchError("POST \(path): \(status) \(json)") }
        return json
    }

    func put(_ path: String, _ token: String?, _ body: [String: Any]) async throws {
        let (status, json) = try await raw(.PUT, path, token, body)
        guard (200..<300).contains(status) else { throw BenchError("PUT \(path): \(status) \(json)") }
    }

    func token(_ login: String, _ password: String) async throws -> String {
        guard let t = try await post("/api/v1/auth/token", nil, ["login": login, "password": password])["token"] as? String else {
            throw BenchError("no token for \(login)")
        }
        return t
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
