import ArgumentParser
import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import SecoursAPIClient
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
                let client = try api.client(tokens[c]), excise = excises[c % excises.count]
                group.addTask {
                    var r = ClientResult()
                    var i = 0
                    while Date() < end {
                        let t0 = DispatchTime.now().uptimeNanoseconds
                        let answer = try await client.generateDocument(body: .json(.init(
                            _type: i % 2 == 0 ? .dae : .dsa, exciseNumber: excise, transport: "BENCH-\(c)", dispatchDate: dispatch, dispatchTime: "08:00")))
                        let t1 = DispatchTime.now().uptimeNanoseconds
                        i += 1
                        guard case let .created(created) = answer, let number = try? created.body.json.number else {
                            r.errors.append("\(answer)")
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
        let cid = try api.client(try await api.token(parts[0], parts[1]))
        let run = String(UInt32.random(in: 0..<UInt32.max), radix: 36).uppercased()
        let officeCode = "FR" + String(format: "%06d", Int.random(in: 0..<1_000_000))
        _ = try await cid.createOffice(body: .json(.init(code: officeCode, name: "Bureau import \(run)", email: "bench@douane.invalid"))).created
        let company = try await cid.createCompany(body: .json(.init(siren: Generate.siren(), name: "Import \(run)", address: "1 rue du Banc"))).created.body.json
        let login = "import.\(run.lowercased())"
        _ = try await cid.createUser(body: .json(.init(login: login, email: "\(login)@bench.invalid", password: "cuve-inox-2026",
                                                       role: ._operator, companyId: company.id))).created
        let excises = (0..<2).map { "FR" + String(("I" + run + String(repeating: "0", count: 11)).prefix(7)) + String(format: "%04d", $0) }
        for e in excises {
            _ = try await cid.createExciseNumber(body: .json(.init(number: e, companyId: company.id, officeCode: officeCode, mode: .dtiPlus))).created
            _ = try await cid.setRights(path: .init(number: e, login: login), body: .json(.init(rights: [.issueDaa, .issueDsa, .searchDaa, .searchDsa]))).ok
        }
        // The exchange alone is timed, as before: decoding the report of every entry is the
        // bench's time, not the service's.
        let exchange = ExchangeTimer()
        let importer = try api.client(try await api.token(login, "cuve-inox-2026"), timeout: 600, middlewares: [exchange])
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
            let answer = try await importer.importDocuments(body: .xml(HTTPBody(xml)))
            let (status, seconds) = exchange.last
            let report = try? answer.ok.body.json
            print(String(format: "%@: import %@: %d entries (%.1f MB) in %.2f s: %@ accepted, %@ already registered, %@ refused (HTTP %d)",
                         label, pass, entries, Double(xml.utf8.count) / 1_048_576, seconds,
                         report.map { "\($0.accepted)" } ?? "?", report.map { "\($0.alreadyRegistered)" } ?? "?", report.map { "\($0.refused)" } ?? "?", status))
            guard let report, report.refused == 0 else {
                print(String(describing: answer).prefix(600))
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
        let cid = try api.client(try await token(admin), timeout: 60)
        let op = try api.client(try await token(`operator`), timeout: 60)
        // Real values to look for, taken from the data.
        let sample = try await cid.searchDocuments(query: .init(status: "eq:active", sort: ._hyphen_registeredAt, perPage: 1)).ok.body.json
        guard let doc = sample.items.first else { throw BenchError("no sample document") }
        let number = doc.number, excise = doc.exciseNumber, transport = doc.transport
        let opNumber = try await op.searchDocuments(query: .init(perPage: 1)).ok.body.json.items.first?.number ?? number
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
        // Each criterion's query parameter, by its name in `queries`.
        let criteria: [String: WritableKeyPath<Operations.SearchDocuments.Input.Query, String?>] = [
            "number": \.number, "exciseNumber": \.exciseNumber, "transport": \.transport, "dispatchDate": \.dispatchDate,
            "registrationDate": \.registrationDate, "status": \.status, "actorType": \.actorType, "type": \._type,
            "registrationMode": \.registrationMode, "cancellationReason": \.cancellationReason, "reactivationReason": \.reactivationReason,
        ]
        var worst = 0.0
        for (role, client) in [("cid", cid), ("operator", op)] {
            for (field, value) in queries {
                var v = value
                if role == "operator", field == "number", value.hasPrefix("eq:") { v = "eq:" + opNumber }
                guard let criterion = criteria[field] else { throw BenchError("no query parameter for \(field)") }
                var query = Operations.SearchDocuments.Input.Query()
                query[keyPath: criterion] = v
                var times: [Double] = []
                var total = 0
                for _ in 0..<repeats {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    let answer = try await client.searchDocuments(query: query)
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                    guard case let .ok(ok) = answer else { throw BenchError("\(field)=\(v): \(answer)") }
                    total = try ok.body.json.total
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

/// The JSON API is called through the client generated from the service's OpenAPI document
/// (SecoursAPIClient), so that the bench builds only against the contract. Stay on the raw HTTP
/// client: what the document does not describe (HTML pages, the web sign-in form, the consoles'
/// event stream), and the downloads read whole for their status alone (`API.fetch`,
/// `RushClient.page`: the filled PDF form, and the alert board among the soak's public pages),
/// where the generated client would check no more than the path and would add its own handling
/// to the measured request.
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

    /// The generated client on this run's connection pool; with `token`, signed in.
    func client(_ token: String? = nil, timeout: Int64 = 30, middlewares: [any ClientMiddleware] = []) throws -> Client {
        try apiClient(http, base, token: token, timeout: timeout, middlewares: middlewares)
    }

    func token(_ login: String, _ password: String) async throws -> String {
        try await client().createToken(body: .json(.init(login: login, password: password))).ok.body.json.token
    }
}

/// A generated client of the JSON API at `base`, on `http`'s connection pool (so the run's
/// connection limits hold), each call cut after `timeout` seconds.
func apiClient(_ http: HTTPClient, _ base: String, token: String?, timeout: Int64, middlewares: [any ClientMiddleware] = []) throws -> Client {
    guard let url = URL(string: base) else { throw BenchError("not a URL: \(base)") }
    // Compact JSON, as the requests were before (the runtime pretty-prints by default).
    return Client(serverURL: url, configuration: .init(jsonEncodingOptions: []),
                  transport: AsyncHTTPClientTransport(configuration: .init(client: http, timeout: .seconds(timeout))),
                  middlewares: middlewares + (token.map { [BearerToken($0)] } ?? []))
}

/// The HTTP status and the time of the last exchange, from the request sent to the answer's body
/// read, before the generated client decodes it.
final class ExchangeTimer: ClientMiddleware, Sendable {
    private let measured = NIOLockedValueBox((status: 0, seconds: 0.0))

    var last: (status: Int, seconds: Double) { measured.withLockedValue { $0 } }

    func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        let t0 = Date()
        let (response, answer) = try await next(request, body, baseURL)
        var read: HTTPBody?
        if let answer { read = HTTPBody(try await Data(collecting: answer, upTo: 256 << 20)) }
        let seconds = Date().timeIntervalSince(t0)
        measured.withLockedValue { $0 = (response.status.code, seconds) }
        return (response, read)
    }
}

extension Operations.GenerateDocument.Output {
    /// The answer's HTTP status, which the generated answer gives by its case.
    var status: Int {
        switch self {
        case .created: 201
        case .badRequest: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .conflict: 409
        case .contentTooLarge: 413
        case .unsupportedMediaType: 415
        case .unprocessableContent: 422
        case .serviceUnavailable: 503
        case let .undocumented(code, _): code
        }
    }
}

extension Operations.SearchDocuments.Output {
    /// The answer's HTTP status, which the generated answer gives by its case.
    var status: Int {
        switch self {
        case .ok: 200
        case .badRequest: 400
        case .unauthorized: 401
        case .unprocessableContent: 422
        case .serviceUnavailable: 503
        case let .undocumented(code, _): code
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
