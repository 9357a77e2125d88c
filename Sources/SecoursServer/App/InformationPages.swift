import SecoursCore
import Vapor

/// The information pages every public service gives (accessibility statement, legal notice,
/// personal data): public, no sign-in, their text in their templates.
struct InformationPagesController {
    /// The pages hold nothing but their template's text.
    struct Content: Encodable {}

    func accessibility(req: Request) async throws -> View {
        try await req.view.render("accessibilite", Page(req, title: Messages.Information.accessibilityTitle, content: Content()))
    }

    func legalNotice(req: Request) async throws -> View {
        try await req.view.render("mentions-legales", Page(req, title: Messages.Information.legalNoticeTitle, content: Content()))
    }

    func personalData(req: Request) async throws -> View {
        try await req.view.render("donnees-personnelles", Page(req, title: Messages.Information.personalDataTitle, content: Content()))
    }
}

/// Registers the information pages on the web group (with sessions, so that a signed-in
/// account keeps its menu; no sign-in needed).
func registerInformationPages(on web: RoutesBuilder) {
    let pages = InformationPagesController()
    web.get(SiteURL.accessibility.route, use: pages.accessibility)
    web.get(SiteURL.legalNotice.route, use: pages.legalNotice)
    web.get(SiteURL.personalData.route, use: pages.personalData)
}
