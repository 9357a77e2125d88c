#if canImport(Glibc)
import Glibc
#endif
import Fluent
import Foundation
import Metrics
import NIOConcurrencyHelpers
import Prometheus
import SecoursCore
import Vapor

/// The service's metrics (R-NF-5), recorded through swift-metrics into a Prometheus registry of
/// this application's own (tests run several applications in one process, so nothing is
/// bootstrapped globally), and exposed at `/metrics` to whoever holds `SECOURS_METRICS_TOKEN`.
///
/// Counters and histograms are recorded as things happen; the gauges that describe the state of
/// the database (active episodes and alerts, connections) are read when the metrics are scraped.
public final class ServiceMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    /// The access cache's counts at the last scrape: its counters grow by the difference.
    private let accessReported = NIOLockedValueBox(AccessCache.Figures())

    static let requestDuration = "secours_http_request_duration_seconds"

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[Self.requestDuration] = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        self.factory = factory
    }

    /// One answered request, by route template (never the values in the path) and status.
    func request(method: String, route: String, status: UInt, duration: Duration) {
        Counter(label: "secours_http_requests_total",
                dimensions: [("method", method), ("route", route), ("status", String(status))], factory: factory).increment()
        Metrics.Timer(label: Self.requestDuration, dimensions: [("method", method), ("route", route)], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }

    /// Documents stored: `source` generation, registration or import; `mode` the registration
    /// mode (normal for a generated number, a-posteriori for a manual one).
    func documentsCreated(type: DocumentType, mode: RegistrationMode, source: String, count: Int = 1) {
        guard count > 0 else { return }
        Counter(label: "secours_documents_created_total",
                dimensions: [("type", type.rawValue), ("mode", mode.rawValue), ("source", source)], factory: factory)
            .increment(by: count)
    }

    /// One import file, by outcome (`done` with its entries counted by result, or `refused`).
    func importFile(outcome: String) {
        Counter(label: "secours_imports_total", dimensions: [("outcome", outcome)], factory: factory).increment()
    }

    func importEntries(result: String, count: Int) {
        guard count > 0 else { return }
        Counter(label: "secours_import_entries_total", dimensions: [("result", result)], factory: factory).increment(by: count)
    }

    /// A refused sign-in: `throttled`, `invalid_credentials`…
    func loginRefused(cause: String) {
        Counter(label: "secours_login_refusals_total", dimensions: [("cause", cause)], factory: factory).increment()
    }

    /// A connection closed as soon as accepted: `limit` is `total` or `per_address`.
    func connectionRefused(limit: String) {
        Counter(label: "secours_connections_refused_total", dimensions: [("limit", limit)], factory: factory).increment()
    }

    /// Changes the live feed read and handed to its watchers (`LiveFeed`).
    func liveChanges(_ count: Int) {
        Counter(label: "secours_live_changes_total", factory: factory).increment(by: count)
    }

    /// Every database connection stayed busy for longer than the pool waits.
    func databasePoolTimeout() {
        Counter(label: "secours_database_pool_timeouts_total", factory: factory).increment()
    }

    /// The gauges read at scrape time, then the whole registry in the Prometheus text format.
    func exposition(on db: Database, settings: Settings, signInsInUse: Int, signInCapacity: Int, liveWatchers: Int,
                    connectionCap: ConnectionCap?, access: AccessCache.Figures? = nil) async throws -> String {
        let state = try await MetricsStore(db: db).read()
        for (status, n) in state.episodes {
            Gauge(label: "secours_episodes", dimensions: [("status", status)], factory: factory).record(n)
        }
        Gauge(label: "secours_alerts_current", factory: factory).record(state.currentAlerts)
        Gauge(label: "secours_assistance_requests_open", factory: factory).record(state.openAssistanceRequests)
        let poolSize: Int
        switch settings.database {
        case .sqlite: poolSize = System.coreCount
        case .postgres: poolSize = settings.postgresPoolSize * System.coreCount
        }
        Gauge(label: "secours_database_pool_size", factory: factory).record(poolSize)
        for (connectionState, n) in state.connections {
            Gauge(label: "secours_database_connections", dimensions: [("state", connectionState)], factory: factory).record(n)
        }
        Gauge(label: "secours_sign_ins_admitted", factory: factory).record(signInsInUse)
        Gauge(label: "secours_sign_ins_capacity", factory: factory).record(signInCapacity)
        Gauge(label: "secours_live_watchers", factory: factory).record(liveWatchers)
        if let cap = connectionCap, cap.isAttached {
            Gauge(label: "secours_connections_open", factory: factory).record(cap.openConnections)
            Gauge(label: "secours_connections_capacity", factory: factory).record(cap.total)
        }
        if let access {
            let before = accessReported.withLockedValue { last in
                defer { last = access }
                return last
            }
            Counter(label: "secours_access_cache_lookups_total", dimensions: [("result", "hit")], factory: factory)
                .increment(by: max(0, access.hits - before.hits))
            Counter(label: "secours_access_cache_lookups_total", dimensions: [("result", "miss")], factory: factory)
                .increment(by: max(0, access.misses - before.misses))
            Counter(label: "secours_access_cache_emptied_total", factory: factory).increment(by: max(0, access.emptied - before.emptied))
            Gauge(label: "secours_access_cache_entries", factory: factory).record(access.entries)
        }
        let process = ProcessFigures.read()
        if let rss = process.residentBytes { Gauge(label: "secours_process_resident_memory_bytes", factory: factory).record(rss) }
        if let fds = process.openFileDescriptors { Gauge(label: "secours_process_open_fds", factory: factory).record(fds) }
        return registry.emitToString()
    }
}

