import SecoursCore
import Vapor

/// What every template gets: the title, the signed-in account, the CSRF token, the links, and
/// the page's own content.
struct Page<Content: Encodable>: Encodable {
    struct Account: Encodable {
        let login: String
        let role: String
        let roleLabel: String
        /// The navigation entries `Access` offers this account.
        let nav: Access.Navigation
    }

    /// The switch in the footer: the other language, named in itself, and the link that keeps
    /// the page.
    struct LanguageSwitch: Encodable {
        let code: String
        let name: String
        let href: String
    }

    let title: String
    /// The page's language, which `#t` reads.
    let lang: String
    let languageSwitch: LanguageSwitch
    let account: Account?
    let csrf: String
    let links = NavLinks()
    let content: Content

    /// A visitor who is not signed in gets no CSRF token, hence no session: the weather, the
    /// diagnosis and the sign-in page are read by everyone in a rush, and kept rendered
    /// (`PublicPageCache`); the sign-in form is checked by its origin instead (`CSRF.sameOrigin`).
    init(_ req: Request, title: String, content: Content) {
        self.title = title
        let language = req.language
        lang = language.rawValue
        let here = req.method == .GET ? req.url.string : req.url.path
        let suite = here.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/-_.~"))) ?? "/"
        languageSwitch = LanguageSwitch(code: language.other.rawValue, name: language.other.name,
                                        href: SiteURL.language(language.other).path + "?suite=" + suite)
        account = req.auth.get(Principal.self).map { Account(login: $0.login, role: $0.role.rawValue, roleLabel: $0.role.label, nav: Access.Navigation($0.actor)) }
        // Pages outside the session group (API errors rendered as HTML) have no session.
        let forms = account != nil || req.hasSession
        csrf = req.storage[CSRF.EnabledKey.self] == true && forms ? CSRF.token(for: req) : ""
        self.content = content
    }
}

/// One entry of a select list or of a group of radio buttons.
struct Option: Encodable {
    let value: String
    let label: String
    let selected: Bool
}
