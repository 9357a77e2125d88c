import SecoursCore
import Vapor

/// Sign-in and sign-out pages.
struct WebAuthController {
    struct LoginContent: Encodable {
        let login: String
        let error: String?
        /// Why the person is asked to sign in (a page asked for, a session that ended).
        var notice: String? = nil
        /// Where they go afterwards (`?suite=`), and the form they were sending (`KeptForm.carried`).
        var suite: String? = nil
        var kept: String? = nil
        /// The current alerts: the outage is where the person starts.
        var outage: OutageBanner? = nil
    }

    /// `/connexion`, or `/connexion?suite=/page` when a signed-in page was asked for.
    func loginPage(req: Request) async throws -> View {
        let suite = ReturnPath.safe(req.query[String.self, at: "suite"])
        var content = LoginContent(login: "", error: nil, notice: suite == nil ? nil : Messages.Accounts.signInToContinue, suite: suite)
        content.outage = try await OutageBanner.current(req, fresh: true)
        return try await req.view.render("login", Page(req, title: Messages.Accounts.signInTitle, content: content))
    }

    struct LoginForm: Content {
        let login: String?
        let password: String?
        let suite: String?
        let _kept: String?
    }

    func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let suite = ReturnPath.safe(form.suite)
        let kept = form._kept.flatMap { KeptForm(carried: $0) }.flatMap { $0.isEmpty ? nil : $0 }
        do {
            let user = try await AccountService(req: req).authenticate(login: form.login, password: form.password)
            // A fresh session id on sign-in, so a session planted before cannot be reused.
            req.session.id = nil
            req.session.data[CSRF.sessionKey] = nil
            req.auth.login(try Principal(user))
            let destination = SignInGate.destination(suite)
            if let kept, destination != SiteURL.home.path {
                return try await SignInGate.resumePage(req, form: kept, action: destination, why: .signedIn)
            }
            return req.redirect(to: destination, redirectType: .normal)
        } catch let e as SecoursError where e.kind == .unauthorized || e.kind == .tooManyRequests {
            let content = LoginContent(login: form.login ?? "", error: e.message, suite: suite, kept: kept?.carried)
            let view = try await req.view.render("login", Page(req, title: Messages.Accounts.signInTitle, content: content))
            let response = try await view.encodeResponse(for: req)
            response.status = e.kind == .tooManyRequests ? .tooManyRequests : .unauthorized
            return response
        }
    }

    func logout(req: Request) async throws -> Response {
        req.auth.logout(Principal.self)
        req.session.destroy()
        return req.redirect(to: SiteURL.login.path, redirectType: .normal)
    }
}