/// What the process holds, read from `/proc` (Linux); nil elsewhere.
struct ProcessFigures {
    var residentBytes: Int?
    var openFileDescriptors: Int?

    static func read() -> ProcessFigures {
        var figures = ProcessFigures()
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let fields = statm.split(separator: " ")
            if fields.count > 1, let pages = Int(fields[1]) { figures.residentBytes = pages * Int(sysconf(Int32(_SC_PAGESIZE))) }
        }
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            figures.openFileDescriptors = entries.count
        }
        return figures
    }
}

private extension Duration {
    var nanoseconds: Int64 {
        let c = components
        return c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000
    }
}

extension Application {
    private struct MetricsKey: StorageKey { typealias Value = ServiceMetrics }

    /// The application's metrics (created on first use).
    public var metrics: ServiceMetrics {
        if let m = storage[MetricsKey.self] { return m }
        let m = ServiceMetrics()
        storage[MetricsKey.self] = m
        return m
    }
}

/// `GET /metrics`: the Prometheus exposition, for the bearer of `SECOURS_METRICS_TOKEN` only.
/// Without that setting the address does not exist (404), so nothing is public by mistake.
enum MetricsEndpoint {
    @Sendable static func serve(req: Request) async throws -> Response {
        let settings = req.application.secours.settings
        guard let expected = settings.metricsToken else { throw Abort(.notFound) }
        guard let given = req.headers.bearerAuthorization?.token,
              constantTimeEqual(Array(given.utf8), Array(expected.utf8)) else {
            req.refusal = Refusal(code: "metrics_token", reason: "missing or wrong metrics token")
            let response = Response(status: .unauthorized, body: .init(string: Messages.Service.metricsTokenRequired + "\n"))
            response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer")
            return response
        }
        let hashing = req.application.secours.hashing
        let text = try await req.application.metrics.exposition(on: req.db, settings: settings, signInsInUse: hashing.inUse,
                                                                signInCapacity: hashing.capacity,
                                                                liveWatchers: req.application.secours.live.watcherCount,
                                                                connectionCap: req.application.connectionCap,
                                                                access: req.application.secours.access.figures)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
