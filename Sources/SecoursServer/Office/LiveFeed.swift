import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SecoursCore
import Vapor

/// The live console (R-OFF-1): what is written to the database — numbers generated or LRNs
/// registered, office notices (requests, declarations, self-triggers, communications), episode
/// events (decisions, evidence, ends) — reaches the consoles and episode pages that watch it as
/// server-sent events, whichever server process wrote it.
///
/// Each process reads what was written since its last look every `interval` (`LiveFeedStore`),
/// only once someone watches, and hands every change to the watchers it concerns: an office sees
/// the changes of its excise numbers, an episode page those of its episode. The changes of the
/// last `window` are kept, so that a page opened a moment ago, or a browser that reconnects
/// (with `Last-Event-ID`), gets what it missed.
final class LiveFeed: Sendable {
    /// Who a watcher is.
    enum Audience: Sendable, Hashable {
        case office(UUID)
        case episode(UUID)
    }

    /// One change, ready to send.
    struct Change: Sendable {
        let office: UUID?
        let episode: UUID?
        /// When it was written (its row's own time).
        let at: Date
        /// The server-sent event: `id`, `event` and `data` lines.
        let message: String

        func concerns(_ audience: Audience) -> Bool {
            switch audience {
            case let .office(id): office == id
            case let .episode(id): episode == id
            }
        }
    }

    private struct Watcher {
        let audience: Audience
        let continuation: AsyncStream<[String]>.Continuation
    }

    private struct State {
        var watchers: [UUID: Watcher] = [:]
        /// The changes of the last `window`, oldest first, with when this process saw them.
        var recent: [(seen: ContinuousClock.Instant, change: Change)] = []
        var poller: Task<Void, Never>?
        var closed = false
    }

    private let state = NIOLockedValueBox(State())
    let interval: Duration
    /// How far back rows are asked for again (see `LiveFeedStore`).
    let overlap: TimeInterval = 2
    /// How long changes are kept for pages that connect late.
    let window: TimeInterval = 30
    /// A comment line every `heartbeat` keeps proxies from closing a quiet stream and tells a
    /// stream whose browser left.
    let heartbeat: Duration = .seconds(15)

    init(interval: Duration) {
        self.interval = interval
    }

    var watcherCount: Int { state.withLockedValue { $0.watchers.count } }

