import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import OpenAPIRuntime
import SecoursAPIClient
import SecoursCore

/// `secours-bench soak`: mixed traffic for a long time (generation, search, PDF forms, public
/// pages) against a running server, sampling the server's resident memory and open file
/// descriptors from `/proc/PID` as it goes. Prints one line per sample, then throughput, the 5xx
/// count and the slope of memory over the second half; fails on any 5xx or when memory over the
/// second half is not flat within `--flat-percent`.
struct Soak: AsyncParsableCommand {
    @Option(help: "Base URL of the server.") var url: String
    @Option(help: "CID login:password on that server.") var admin: String
    @Option(help: "Process id of the server (same machine), for its memory and descriptors.") var pid: Int32
    @Option(help: "Concurrent clients.") var clients = 16
    @Option(help: "Excise numbers the clients share.") var exciseNumbers = 16
    @Option(help: "Duration, seconds.") var seconds = 1800.0
    @Option(help: "Seconds between two samples.") var sample = 30.0
    @Option(help: "Largest spread of memory over the second half, in % of its mean.") var flatPercent = 10.0
    @Option(help: "Label printed with the results.") var label = "server"
    @Option(help: "The round each client goes through (generate, search, page, pdf).")
    var mix = "generate,search,page,pdf,search,page,generate,page"

    func run() async throws {
        try await API.with(url, connections: clients) { try await soak($0) }
    }

    /// What the clients did, shared with the sampler.
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private var requests = 0
        private var serverErrors = 0
        private var otherErrors: [String] = []
        private var byKind: [String: Int] = [:]

        func record(_ kind: String, status: Int) {
            lock.lock(); defer { lock.unlock() }
            requests += 1
            byKind[kind, default: 0] += 1
            if status >= 500 { serverErrors += 1 }
            if status >= 400 && status < 500 && otherErrors.count < 20 { otherErrors.append("\(kind): \(status)") }
        }

        func failed(_ kind: String, _ error: Error) {
            lock.lock(); defer { lock.unlock() }
            requests += 1
            if otherErrors.count < 20 { otherErrors.append("\(kind): \(error)") }
        }

