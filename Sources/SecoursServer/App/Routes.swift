import SecoursCore
import Vapor

/// The route table: every path of the service, in one place, each built from `SiteURL` or
/// `APIURL` so that the links the pages and `Location` headers give are the routes registered here.
func routes(_ app: Application) throws {
    app.get("health") { _ in ["status": "ok"] }
    app.get("metrics", use: MetricsEndpoint.serve)

    let settings = app.secours.settings
    let api = app.grouped(APIURL.prefixRoute).grouped(APIBodyMiddleware(maxBodySize: settings.maxBodySize, maxImportSize: settings.maxImportSize))
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
    let communicatePages = CommunicateWebController()
    let assistancePages = AssistanceWebController()
    let drm = DRMReportController()
    let toolkit = ToolkitAPIController()
    do { // open
        api.get(APIURL.openapi.route, use: OpenAPIDocument.serve)
        api.post(APIURL.token.route, use: accounts.token)
        let cached = api.grouped(PublicPageCacheMiddleware())
        cached.get(APIURL.alerts.route, use: alerts.board)
        cached.get(APIURL.referenceRoute(APIURL.alert), use: alerts.show)
        let seal = SealController()
        api.get(APIURL.sealTrustList.route, use: seal.trustList)
        api.post(APIURL.sealVerify.route, use: seal.verify)
    }
    let authed = api.grouped(BearerPrincipalAuthenticator(), SignedInGuard())
    authed.delete(APIURL.token.route, use: accounts.revoke)
    authed.post(APIURL.tokenRefresh.route, use: accounts.refresh)
    do { // administration (CID; rights also by company administrators)
        authed.post(APIURL.offices.route, use: accounts.createOffice)
        authed.post(APIURL.companies.route, use: accounts.createCompany)
        authed.post(APIURL.exciseNumbers.route, use: accounts.createExciseNumber)
        authed.get(APIURL.exciseNumbers.route, use: accounts.listExciseNumbers)
        authed.post(APIURL.users.route, use: accounts.createUser)
        authed.put(APIURL.rights(exciseNumber: "", login: "").route, use: accounts.setRights)
    }
    do { // fallback documents
        authed.post(APIURL.documents.route, use: documents.generate)
        authed.post(APIURL.registrations.route, use: documents.register)
        authed.on(.POST, APIURL.imports.route, body: .collect(maxSize: ByteCount(value: settings.maxImportSize)), use: imports.importFile)
        authed.post(APIURL.documentRoute { .documentMove($0, .cancel) }, use: documents.cancel)
        authed.post(APIURL.documentRoute { .documentMove($0, .reactivate) }, use: documents.reactivate)
        authed.post(APIURL.documentRoute { .documentMove($0, .reintegrate) }, use: documents.reintegrate)
        authed.get(APIURL.documents.route, use: documents.search)
        authed.get(APIURL.documentRoute { .followed(exciseNumber: $0) }, use: documents.follow)
        authed.get(APIURL.documentRoute(APIURL.document), use: documents.show)
        authed.get(APIURL.documentRoute(APIURL.documentHistory), use: documents.history)
        authed.get(APIURL.documentRoute(APIURL.documentForm), use: forms.filled)
        authed.get(APIURL.documentRoute(APIURL.blankForm), use: forms.blank)
    }
    do { // fallback episodes
        authed.get(APIURL.episodes.route, use: episodes.list)
        authed.post(APIURL.episodes.route, use: episodes.create)
        authed.get(APIURL.idRoute(APIURL.episode), use: episodes.show)
        authed.post(APIURL.idRoute(APIURL.episodeDecision), use: episodes.decide)
        authed.post(APIURL.idRoute(APIURL.episodeEvidence), use: episodes.addEvidence)
        authed.post(APIURL.idRoute(APIURL.episodeEnd), use: episodes.end)
        authed.get(APIURL.drm.route, use: drm.api)
        authed.get(APIURL.communications.route, use: communications.list)
        authed.post(APIURL.communications.route, use: communications.create)
        authed.get(APIURL.assistanceRequests.route, use: assistance.list)
        authed.post(APIURL.assistanceRequests.route, use: assistance.create)
        authed.get(APIURL.idRoute(APIURL.assistanceRequest), use: assistance.show)
        authed.post(APIURL.idRoute(APIURL.assistanceClose), use: assistance.close)
    }
    do { // the offline toolkit (`secours sync`)
        authed.get(APIURL.toolkitState.route, use: toolkit.state)
        authed.on(.POST, APIURL.toolkitPush.route, body: .collect(maxSize: ByteCount(value: settings.maxImportSize)), use: toolkit.push)
        // A lease's description may list up to 1,000 segments (uuid and number each): more than
        // the default 64 KB body, far less than 1 MB.
        authed.on(.POST, APIURL.toolkitReservations.route, body: .collect(maxSize: ByteCount(value: APIBodyMiddleware.reservationsLimit)), use: toolkit.reserve)
        authed.get(APIURL.toolkitReservations.route, use: toolkit.reservations)
        authed.post(APIURL.toolkitRetire.route, use: toolkit.retire)
        authed.get(APIURL.toolkitDevices.route, use: toolkit.devices)
        authed.post(APIURL.idRoute(APIURL.toolkitDeviceRevoke), use: toolkit.revoke)
    }
    do { // alerts (CID)
        authed.post(APIURL.alerts.route, use: alerts.publish)
        authed.post(APIURL.referenceRoute(APIURL.alertBulletins), use: alerts.addBulletin)
        authed.post(APIURL.referenceRoute(APIURL.alertEnd), use: alerts.end)
    }

    let web = app.grouped(app.sessions.middleware, LanguageMiddleware(), SessionPrincipalAuthenticator(),
                          CSRFMiddleware(maxBodySize: settings.maxBodySize, maxImportSize: settings.maxImportSize))
    let auth = WebAuthController()
    let pages = DocumentsWebController()
    let lifecycle = LifecycleWebController()
    do { // sign-in
        web.get { req in req.redirect(to: (req.auth.has(Principal.self) ? SiteURL.home : SiteURL.login).path) }
        web.grouped(PublicPageCacheMiddleware()).get(SiteURL.login.route, use: auth.loginPage)
        web.post(SiteURL.login.route, use: auth.login)
        web.post(SiteURL.logout.route, use: auth.logout)
    }
    do { // weather (public; the CID acts on it), kept rendered for visitors not signed in
        let cached = web.grouped(PublicPageCacheMiddleware())
        cached.get(SiteURL.weather.route, use: weather.page)
        cached.get(SiteURL.weatherFeed.route, use: weather.feed)
        cached.get(SiteURL.diagnosis(nil).route, use: diagnosis.page)
        cached.get(SiteURL.diagnosisFlowRoute, use: diagnosis.page)
    }
    registerInformationPages(on: web)
    web.get(SiteURL.languageRoute, use: LanguageController().choose)
    let signedIn = web.grouped(SignInRequiredMiddleware())
    do { // GPS pages
        signedIn.get(SiteURL.home.route, use: pages.home)
        signedIn.get(SiteURL.generate.route, use: pages.generateForm)
        signedIn.post(SiteURL.generate.route, use: pages.generate)
        signedIn.get(SiteURL.documentRoute, use: pages.detail)
        signedIn.get(SiteURL.summaryRoute, use: pages.summary)
        signedIn.get(SiteURL.register.route, use: lifecycle.registerForm)
        signedIn.post(SiteURL.register.route, use: lifecycle.register)
        signedIn.get(SiteURL.search.route, use: lifecycle.search)
        signedIn.get(SiteURL.importPage.route, use: imports.uploadPage)
        signedIn.on(.POST, SiteURL.importPage.route, body: .collect(maxSize: ByteCount(value: settings.maxImportSize)), use: imports.upload)
        signedIn.get(SiteURL.follow.route, use: lifecycle.follow)
        signedIn.get(SiteURL.blankFormRoute, use: forms.blank)
        signedIn.get(SiteURL.filledFormRoute, use: forms.filled)
        signedIn.get(SiteURL.communicate.route, use: communicatePages.communicateForm)
        signedIn.post(SiteURL.communicate.route, use: communicatePages.communicate)
        signedIn.get(SiteURL.assistanceRequests.route, use: assistancePages.assistanceForm)
        signedIn.post(SiteURL.assistanceRequests.route, use: assistancePages.assistance)
        signedIn.post(SiteURL.assistanceCloseRoute, use: assistancePages.closeAssistance)
        signedIn.get(SiteURL.drm.route, use: drm.html)
        signedIn.get(SiteURL.officeConsole.route, use: console.page)
        signedIn.post(SiteURL.officeMarkRead.route, use: console.markRead)
        signedIn.get(SiteURL.officeLive.route, use: console.live)
        signedIn.post(SiteURL.officeDeviceRevokeRoute, use: console.revokeDevice)
        signedIn.get(SiteURL.episodes.route, use: episodePages.list)
        signedIn.post(SiteURL.episodes.route, use: episodePages.create)
        signedIn.get(SiteURL.episodeRoute, use: episodePages.detail)
        signedIn.post(SiteURL.episodeActionRoute(.evidence), use: episodePages.addEvidence)
        signedIn.post(SiteURL.episodeActionRoute(.end), use: episodePages.end)
        signedIn.post(SiteURL.episodeActionRoute(.decision), use: episodePages.decide)
        signedIn.get(SiteURL.episodeLiveRoute, use: episodePages.live)
        signedIn.post(SiteURL.alerts.route, use: weather.publish)
        signedIn.post(SiteURL.alertBulletinRoute, use: weather.addBulletin)
        signedIn.post(SiteURL.alertEndRoute, use: weather.end)
        signedIn.post(SiteURL.moveRoute(.cancel), use: lifecycle.cancel)
        signedIn.post(SiteURL.moveRoute(.reactivate), use: lifecycle.reactivate)
        signedIn.post(SiteURL.moveRoute(.reintegrate), use: lifecycle.reintegrate)
    }
}
