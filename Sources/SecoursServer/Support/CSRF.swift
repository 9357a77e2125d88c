import SecoursCore
import Vapor

/// Synchroniser-token CSRF protection for the web forms: each session holds a random token,
/// every form carries it in `_csrf`, and every POST of the web part must send it back.
enum CSRF {
    static let field = "_csrf"
    static let sessionKey = "csrf"

    /// The session's token, created on first use.
    static func token(for req: Request) -> String {
        if let t = req.session.data[sessionKey] { return t }
        let t = TokenDigest.newToken()
        req.session.data[sessionKey] = t
        return t
    }

    /// Set on requests that went through the session middleware, where forms can be served.
    struct EnabledKey: StorageKey { typealias Value = Bool }

    static var refused: SecoursError { SecoursError(kind: .forbidden, code: "csrf_failed",
                                      message: Messages.Service.formExpired) }

    /// The sign-in form has no session to hold a token (a visitor who is not signed in has
    /// none, so that the page can be the same for everyone and kept rendered): its post must come
    /// from this site, as the browser's `Origin` (or, without it, `Referer`) says, compared with
    /// the address asked (`X-Forwarded-Host` behind a proxy, else `Host`). A post with neither
    /// header is refused. A page left open for hours still signs in.
    static func sameOrigin(_ req: Request) -> Bool {
        guard let asked = (req.headers.first(name: "X-Forwarded-Host") ?? req.headers.first(name: .host))?
            .split(separator: ",").first?.trimmingCharacters(in: .whitespaces).lowercased(), !asked.isEmpty else { return false }
        guard let source = req.headers.first(name: "Origin") ?? req.headers.first(name: .referer), source != "null",
              let url = URLComponents(string: source), let host = url.host?.lowercased(), !host.isEmpty else { return false }
        let bracketed = host.contains(":") ? "[\(host)]" : host
        let defaultPort = url.scheme == "https" ? 443 : 80
        let from = url.port.map { $0 == defaultPort ? bracketed : "\(bracketed):\($0)" } ?? bracketed
        let target = asked.hasSuffix(":\(defaultPort)") ? String(asked.dropLast(":\(defaultPort)".count)) : asked
        return from == target
    }
}

struct CSRFMiddleware: AsyncMiddleware {
    /// The largest form body (`SECOURS_MAX_BODY_KB`), and the largest upload of the import page.
    let maxBodySize: Int
    let maxImportSize: Int

    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        request.storage[CSRF.EnabledKey.self] = true
        if request.method == .POST {
            // A body larger than what came with the head is still streaming: the route would
            // collect it only after the middlewares. The token is in it, so collect it here, up
            // to the form's own limit (over it: 413).
            if request.body.data == nil {
                let limit = request.url.path == SiteURL.importPage.path ? maxImportSize : maxBodySize
                _ = try await request.body.collect(max: limit).get()
            }
            if request.url.path == SiteURL.login.path {
                guard CSRF.sameOrigin(request) else { throw CSRF.refused }
                return try await next.respond(to: request)
            }
            struct Field: Decodable { let _csrf: String? }
            let sent = (try? request.content.decode(Field.self))?._csrf
            guard let expected = request.session.data[CSRF.sessionKey], let sent,
                  Data(sent.utf8).count == Data(expected.utf8).count,
                  zip(sent.utf8, expected.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
            else {
                // Nothing is done with a post whose token does not match; but a person whose
                // session ended signs in again with their form kept, and a page of this site left
                // open too long is offered again with a fresh token. A post from elsewhere is refused.
                if !request.auth.has(Principal.self) { return try await SignInGate.signInPage(for: request) }
                if let form = SignInGate.kept(request) {
                    return try await SignInGate.resumePage(request, form: form, action: request.url.path, why: .staleForm)
                }
                throw CSRF.refused
            }
        }
        return try await next.respond(to: request)
    }
}
