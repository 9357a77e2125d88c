import SecoursCore
import Vapor

/// The route table: every path of the service, in one place.
func routes(_ app: Application) throws {
    app.get("health") { _ in ["status": "ok"] }
    app.get("metrics", use: MetricsEndpoint.serve)

    let settings = app.secours.settings
    let api = app.grouped("api", "v1").grouped(APIBodyMiddleware(maxBodySize: settings.maxBodySize, maxImportSize: settings.maxImportSize))
    let accounts = AccountsAPIController()
    let documents = DocumentsAPIController()
    let imports = ImportsController()
    let forms = FormsController()
    let alerts = AlertsAPIController()
    let weather = WeatherWebController()
    let diagnosis = DiagnosisWebController()
    let episodes = EpisodesAPIController()
    let episodePages = EpisodesWebController()
    let assistance = AssistanceAPIController()
    let communications = CommunicationsAPIController()
    let console = OfficeConsoleController()
    let operatorPages = OperatorPagesController()
    let drm = DRMReportController()
    let toolkit = ToolkitAPIController()
    do { // open
        api.get("openapi.json", use: OpenAPIDocument.serve)
        api.post("auth", "token", use: accounts.token)
        let cached = api.grouped(PublicPageCacheMiddleware())
        cached.get("alerts", use: alerts.board)
        cached.get("alerts", ":reference", use: alerts.show)
    }
    let authed = api.grouped(BearerPrincipalAuthenticator(), Principal.guardMiddleware(throwing: SecoursError.unauthenticated))
    authed.delete("auth", "token", use: accounts.revoke)
    authed.post("auth", "token", "refresh", use: accounts.refresh)
    do { // administration (CID; rights also by company administrators)
        authed.post("offices", use: accounts.createOffice)
        authed.post("companies", use: accounts.createCompany)
        authed.post("excise-numbers", use: accounts.createExciseNumber)
        authed.get("excise-numbers", use: accounts.listExciseNumbers)
        authed.post("users", use: accounts.createUser)
        authed.put("excise-numbers", ":number", "rights", ":login", use: accounts.setRights)
    }
    do { // fallback documents
        authed.post("documents", use: documents.generate)
        authed.post("documents", "registrations", use: documents.register)
        authed.on(.POST, "imports", body: .collect(maxSize: ByteCount(value: settings.maxImportSize)), use: imports.importFile)
        authed.post("documents", ":number", "cancellation", use: documents.cancel)
        authed.post("documents", ":number", "reactivation", use: documents.reactivate)
        authed.post("documents", ":number", "reintegration", use: documents.reintegrate)
        authed.get("documents", use: documents.search)
        authed.get("excise-numbers", ":number", "documents", use: documents.follow)
        authed.get("documents", ":number", use: documents.show)
        authed.get("documents", ":number", "history", use: documents.history)
        authed.get("documents", ":number", "form.pdf", use: forms.filled)
        authed.get("forms", ":file", use: forms.blank)
    }
    do { // fallback episodes
        authed.get("episodes", use: episodes.list)
        authed.post("episodes", use: episodes.create)
        authed.get("episodes", ":id", use: episodes.show)
        authed.post("episodes", ":id", "decision", use: episodes.decide)
        authed.post("episodes", ":id", "evidence", use: episodes.addEvidence)
        authed.post("episodes", ":id", "end", use: episodes.end)
        authed.get("reports", "drm", use: drm.api)
        authed.get("communications", use: communications.list)
        authed.post("communications", use: communications.create)
        authed.get("assistance-requests", use: assistance.list)
        authed.post("assistance-requests", use: assistance.create)
        authed.get("assistance-requests", ":id", use: assistance.show)
        authed.post("assistance-requests", ":id", "close", use: assistance.close)
    }
    do { // the offline toolkit (`secours sync`)
        authed.get("toolkit", "state", use: toolkit.state)
        authed.on(.POST, "toolkit", "push", body: .collect(maxSize: ByteCount(value: settings.maxImportSize)), use: toolkit.push)
        authed.post("toolkit", "reservations", use: toolkit.reserve)
        authed.get("toolkit", "reservations", use: toolkit.reservations)
    }
    do { // alerts (CID)
        authed.post("alerts", use: alerts.publish)
        authed.post("alerts", ":reference", "bulletins", use: alerts.addBulletin)
        authed.post("alerts", ":reference", "end", use: alerts.end)
    }

    let web = app.grouped(app.sessions.middleware, SessionPrincipalAuthenticator(),
                          CSRFMiddleware(maxBodySize: settings.maxBodySize, maxImportSize: settings.maxImportSize))
    let auth = WebAuthController()
    let pages = DocumentsWebController()
    let lifecycle = LifecycleWebController()
    do { // sign-in
        web.get { req in req.redirect(to: (req.auth.has(Principal.self) ? SiteURL.home : SiteURL.login).path) }
        web.grouped(PublicPageCacheMiddleware()).get("connexion", use: auth.loginPage)
        web.post("connexion", use: auth.login)
        web.post("deconnexion", use: auth.logout)
    }
    do { // weather (public; the CID acts on it), kept rendered for visitors not signed in
        let cached = web.grouped(PublicPageCacheMiddleware())
        cached.get("meteo", use: weather.page)
        cached.get("meteo", "alertes.atom", use: weather.feed)
        cached.get("diagnostic", use: diagnosis.page)
        cached.get("diagnostic", ":flow", use: diagnosis.page)
    }
    let signedIn = web.grouped(Principal.redirectMiddleware(path: SiteURL.login.path))
    do { // GPS pages
        signedIn.get("accueil", use: pages.home)
        signedIn.get("generer", use: pages.generateForm)
        signedIn.post("generer", use: pages.generate)
        signedIn.get("documents", ":number", use: pages.detail)
        signedIn.get("documents", ":number", "recapitulatif", use: pages.summary)
        signedIn.get("enregistrer", use: lifecycle.registerForm)
        signedIn.post("enregistrer", use: lifecycle.register)
        signedIn.get("rechercher", use: lifecycle.search)
        signedIn.get("importer", use: imports.uploadPage)
        signedIn.on(.POST, "importer", body: .collect(maxSize: ByteCount(value: settings.maxImportSize)), use: imports.upload)
        signedIn.get("suivre", use: lifecycle.follow)
        signedIn.get("formulaires", ":file", use: forms.blank)
        signedIn.get("documents", ":number", "formulaire.pdf", use: forms.filled)
        signedIn.get("communiquer", use: operatorPages.communicateForm)
        signedIn.post("communiquer", use: operatorPages.communicate)
        signedIn.get("assistance", use: operatorPages.assistanceForm)
        signedIn.post("assistance", use: operatorPages.assistance)
        signedIn.post("assistance", ":id", "clore", use: operatorPages.closeAssistance)
        signedIn.get("drm", use: drm.html)
        signedIn.get("bureau", use: console.page)
        signedIn.post("bureau", "lu", use: console.markRead)
        signedIn.get("episodes", use: episodePages.list)
        signedIn.post("episodes", use: episodePages.create)
        signedIn.get("episodes", ":id", use: episodePages.detail)
        signedIn.post("episodes", ":id", "piece", use: episodePages.addEvidence)
        signedIn.post("episodes", ":id", "clore", use: episodePages.end)
        signedIn.post("episodes", ":id", "decision", use: episodePages.decide)
        signedIn.post("meteo", "alertes", use: weather.publish)
        signedIn.post("meteo", "alertes", ":reference", "bip", use: weather.addBulletin)
        signedIn.post("meteo", "alertes", ":reference", "fin", use: weather.end)
        signedIn.post("documents", ":number", .constant(StatusMove.cancel.pathComponent), use: lifecycle.cancel)
        signedIn.post("documents", ":number", .constant(StatusMove.reactivate.pathComponent), use: lifecycle.reactivate)
        signedIn.post("documents", ":number", .constant(StatusMove.reintegrate.pathComponent), use: lifecycle.reintegrate)
    }
}