        var snapshot: (requests: Int, serverErrors: Int, otherErrors: [String], byKind: [String: Int]) {
            lock.lock(); defer { lock.unlock() }
            return (requests, serverErrors, otherErrors, byKind)
        }
    }

    struct Sample {
        let elapsed: Double
        let requests: Int
        let residentMB: Double
        let descriptors: Int
    }

    /// Least-squares slope of y over x.
    static func slope(_ xs: [Double], _ ys: [Double]) -> Double {
        let n = Double(xs.count)
        let mx: Double = xs.reduce(0, +) / n
        let my: Double = ys.reduce(0, +) / n
        var covariance = 0.0
        var variance = 0.0
        for (x, y) in zip(xs, ys) {
            covariance += (x - mx) * (y - my)
            variance += (x - mx) * (x - mx)
        }
        return variance > 0 ? covariance / variance : 0
    }

    /// Samples of the server, taken by the sampler task and read at the end.
    final class Sampler: @unchecked Sendable {
        private let lock = NSLock()
        private var samples: [Sample] = []
        let pid: Int32
        let start: Date
        let tally: Tally

        init(pid: Int32, start: Date, tally: Tally) {
            self.pid = pid
            self.start = start
            self.tally = tally
        }

        func take() {
            let s = tally.snapshot
            let sample = Sample(elapsed: Date().timeIntervalSince(start), requests: s.requests,
                                residentMB: Soak.residentMB(pid) ?? -1, descriptors: Soak.descriptors(pid))
            lock.lock()
            let rate = samples.last.map { Double(sample.requests - $0.requests) / max(0.001, sample.elapsed - $0.elapsed) } ?? 0
            samples.append(sample)
            lock.unlock()
            // Unbuffered: a long run shows its samples as they come, even through a pipe.
            let line = String(format: "  %6.0f s  %6.0f  %4d  %7.1f  %4d\n", sample.elapsed, rate, s.serverErrors, sample.residentMB, sample.descriptors)
            FileHandle.standardOutput.write(Data(line.utf8))
        }

        var all: [Sample] {
            lock.lock(); defer { lock.unlock() }
            return samples
        }
    }

    static func residentMB(_ pid: Int32) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kb / 1024
    }

    static func descriptors(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }

    func soak(_ api: API) async throws {
        // setup: a company, its excise numbers, one operator per client, a red alert on GAMMA.
        let fixture = try await Fixture.make(api, admin: admin, clients: clients, exciseNumbers: exciseNumbers, tag: "soak", letter: "S")
        let tokens = fixture.tokens, excises = fixture.excises

        // act: each client goes round a mix of what an outage brings.
        let tally = Tally()
        let dispatch = ParisDay(Date().addingTimeInterval(86_400)).iso
        let start = Date()
        let end = start.addingTimeInterval(seconds)
        // The public addresses anyone may load during an outage, each read whole for its status
        // only: the alert board's JSON like the pages, undecoded.
        let pages = ["/meteo", "/meteo/alertes.atom", "/diagnostic", "/connexion", "/api/v1/alerts"]
        let kinds = mix.split(separator: ",").map(String.init)
        guard !kinds.isEmpty, kinds.allSatisfy(["generate", "search", "page", "pdf"].contains) else {
            throw ValidationError("--mix: generate, search, page or pdf, separated by commas")
        }
        FileHandle.standardOutput.write(Data("\(label): soak of \(Int(seconds)) s, \(clients) clients, sample every \(Int(sample)) s\n  elapsed   req/s   5xx   RSS MB   fds\n".utf8))
        let sampler = Sampler(pid: pid, start: start, tally: tally)
        sampler.take()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for c in 0..<clients {
                let token = tokens[c], excise = excises[c % excises.count]
                // The timeouts the raw calls had: 30 s for generating, 60 s for searching.
                let generator = try api.client(token), searcher = try api.client(token, timeout: 60)
                group.addTask {
                    var i = c
                    var numbers: [String] = []
                    while Date() < end {
                        let kind = kinds[i % kinds.count]
                        i += 1
                        do {
                            switch kind {
                            case "generate":
                                let answer = try await generator.generateDocument(body: .json(.init(
                                    _type: i % 2 == 0 ? .dae : .dsa, exciseNumber: excise, transport: "SOAK-\(c)", dispatchDate: dispatch, dispatchTime: "08:00")))
                                tally.record(kind, status: answer.status)
                                if case let .created(created) = answer, let n = try? created.body.json.number {
                                    numbers.append(n)
                                    if numbers.count > 50 { numbers.removeFirst() }
                                }
                            case "search":
                                tally.record(kind, status: try await searcher.searchDocuments(query: .init(exciseNumber: excise, perPage: 20)).status)
                            case "pdf":
                                guard let n = numbers.randomElement() else { continue }
                                tally.record(kind, status: try await api.fetch("/api/v1/documents/\(n)/form.pdf", token: token))
                            default:
                                tally.record(kind, status: try await api.fetch(pages[i % pages.count], token: nil))
                            }
                        } catch let error as ClientError where error.response != nil {
                            // An answer the generated client could not read (not the documented
                            // body): still counted by its status, so that no 5xx goes unseen.
                            tally.record(kind, status: error.response!.status.code)
                        } catch {
                            tally.failed(kind, error)
                        }
                    }
                }
            }
            group.addTask {
                while Date() < end {
                    try await Task.sleep(nanoseconds: UInt64(min(sample, max(0.1, end.timeIntervalSinceNow)) * 1e9))
                    sampler.take()
                }
            }
            try await group.waitForAll()
        }

        // report
        let s = tally.snapshot
        let elapsed = Date().timeIntervalSince(start)
        print(String(format: "%@: %d requests in %.0f s (%.0f/s), %d 5xx; by kind: %@", label, s.requests, elapsed, Double(s.requests) / elapsed,
                     s.serverErrors, s.byKind.keys.sorted().map { "\($0) \(s.byKind[$0]!)" }.joined(separator: ", ")))
        for e in s.otherErrors.prefix(5) { print("  error: \(e)") }
        let second = sampler.all.filter { $0.elapsed >= elapsed / 2 && $0.residentMB > 0 }
        var flat = true
        if second.count >= 2 {
            let xs = second.map { $0.elapsed / 60 }
            let ys = second.map(\.residentMB)
            let my = ys.reduce(0, +) / Double(ys.count)
            let slope = Self.slope(xs, ys)
            let spread = (ys.max()! - ys.min()!) / my * 100
            let fdSlope = Self.slope(xs, second.map { Double($0.descriptors) })
            flat = spread <= flatPercent
            print(String(format: "%@: memory over the second half %.1f–%.1f MB (mean %.1f), spread %.1f %% of the mean, slope %+.2f MB/min; descriptors slope %+.2f/min",
                         label, ys.min()!, ys.max()!, my, spread, slope, fdSlope))
        }
        if s.serverErrors > 0 || !flat { throw ExitCode(1) }
    }
}

extension API {
    /// GET a page or a file, reading its body; the status only (raw: see `API`).
    func fetch(_ path: String, token: String?) async throws -> Int {
        var request = HTTPClientRequest(url: base + path)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await http.execute(request, timeout: .seconds(60))
        _ = try await response.body.collect(upTo: 16 << 20)
        return Int(response.status.code)
    }
}
