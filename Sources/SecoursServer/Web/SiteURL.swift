/// Every path of the web pages, so that templates and redirects never hold hand-written paths.
enum SiteURL {
    case root, login, logout, home, generate
    case document(String)
    case summary(String)
    case stylesheet

    var path: String {
        switch self {
        case .root: "/"
        case .login: "/connexion"
        case .logout: "/deconnexion"
        case .home: "/accueil"
        case .generate: "/generer"
        case let .document(n): "/documents/\(n)"
        case let .summary(n): "/documents/\(n)/recapitulatif"
        case .stylesheet: "/styles.css"
        }
    }
}

/// The links every page needs.
struct NavLinks: Encodable {
    let root = SiteURL.root.path
    let login = SiteURL.login.path
    let logout = SiteURL.logout.path
    let home = SiteURL.home.path
    let generate = SiteURL.generate.path
    let stylesheet = SiteURL.stylesheet.path
    let openapi = "/api/v1/openapi.json"
}
