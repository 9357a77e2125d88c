import Foundation
import SecoursCore
import Vapor

/// A path, as a list of parts: fixed words, and values that the route table registers as named
/// parameters. One definition gives both the link (`path`) and the route (`route`), so that a
/// link and the route that answers it cannot drift apart.
enum PathPart {
    case fixed(String)
    /// A value in the link; `name` is the parameter the handler reads (`req.parameters`).
    case value(name: String, String)
}

extension [PathPart] {
    var path: String { "/" + map { part in
        switch part {
        case let .fixed(s): s
        case let .value(_, v): v
        }
    }.joined(separator: "/") }

    var route: [PathComponent] { map { part in
        switch part {
        case let .fixed(s): .constant(s)
        case let .value(name, _): .parameter(name)
        }
    } }
}

/// What a route pattern is built from: the case with a placeholder in its values.
private let any = ""
private let anyID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

/// Every path of the web pages, so that templates, redirects and the route table never hold
/// hand-written paths.
enum SiteURL {
    case root, login, logout, home, generate, register, search, follow, importPage
    case document(String)
    case summary(String)
    case filledForm(String)
    case weather, weatherFeed, alerts
    case diagnosis(String?)
    case episodes
    case assistanceRequests
    case assistanceClose(UUID)
    case officeConsole
    /// The console's « marquer comme lu ».
    case officeMarkRead
    /// The console's live events (server-sent events).
    case officeLive
    /// R-NUM-8: revoke an offline device (stolen, lost).
    case officeDeviceRevoke(UUID)
    case drm
    case communicate
    case episode(UUID)
    case episodeAction(UUID, EpisodeAction)
    /// An episode page's live events.
    case episodeLive(UUID)
    case alertBulletin(String)
    case alertEnd(String)
    case blankForm(DocumentType, gamma2: Bool)
    case move(String, StatusMove)
    case stylesheet
    case script
    /// The information pages: accessibility statement, legal notice, personal data.
    case accessibility, legalNotice, personalData
    /// The footer's switch to the other language (`LanguageController`).
    case language(Language)

    /// What an episode page posts.
    enum EpisodeAction: String {
        case evidence = "piece"
        case end = "clore"
        case decision
    }

    var parts: [PathPart] {
        switch self {
        case .root: []
        case .login: [.fixed("connexion")]
        case .logout: [.fixed("deconnexion")]
        case .home: [.fixed("accueil")]
        case .generate: [.fixed("generer")]
        case .register: [.fixed("enregistrer")]
        case .search: [.fixed("rechercher")]
        case .follow: [.fixed("suivre")]
        case .importPage: [.fixed("importer")]
        case let .document(n): [.fixed("documents"), .value(name: "number", n)]
        case let .summary(n): [.fixed("documents"), .value(name: "number", n), .fixed("recapitulatif")]
        case let .filledForm(n): [.fixed("documents"), .value(name: "number", n), .fixed("formulaire.pdf")]
        case let .move(n, move): [.fixed("documents"), .value(name: "number", n), .fixed(move.pathComponent)]
        case .weather: [.fixed("meteo")]
        case .weatherFeed: [.fixed("meteo"), .fixed("alertes.atom")]
        case .alerts: [.fixed("meteo"), .fixed("alertes")]
        case let .alertBulletin(r): [.fixed("meteo"), .fixed("alertes"), .value(name: "reference", r), .fixed("bip")]
        case let .alertEnd(r): [.fixed("meteo"), .fixed("alertes"), .value(name: "reference", r), .fixed("fin")]
        case let .diagnosis(flow): [.fixed("diagnostic")] + (flow.map { [.value(name: "flow", $0)] } ?? [])
        case .episodes: [.fixed("episodes")]
        case let .episode(id): [.fixed("episodes"), .value(name: "id", id.uuidString.lowercased())]
        case let .episodeAction(id, action): [.fixed("episodes"), .value(name: "id", id.uuidString.lowercased()), .fixed(action.rawValue)]
        case let .episodeLive(id): [.fixed("episodes"), .value(name: "id", id.uuidString.lowercased()), .fixed("direct")]
        case .assistanceRequests: [.fixed("assistance")]
        case let .assistanceClose(id): [.fixed("assistance"), .value(name: "id", id.uuidString.lowercased()), .fixed("clore")]
        case .officeConsole: [.fixed("bureau")]
        case .officeMarkRead: [.fixed("bureau"), .fixed("lu")]
        case .officeLive: [.fixed("bureau"), .fixed("direct")]
        case let .officeDeviceRevoke(id): [.fixed("bureau"), .fixed("postes"), .value(name: "id", id.uuidString.lowercased()), .fixed("revoquer")]
        case .drm: [.fixed("drm")]
        case .communicate: [.fixed("communiquer")]
        case let .blankForm(type, _): [.fixed("formulaires"), .value(name: "file", "\(type.rawValue).pdf")]
        case .stylesheet: [.fixed("styles.css")]
        case .script: [.fixed("app.js")]
        case .accessibility: [.fixed("accessibilite")]
        case .legalNotice: [.fixed("mentions-legales")]
        case .personalData: [.fixed("donnees-personnelles")]
        case let .language(language): [.fixed("langue"), .value(name: "code", language.rawValue)]
        }
    }

