import Foundation
import SecoursCore

/// Every path of the web pages, so that templates and redirects never hold hand-written paths.
enum SiteURL {
    case root, login, logout, home, generate, register, search, follow, importPage
    case document(String)
    case summary(String)
    case filledForm(String)
    case weather, weatherFeed, alerts
    case diagnosis(String?)
    case episodes
    case assistanceRequests
    case officeConsole
    /// The console's live events (server-sent events).
    case officeLive
    case drm
    case communicate
    case episode(UUID)
    case episodeAction(UUID, String)
    /// An episode page's live events.
    case episodeLive(UUID)
    case alertBulletin(String)
    case alertEnd(String)
    case blankForm(DocumentType, gamma2: Bool)
    case move(String, StatusMove)
    case stylesheet

    var path: String {
        switch self {
        case .root: "/"
        case .login: "/connexion"
        case .logout: "/deconnexion"
        case .home: "/accueil"
        case .generate: "/generer"
        case .register: "/enregistrer"
        case .search: "/rechercher"
        case .follow: "/suivre"
        case .importPage: "/importer"
        case let .document(n): "/documents/\(n)"
        case let .summary(n): "/documents/\(n)/recapitulatif"
        case let .filledForm(n): "/documents/\(n)/formulaire.pdf"
        case .weather: "/meteo"
        case .episodes: "/episodes"
        case .assistanceRequests: "/assistance"
        case .officeConsole: "/bureau"
        case .officeLive: "/bureau/direct"
        case .drm: "/drm"
        case .communicate: "/communiquer"
        case let .episode(id): "/episodes/\(id.uuidString.lowercased())"
        case let .episodeAction(id, action): "/episodes/\(id.uuidString.lowercased())/\(action)"
        case let .episodeLive(id): "/episodes/\(id.uuidString.lowercased())/direct"
        case let .diagnosis(flow): "/diagnostic" + (flow.map { "/\($0)" } ?? "")
        case .weatherFeed: "/meteo/alertes.atom"
        case .alerts: "/meteo/alertes"
        case let .alertBulletin(r): "/meteo/alertes/\(r)/bip"
        case let .alertEnd(r): "/meteo/alertes/\(r)/fin"
        case let .blankForm(type, gamma2): "/formulaires/\(type.rawValue).pdf" + (gamma2 ? "?variant=gamma2" : "")
        case let .move(n, move): "/documents/\(n)/\(move.pathComponent)"
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
    let register = SiteURL.register.path
    let search = SiteURL.search.path
    let follow = SiteURL.follow.path
    let stylesheet = SiteURL.stylesheet.path
    let openapi = "/api/v1/openapi.json"
    let weather = SiteURL.weather.path
    let diagnosis = SiteURL.diagnosis(nil).path
    let episodes = SiteURL.episodes.path
    let office = SiteURL.officeConsole.path
    let drm = SiteURL.drm.path
    let communicate = SiteURL.communicate.path
    let assistance = SiteURL.assistanceRequests.path
}

extension StatusMove {
    /// The French path segment of the page action.
    var pathComponent: String {
        switch self {
        case .cancel: "annuler"
        case .reactivate: "reactiver"
        case .reintegrate: "reintegrer"
        case .inactivate: "inactiver"
        }
    }
}
