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
        /// The server-sent event (`id`, `event` and `data` lines), in each language: its labels
        /// are read by the watcher.
        let messages: [Language: String]

        func message(_ language: Language) -> String { messages[language] ?? messages[.fr] ?? "" }

        /// The event composed once per language.
        static func composed(_ compose: () throws -> String) rethrows -> [Language: String] {
            var messages: [Language: String] = [:]
            for language in Language.allCases {
                messages[language] = try Language.$current.withValue(language) { try compose() }
            }
            return messages
        }

        func concerns(_ audience: Audience) -> Bool {
            switch audience {
            case let .office(id): office == id
            case let .episode(id): episode == id
            }
        }
    }

    private struct Watcher {
        let audience: Audience
        let language: Language
        let continuation: AsyncStream<[String]>.Continuation
        /// A stream ends at this moment and the browser connects again, so that who may watch is
        /// checked again (a session that ended stops its streams within `lifetime`).
        let until: ContinuousClock.Instant
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
    /// How far back rows are asked for again (see `LiveFeedStore`): a row whose transaction
    /// commits more than this after the time it carries is not sent live (the page shows it
    /// when read again).
    let overlap: TimeInterval = 5
    /// How long changes are kept for pages that connect late.
    let window: TimeInterval = 30
    /// A comment line every `heartbeat` keeps proxies from closing a quiet stream and tells a
    /// stream whose browser left.
    let heartbeat: Duration = .seconds(15)
    /// How long one stream lasts before the browser is asked to connect again.
    let lifetime: Duration

    init(interval: Duration, lifetime: Duration = .seconds(600)) {
        self.interval = interval
        self.lifetime = lifetime
    }

    /// Sent first to a page that asks for changes older than this process still holds: the page
    /// reads itself again.
    static let reset = "event: reset\ndata: {}\n\n"

    var watcherCount: Int { state.withLockedValue { $0.watchers.count } }

    /// Starts watching for `audience`: the stream gives batches of messages (an empty batch is a
    /// heartbeat). Changes written since `since` (and still kept) come first; if `since` is older
    /// than what is kept, a `reset` event comes first instead.
    func watch(_ audience: Audience, language: Language = .fr, since: Date?, app: Application) -> AsyncStream<[String]> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<[String]>.makeStream(bufferingPolicy: .bufferingNewest(256))
        continuation.onTermination = { [weak self] _ in
            self?.state.withLockedValue { _ = $0.watchers.removeValue(forKey: id) }
        }
        let registered = state.withLockedValue { s -> [(seen: ContinuousClock.Instant, change: Change)]? in
            guard !s.closed else { return nil }
            s.watchers[id] = Watcher(audience: audience, language: language, continuation: continuation, until: .now + lifetime)
            if s.poller == nil { s.poller = Task.detached { await self.poll(app) } }
            return since == nil ? [] : s.recent
        }
        guard let recent = registered else {
            continuation.finish()
            return stream
        }
        if let since {
            if since < app.secours.now().addingTimeInterval(-window + overlap) {
                continuation.yield([Self.reset])
            } else {
                let from = since.addingTimeInterval(-overlap)
                let missed = recent.lazy.map(\.change).filter { $0.at >= from && $0.concerns(audience) }.map { $0.message(language) }
                if !missed.isEmpty { continuation.yield(Array(missed)) }
            }
        }
        return stream
    }

    /// Ends every stream and the polling (the application stops).
    func close() async {
        let (watchers, poller) = state.withLockedValue { s -> ([Watcher], Task<Void, Never>?) in
            s.closed = true
            defer { s.watchers = [:]; s.poller = nil }
            return (Array(s.watchers.values), s.poller)
        }
        poller?.cancel()
        for w in watchers { w.continuation.finish() }
        await poller?.value
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
        // Each change once into its audiences' batches, then one batch per watcher.
        struct Key: Hashable { let audience: Audience; let language: Language }
        var batches: [Key: [String]] = [:]
        for c in changes {
            for language in Language.allCases {
                if let office = c.office { batches[Key(audience: .office(office), language: language), default: []].append(c.message(language)) }
                if let episode = c.episode { batches[Key(audience: .episode(episode), language: language), default: []].append(c.message(language)) }
            }
        }
        for w in watchers {
            if w.until <= now {
                w.continuation.finish()
                continue
            }
            let mine = batches[Key(audience: w.audience, language: w.language)] ?? []
            guard !mine.isEmpty || heartbeat else { continue }
            // A browser that cannot keep up is let go: it connects again and asks for what it missed.
            if case .dropped = w.continuation.yield(mine) { w.continuation.finish() }
        }
    }

    // MARK: Reading the database

    private func poll(_ app: Application) async {
        let logger = app.logger
        let state = app.secours
        let rule = InactivationRule(days: state.settings.inactivationDays)
        var reader = Reader(start: state.now().addingTimeInterval(-window), overlap: overlap)
        var lastBeat = ContinuousClock.now
        while !Task.isCancelled {
            do {
                let changes = try await reader.read(LiveFeedStore(db: app.db), rule: rule, now: state.now())
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

    /// Where the feed is in one table, and what of it has already been sent.
    struct Cursor {
        /// The newest row time seen (never ahead of this process's clock).
        var at: Date
        /// How far back each look starts again, and most rows read in one look.
        let overlap: TimeInterval
        let limit: Int
        /// Rows already sent, with their time, forgotten once older than the re-read margin.
        var sent: [UUID: Date] = [:]
        /// Set when the last page was full: the next one starts there instead of re-reading.
        var resume: Date?

        /// Where the next look starts.
        var from: Date { resume ?? at.addingTimeInterval(-overlap) }

        /// Takes in a page of rows (oldest first, as read from `from` with `limit`) and gives the
        /// ids not sent before, now marked sent.
        mutating func take(_ rows: [(id: UUID, at: Date)], now: Date) -> Set<UUID> {
            var fresh: Set<UUID> = []
            for r in rows where sent[r.id] == nil {
                sent[r.id] = r.at
                fresh.insert(r.id)
            }
            // A row stamped ahead of this clock (another machine's) does not move the cursor past now.
            if let last = rows.last?.at { at = max(at, min(last, now)) }
            resume = rows.count >= limit ? rows.last?.at.addingTimeInterval(-0.001) : nil
            let horizon = at.addingTimeInterval(-overlap - 1)
            sent = sent.filter { $0.value >= horizon }
            return fresh
        }
    }

    /// Where the feed is in each table.
    struct Reader {
        var documents: Cursor
        var notices: Cursor
        var episodeEvents: Cursor

        /// `limit`: most rows read from one table in one look; more wait for the next.
        init(start: Date, overlap: TimeInterval, limit: Int = 20_000) {
            documents = Cursor(at: start, overlap: overlap, limit: limit)
            notices = Cursor(at: start, overlap: overlap, limit: limit)
            episodeEvents = Cursor(at: start, overlap: overlap, limit: limit)
        }

        /// The changes since the last look. Nothing moves if a read fails: the next look asks again.
        mutating func read(_ store: LiveFeedStore, rule: InactivationRule, now: Date) async throws -> [Change] {
            var next = self
            var changes: [Change] = []
            let encoder = JSONEncoder()

            let stamps = try await store.documentStamps(after: documents.from, limit: documents.limit)
            let freshDocuments = next.documents.take(stamps.map { ($0.id, $0.at) }, now: now)
            for (d, office) in try await store.documents(stamps.map(\.id).filter(freshDocuments.contains)) {
                guard LiveDocument(d, office: office, rule: rule, now: now) != nil else { continue }
                changes.append(Change(office: office, episode: d.coveredByEpisode, at: d.registeredAt, messages: try Change.composed {
                    Self.message("document", at: d.registeredAt, try encoder.encode(LiveDocument(d, office: office, rule: rule, now: now)))
                }))
            }

            let notices = try await store.notices(after: self.notices.from, limit: self.notices.limit)
            let freshNotices = next.notices.take(notices.map { ($0.id!, $0.at) }, now: now)
            for n in notices where freshNotices.contains(n.id!) {
                changes.append(Change(office: n.officeID, episode: nil, at: n.at, messages: try Change.composed {
                    Self.message("notice", at: n.at, try encoder.encode(OfficeConsoleController.notice(n)))
                }))
            }

            let events = try await store.episodeEvents(after: episodeEvents.from, limit: episodeEvents.limit)
            let freshEvents = next.episodeEvents.take(events.map { ($0.event.id!, $0.event.at) }, now: now)
            for (ev, episode) in events where freshEvents.contains(ev.id!) {
                changes.append(Change(office: episode.officeID, episode: episode.id, at: ev.at, messages: try Change.composed {
                    let body = LiveEpisodeEvent(episode: episode.id!.uuidString.lowercased(), exciseNumber: episode.exciseNumber,
                                                kind: ev.kind.label, status: episode.status.rawValue,
                                                at: Int64((ev.at.timeIntervalSince1970 * 1000).rounded()))
                    return Self.message("episode", at: ev.at, try encoder.encode(body))
                }))
            }

            self = next
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
        if d.kind == .lrn {
            list = "lrns"
        } else if d.registrationMode == .normal {
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
        let stream = req.application.secours.live.watch(audience, language: req.language, since: since, app: req.application)
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
        await application.secours.live.close()
    }
}