    var path: String {
        switch self {
        case let .blankForm(_, gamma2): parts.path + (gamma2 ? "?variant=gamma2" : "")
        default: parts.path
        }
    }

    /// The route pattern of this kind of page (its values are parameters).
    var route: [PathComponent] { parts.route }

    // The patterns the route table registers.
    static let documentRoute = SiteURL.document(any).route
    static let summaryRoute = SiteURL.summary(any).route
    static let filledFormRoute = SiteURL.filledForm(any).route
    static func moveRoute(_ move: StatusMove) -> [PathComponent] { SiteURL.move(any, move).route }
    static let alertBulletinRoute = SiteURL.alertBulletin(any).route
    static let alertEndRoute = SiteURL.alertEnd(any).route
    static let diagnosisFlowRoute = SiteURL.diagnosis(any).route
    static let episodeRoute = SiteURL.episode(anyID).route
    static let officeDeviceRevokeRoute = SiteURL.officeDeviceRevoke(anyID).route
    static func episodeActionRoute(_ action: EpisodeAction) -> [PathComponent] { SiteURL.episodeAction(anyID, action).route }
    static let episodeLiveRoute = SiteURL.episodeLive(anyID).route
    static let assistanceCloseRoute = SiteURL.assistanceClose(anyID).route
    static let blankFormRoute = SiteURL.blankForm(.dae, gamma2: false).route
    static let languageRoute = SiteURL.language(.en).route
}

/// Every path of the JSON API under `/api/v1`, for the route table and the `Location` headers.
enum APIURL {
    case openapi
    case token, tokenRefresh
    case offices, companies, users
    case exciseNumbers
    case rights(exciseNumber: String, login: String)
    case documents
    case registrations
    case document(String)
    case documentHistory(String)
    case documentForm(String)
    case documentMove(String, StatusMove)
    case followed(exciseNumber: String)
    case blankForm(String)
    case imports
    case episodes
    case episode(UUID)
    case episodeDecision(UUID), episodeEvidence(UUID), episodeEnd(UUID)
    case drm
    case communications
    case assistanceRequests
    case assistanceRequest(UUID)
    case assistanceClose(UUID)
    case toolkitState, toolkitPush, toolkitReservations, toolkitRetire, toolkitDevices
    case toolkitDeviceRevoke(UUID)
    case alerts
    case alert(String)
    case alertBulletins(String), alertEnd(String)
    case sealTrustList, sealVerify

    private static let prefix: [PathPart] = [.fixed("api"), .fixed("v1")]
    static let prefixRoute = prefix.route

    /// Whether a request path is the API's (anything under `/api/`, known or not): its errors are
    /// JSON, its refusals carry `WWW-Authenticate`, its answers are never cached.
    static func owns(_ path: String) -> Bool { path.hasPrefix("/api/") }