    /// Starts watching for `audience`: the stream gives batches of messages (an empty batch is a
    /// heartbeat). Changes written since `since` (and still kept) come first.
    func watch(_ audience: Audience, since: Date?, app: Application) -> AsyncStream<[String]> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<[String]>.makeStream(bufferingPolicy: .bufferingNewest(256))
        continuation.onTermination = { [weak self] _ in
            self?.state.withLockedValue { _ = $0.watchers.removeValue(forKey: id) }
        }
        let closed = state.withLockedValue { s -> Bool in
            guard !s.closed else { return true }
            if let since {
                let missed = s.recent.filter { $0.change.at >= since.addingTimeInterval(-overlap) && $0.change.concerns(audience) }
                if !missed.isEmpty { continuation.yield(missed.map(\.change.message)) }
            }
            s.watchers[id] = Watcher(audience: audience, continuation: continuation)
            if s.poller == nil { s.poller = Task { await self.poll(app) } }
            return false
        }
        if closed { continuation.finish() }
        return stream
    }

    /// Ends every stream and the polling (the application stops).
    func close() {
        let (watchers, poller) = state.withLockedValue { s -> ([Watcher], Task<Void, Never>?) in
            s.closed = true
            defer { s.watchers = [:]; s.poller = nil }
            return (Array(s.watchers.values), s.poller)
        }
        poller?.cancel()
        for w in watchers { w.continuation.finish() }
    }

    private func deliver(_ changes: [Change], heartbeat: Bool) {
        let now = ContinuousClock.now
        let watchers: [Watcher] = state.withLockedValue { s in
            s.recent.append(contentsOf: changes.map { (now, $0) })
            let horizon = now - .seconds(window)
            if let keep = s.recent.firstIndex(where: { $0.seen >= horizon }) { s.recent.removeFirst(keep) } else { s.recent.removeAll() }
            if s.recent.count > 50_000 { s.recent.removeFirst(s.recent.count - 50_000) }
            return Array(s.watchers.values)
        }
        for w in watchers {
            let mine = changes.filter { $0.concerns(w.audience) }.map(\.message)
            if !mine.isEmpty || heartbeat { w.continuation.yield(mine) }
        }
    }

    // MARK: Reading the database

    private func poll(_ app: Application) async {
        let logger = app.logger
        let state = app.secours
        let rule = InactivationRule(days: state.settings.inactivationDays)
        var cursor = Reader(start: state.now().addingTimeInterval(-window), overlap: overlap)
        var lastBeat = ContinuousClock.now
        while !Task.isCancelled {
            do {
                let changes = try await cursor.read(LiveFeedStore(db: app.db), rule: rule, now: state.now())
                let beat = ContinuousClock.now - lastBeat >= heartbeat
                if beat { lastBeat = .now }
                deliver(changes, heartbeat: beat)
                if !changes.isEmpty { app.metrics.liveChanges(changes.count) }
            } catch {
                logger.warning("live feed: reading the changes failed: \(String(reflecting: error))")
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// Where the feed is in each table, and what it has already sent.
    struct Reader {
        var documents: Date
        var notices: Date
        var episodeEvents: Date
        let overlap: TimeInterval
        /// Rows already sent, with their time, forgotten once older than the re-read margin.
        var sent: [UUID: Date] = [:]

        init(start: Date, overlap: TimeInterval) {
            documents = start
            notices = start
            episodeEvents = start
            self.overlap = overlap
        }

        mutating func read(_ store: LiveFeedStore, rule: InactivationRule, now: Date) async throws -> [Change] {
            var changes: [Change] = []
            let encoder = JSONEncoder()

            let stamps = try await store.documentStamps(after: documents.addingTimeInterval(-overlap), limit: 20_000)
            let fresh = stamps.filter { sent[$0.id] == nil }
            // A row stamped ahead of this clock (another machine's) does not move the cursor past now.
            for s in stamps { documents = max(documents, min(s.at, now)) }
            for (d, office) in try await store.documents(fresh.map(\.id)) {
                sent[d.id!] = d.registeredAt
                guard let event = LiveDocument(d, office: office, rule: rule, now: now) else { continue }
                changes.append(Change(office: office, episode: d.coveredByEpisode, at: d.registeredAt,
                                      message: Self.message("document", at: d.registeredAt, try encoder.encode(event))))
            }

            for n in try await store.notices(after: notices.addingTimeInterval(-overlap), limit: 5_000) where sent[n.id!] == nil {
                sent[n.id!] = n.at
                notices = max(notices, min(n.at, now))
                changes.append(Change(office: n.officeID, episode: nil, at: n.at,
                                      message: Self.message("notice", at: n.at, try encoder.encode(OfficeConsoleController.notice(n)))))
            }

            for (ev, episode) in try await store.episodeEvents(after: episodeEvents.addingTimeInterval(-overlap), limit: 5_000) where sent[ev.id!] == nil {
                sent[ev.id!] = ev.at
                episodeEvents = max(episodeEvents, min(ev.at, now))
                let body = LiveEpisodeEvent(episode: episode.id!.uuidString.lowercased(), exciseNumber: episode.exciseNumber,
                                            kind: EpisodeEvent(rawValue: ev.kind)?.label ?? ev.kind, status: episode.status,
                                            at: Int64((ev.at.timeIntervalSince1970 * 1000).rounded()))
                changes.append(Change(office: episode.officeID, episode: episode.id, at: ev.at,
                                      message: Self.message("episode", at: ev.at, try encoder.encode(body))))
            }

            let horizon = min(documents, notices, episodeEvents).addingTimeInterval(-overlap - 1)
            sent = sent.filter { $0.value >= horizon }
            return changes.sorted { $0.at < $1.at }
        }

        static func message(_ event: String, at: Date, _ data: Data) -> String {
            "id: \(Int64((at.timeIntervalSince1970 * 1000).rounded()))\nevent: \(event)\ndata: \(String(decoding: data, as: UTF8.self))\n\n"
        }
    }
}

/// A document in a live event: the console line it becomes, and which list it goes to.
struct LiveDocument: Encodable {
    /// `generated` (numbers generated in GAMMA's absence) or `lrns` (GAMMA 2 fallback LRNs).
    let list: String
    let key: String
    let row: OfficeConsoleController.DocumentRow
    /// Registered at, in milliseconds since 1970 (how late the event arrives is measured from it).
    let at: Int64

    init?(_ d: DocumentModel, office: UUID, rule: InactivationRule, now: Date) {
        if d.kind == DocumentKind.lrn.rawValue {
            list = "lrns"
        } else if d.registrationMode == RegistrationMode.normal.rawValue {
            list = "generated"
        } else {
            return nil
        }
        key = d.number
        row = OfficeConsoleController.row(d, rule: rule, now: now)
        at = Int64((d.registeredAt.timeIntervalSince1970 * 1000).rounded())
    }
}

struct LiveEpisodeEvent: Encodable {
    let episode: String
    let exciseNumber: String
    let kind: String
    let status: String
    let at: Int64
}

extension LiveFeed {
    /// The server-sent events answer of a watcher: `ready` once it is registered, then the
    /// changes, and a comment line as heartbeat.
    static func answer(_ req: Request, _ audience: Audience) -> Response {
        let since = (req.headers.first(name: "Last-Event-ID") ?? req.query[String.self, at: "depuis"])
            .flatMap(Int64.init).map { Date(timeIntervalSince1970: Double($0) / 1000) }
        let stream = req.application.secours.live.watch(audience, since: since, app: req.application)
        let body = Response.Body(asyncStream: { writer in
            do {
                try await writer.write(.buffer(ByteBuffer(string: "retry: 3000\nevent: ready\ndata: {}\n\n")))
                for await batch in stream {
                    try await writer.write(.buffer(ByteBuffer(string: batch.isEmpty ? ": \n\n" : batch.joined())))
                }
                try await writer.write(.end)
            } catch {
                // The browser left; the stream's end unregisters it.
                try? await writer.write(.end)
            }
        })
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "event-stream", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
        return Response(status: .ok, headers: headers, body: body)
    }
}

/// Stops the feed's streams with the application.
struct LiveFeedShutdown: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        application.secours.live.close()
    }
}
