import SecoursCore
import Vapor

/// The language of every request: the person's choice (the `secours_langue` cookie the footer's
/// switch sets), else the browser's `Accept-Language`, else French. It is bound as
/// `Language.current` for what the request composes — errors, labels, PDFs — and given to the
/// templates as `lang`.
///
/// Vapor hops off the task where a middleware works with futures (the sessions), and a task's
/// value does not follow such a hop: so this middleware is first of all, and again after the
/// sessions in the pages' group.
struct LanguageMiddleware: AsyncMiddleware {
    static let cookie = "secours_langue"

    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let language = request.language
        let response = try await Language.$current.withValue(language) {
            try await next.respond(to: request)
        }
        // What a page or an error says depends on the browser's languages.
        if !response.headers[.vary].contains(where: { $0.contains("Accept-Language") }) {
            response.headers.add(name: .vary, value: "Accept-Language")
        }
        if response.headers[.contentLanguage].isEmpty {
            response.headers.replaceOrAdd(name: .contentLanguage, value: language.rawValue)
        }
        return response
    }
}

private struct LanguageKey: StorageKey { typealias Value = Language }

extension Request {
    /// The language this request is answered in (see `LanguageMiddleware`).
    var language: Language {
        if let known = storage[LanguageKey.self] { return known }
        let language = Language.negotiate(choice: cookies[LanguageMiddleware.cookie]?.string,
                                          acceptLanguage: headers.first(name: .acceptLanguage))
        storage[LanguageKey.self] = language
        return language
    }
}

/// `GET /langue/en?suite=/meteo`: keeps the choice for a year and goes back to the page.
struct LanguageController {
    func choose(_ req: Request) throws -> Response {
        guard let language = req.parameters.get("code").flatMap(Language.init(rawValue:)) else {
            throw Abort(.notFound)
        }
        let back = ReturnPath.safe(req.query[String.self, at: "suite"]) ?? SiteURL.root.path
        let response = req.redirect(to: back)
        response.cookies[LanguageMiddleware.cookie] = HTTPCookies.Value(
            string: language.rawValue, expires: Date().addingTimeInterval(365 * 24 * 3600), maxAge: nil, domain: nil,
            path: "/", isSecure: req.application.secours.settings.secureCookies, isHTTPOnly: true, sameSite: .lax)
        return response
    }
}
