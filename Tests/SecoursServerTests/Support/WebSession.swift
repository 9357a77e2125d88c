import Foundation
import NIOCore
import VaporTesting
@testable import SecoursServer

/// A browser stand-in: keeps the session cookie and reads the CSRF token from the last form.
final class WebSession {
    let app: Application
    private(set) var cookie: String?
    private(set) var csrf: String?
    /// The address the pages are asked at, and the `Origin` a browser sends with a post from
    /// them (nil: none, as from a script).
    let host = "secours.test"
    var origin: String? = "http://secours.test"
    /// The browser's `Accept-Language` (nil: none sent).
    var acceptLanguage: String?
    /// The language chosen with the footer's switch (its cookie), once set.
    private(set) var languageCookie: String?

    init(_ app: Application) { self.app = app }

    struct Page {
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        let html: String
        var location: String? { headers.first(name: .location) }
    }

    @discardableResult
    func get(_ path: String) async throws -> Page {
        try await send(.GET, path, body: nil)
    }

    /// Posts a form with the session's CSRF token unless `csrf` is given (or `false` to omit it).
    @discardableResult
    func post(_ path: String, _ fields: [String: String], withCSRF: Bool = true) async throws -> Page {
        var all = fields
        if withCSRF, let csrf { all["_csrf"] = csrf }
        let body = all.map { "\(escape($0.key))=\(escape($0.value))" }.joined(separator: "&")
        return try await send(.POST, path, body: body)
    }

    /// Posts a form whose names may repeat (check boxes), with the session's CSRF token.
    @discardableResult
    func post(_ path: String, pairs: [(String, String)]) async throws -> Page {
        var all = pairs
        if let csrf { all.append(("_csrf", csrf)) }
        return try await send(.POST, path, body: all.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&"))
    }

    /// Signs in through the login page.
    func signIn(_ login: String, password: String = DemoData.password) async throws -> Page {
        try await get("/connexion")
        return try await post("/connexion", ["login": login, "password": password])
    }

    private func send(_ method: HTTPMethod, _ path: String, body: String?) async throws -> Page {
        var headers = HTTPHeaders()
        headers.add(name: .host, value: host)
        if method == .POST, let origin { headers.add(name: "Origin", value: origin) }
        let cookies = [cookie.map { "secours_session=\($0)" }, languageCookie.map { "secours_langue=\($0)" }].compactMap { $0 }
        if !cookies.isEmpty { headers.add(name: .cookie, value: cookies.joined(separator: "; ")) }
        if let acceptLanguage { headers.add(name: .acceptLanguage, value: acceptLanguage) }
        if body != nil { headers.contentType = .urlEncodedForm }
        let response = try await app.testing().sendRequest(method, path, headers: headers,
                                                           body: body.map { ByteBuffer(string: $0) })
        if let set = response.headers.setCookie?["secours_session"] { cookie = set.string }
        if let set = response.headers.setCookie?["secours_langue"] { languageCookie = set.string }
        let html = String(buffer: response.body)
        if let token = Self.csrfToken(in: html) { csrf = token }
        return Page(status: response.status, headers: response.headers, html: html)
    }

    static func csrfToken(in html: String) -> String? {
        guard let r = html.range(of: #"name="_csrf" value="([^"]+)""#, options: .regularExpression) else { return nil }
        let match = html[r]
        return match.split(separator: "\"").dropFirst(3).first.map(String.init)
    }

    private func escape(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}
