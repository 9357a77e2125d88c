import Vapor

/// Security headers on every answer (R-NF-3) and a request id for the logs (R-NF-5).
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let h = response.headers
        var headers = h
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        headers.replaceOrAdd(name: "Content-Security-Policy",
                             value: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
        headers.replaceOrAdd(name: "X-Request-Id", value: request.traceID)
        // Nothing personal is kept by a browser or a proxy: every API answer, every answer to a
        // signed-in user (pages, PDFs, CSV), and every answer that sets the session cookie.
        // (The public pages served by `PublicPageCacheMiddleware` to visitors not signed in keep
        // their own `Cache-Control`: they hold nothing personal.)
        if request.storage[PublicAnswerKey.self] != true,
           APIURL.owns(request.url.path) || request.url.path.hasPrefix("/documents") || request.auth.has(Principal.self)
            || response.headers[.setCookie].isEmpty == false {
            headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        response.headers = headers
        return response
    }
}