    var parts: [PathPart] {
        let id = { (u: UUID) in PathPart.value(name: "id", u.uuidString.lowercased()) }
        let rest: [PathPart] = switch self {
        case .openapi: [.fixed("openapi.json")]
        case .token: [.fixed("auth"), .fixed("token")]
        case .tokenRefresh: [.fixed("auth"), .fixed("token"), .fixed("refresh")]
        case .offices: [.fixed("offices")]
        case .companies: [.fixed("companies")]
        case .users: [.fixed("users")]
        case .exciseNumbers: [.fixed("excise-numbers")]
        case let .rights(n, login): [.fixed("excise-numbers"), .value(name: "number", n), .fixed("rights"), .value(name: "login", login)]
        case .documents: [.fixed("documents")]
        case .registrations: [.fixed("documents"), .fixed("registrations")]
        case let .document(n): [.fixed("documents"), .value(name: "number", n)]
        case let .documentHistory(n): [.fixed("documents"), .value(name: "number", n), .fixed("history")]
        case let .documentForm(n): [.fixed("documents"), .value(name: "number", n), .fixed("form.pdf")]
        case let .documentMove(n, move): [.fixed("documents"), .value(name: "number", n), .fixed(move.apiPathComponent)]
        case let .followed(n): [.fixed("excise-numbers"), .value(name: "number", n), .fixed("documents")]
        case let .blankForm(file): [.fixed("forms"), .value(name: "file", file)]
        case .imports: [.fixed("imports")]
        case .episodes: [.fixed("episodes")]
        case let .episode(u): [.fixed("episodes"), id(u)]
        case let .episodeDecision(u): [.fixed("episodes"), id(u), .fixed("decision")]
        case let .episodeEvidence(u): [.fixed("episodes"), id(u), .fixed("evidence")]
        case let .episodeEnd(u): [.fixed("episodes"), id(u), .fixed("end")]
        case .drm: [.fixed("reports"), .fixed("drm")]
        case .communications: [.fixed("communications")]
        case .assistanceRequests: [.fixed("assistance-requests")]
        case let .assistanceRequest(u): [.fixed("assistance-requests"), id(u)]
        case let .assistanceClose(u): [.fixed("assistance-requests"), id(u), .fixed("close")]
        case .toolkitState: [.fixed("toolkit"), .fixed("state")]
        case .toolkitPush: [.fixed("toolkit"), .fixed("push")]
        case .toolkitReservations: [.fixed("toolkit"), .fixed("reservations")]
        case .toolkitRetire: [.fixed("toolkit"), .fixed("retire")]
        case .toolkitDevices: [.fixed("toolkit"), .fixed("devices")]
        case let .toolkitDeviceRevoke(u): [.fixed("toolkit"), .fixed("devices"), id(u), .fixed("revoke")]
        case .alerts: [.fixed("alerts")]
        case let .alert(r): [.fixed("alerts"), .value(name: "reference", r)]
        case let .alertBulletins(r): [.fixed("alerts"), .value(name: "reference", r), .fixed("bulletins")]
        case let .alertEnd(r): [.fixed("alerts"), .value(name: "reference", r), .fixed("end")]
        case .sealTrustList: [.fixed("seal"), .fixed("trust-list")]
        case .sealVerify: [.fixed("seal"), .fixed("verify")]
        }
        return Self.prefix + rest
    }

    var path: String { parts.path }

    /// The route pattern below `/api/v1` (the route table's API group holds the prefix).
    var route: [PathComponent] { Array(parts.dropFirst(Self.prefix.count)).route }

    static func documentRoute(_ make: (String) -> APIURL) -> [PathComponent] { make(any).route }
    static func idRoute(_ make: (UUID) -> APIURL) -> [PathComponent] { make(anyID).route }
    static func referenceRoute(_ make: (String) -> APIURL) -> [PathComponent] { make(any).route }
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
    let importPage = SiteURL.importPage.path
    let stylesheet = SiteURL.stylesheet.path
    let script = SiteURL.script.path
    let openapi = APIURL.openapi.path
    let alertsAPI = APIURL.alerts.path
    let weather = SiteURL.weather.path
    let diagnosis = SiteURL.diagnosis(nil).path
    let episodes = SiteURL.episodes.path
    let office = SiteURL.officeConsole.path
    let drm = SiteURL.drm.path
    let communicate = SiteURL.communicate.path
    let assistance = SiteURL.assistanceRequests.path
    let weatherFeed = SiteURL.weatherFeed.path
    let accessibility = SiteURL.accessibility.path
    let legalNotice = SiteURL.legalNotice.path
    let personalData = SiteURL.personalData.path
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

    /// The API's path segment.
    var apiPathComponent: String {
        switch self {
        case .cancel: "cancellation"
        case .reactivate: "reactivation"
        case .reintegrate: "reintegration"
        case .inactivate: "inactivation"
        }
    }
}
