import Crypto
import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The pages everyone opens first in a national outage — the weather page, its Atom feed,
/// `GET /api/v1/alerts` and the diagnosis — rendered once and served from memory to every visitor
/// who is not signed in, with an `ETag` so that a browser or a reverse proxy revalidates for a
/// 304. What they show depends only on the alerts: each process compares the alerts' signature
/// (`PublicVersionStore`) at most every `recheck` and renders again when it moved, so an alert
/// published in one process is on the pages of every other within that delay; this process's own
/// changes are seen at once (`invalidate`). A signed-in visitor, a request with a token or a
/// session cookie, an answer other than 200 or one that sets a cookie are never kept.
final class PublicPageCache: Sendable {
    struct Entry: Sendable {
        let version: String
        /// When it was rendered, on the monotonic clock: a cache's age is elapsed time, not the
        /// service's (injectable) business clock.
        let at: ContinuousClock.Instant
        let status: HTTPResponseStatus
        let contentType: String?
        let body: ByteBuffer
        let etag: String
    }

    struct State: Sendable {
        var version: (value: String, checked: ContinuousClock.Instant)?
        var entries: [String: Entry] = [:]
    }

    let recheck: TimeInterval
    /// Rendered again after this long whatever the signature (the ETag stays if nothing moved).
    let lifetime: TimeInterval
    let capacity: Int
    private let state = NIOLockedValueBox(State())

    init(recheck: TimeInterval = 0.25, lifetime: TimeInterval = 10, capacity: Int = 512) {
        self.recheck = recheck
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// After an alert is published, given a bulletin or ended in this process.
    func invalidate() {
        state.withLockedValue { $0.version = nil }
    }

    func version(on db: Database, now: ContinuousClock.Instant) async throws -> String {
        if let known = state.withLockedValue({ $0.version }), now - known.checked < .seconds(recheck) {
            return known.value
        }
        let value = try await PublicVersionStore(db: db).signature()
        state.withLockedValue { s in
            if s.version?.value != value { s.entries = [:] }
            s.version = (value, now)
        }
        return value
    }

    func entry(_ key: String, version: String, now: ContinuousClock.Instant) -> Entry? {
        state.withLockedValue { s in
            guard let e = s.entries[key], e.version == version, now - e.at < .seconds(lifetime) else { return nil }
            return e
        }
    }

    func store(_ key: String, _ entry: Entry) {
        state.withLockedValue { s in
            if s.entries.count >= capacity { s.entries = [:] }
            s.entries[key] = entry
        }
    }

    static func etag(of body: ByteBuffer) -> String {
        let digest = SHA256.hash(data: body.readableBytesView)
        return "\"" + digest.prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
    }
}

/// Marks an answer as public and cacheable, so that `SecurityHeadersMiddleware` leaves its
/// `Cache-Control` alone.
struct PublicAnswerKey: StorageKey { typealias Value = Bool }

/// The routes of the public pages go through here.
struct PublicPageCacheMiddleware: AsyncMiddleware {
    static let cacheControl = "public, no-cache"

    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let cache = request.application.secours.publicPages
        guard request.method == .GET, request.headers[.authorization].isEmpty,
              request.cookies[request.application.sessions.configuration.cookieName] == nil else {
            return try await next.respond(to: request)
        }
        // The feed's links are absolute, from the address it was asked at.
        let key = [request.headers.first(name: "X-Forwarded-Proto") ?? "", request.headers.first(name: .host) ?? "", request.language.rawValue, request.url.string]
            .joined(separator: " ")
        let now = ContinuousClock.now
        let version = try await cache.version(on: request.db, now: now)
        let entry: PublicPageCache.Entry
        if let kept = cache.entry(key, version: version, now: now) {
            entry = kept
        } else {
            let response = try await next.respond(to: request)
            guard response.status == .ok, response.headers[.setCookie].isEmpty, request.auth.get(Principal.self) == nil,
                  let body = response.body.buffer else { return response }
            entry = PublicPageCache.Entry(version: version, at: now, status: response.status,
                                          contentType: response.headers.first(name: .contentType), body: body,
                                          etag: PublicPageCache.etag(of: body))
            cache.store(key, entry)
        }
        request.storage[PublicAnswerKey.self] = true
        var headers = HTTPHeaders()
        if let type = entry.contentType { headers.replaceOrAdd(name: .contentType, value: type) }
        headers.replaceOrAdd(name: .eTag, value: entry.etag)
        headers.replaceOrAdd(name: .cacheControl, value: Self.cacheControl)
        headers.replaceOrAdd(name: .vary, value: "Cookie, Authorization")
        let sent = request.headers[.ifNoneMatch].flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        if sent.contains(entry.etag) || sent.contains("*") {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: entry.status, headers: headers, body: .init(buffer: entry.body))
    }
}
