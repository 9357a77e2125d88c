import SecoursCore
import Vapor

/// Sign-in and sign-out pages.
struct WebAuthController {
    struct LoginContent: Encodable {
        let login: String
        let error: String?
    }

    func loginPage(req: Request) async throws -> View {
        try await req.view.render("login", Page(req, title: "Connexion", content: LoginContent(login: "", error: nil)))
    }

    struct LoginForm: Content { let login: String?; let password: String? }

    func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        do {
            let user = try await AccountService(req: req).authenticate(login: form.login, password: form.password)
            // A fresh session id on sign-in, so a session planted before cannot be reused.
            req.session.id = nil
            req.session.data[CSRF.sessionKey] = nil
            req.auth.login(try Principal(user))
            return req.redirect(to: SiteURL.home.path, redirectType: .normal)
        } catch let e as SecoursError where e.kind == .unauthorized || e.kind == .tooManyRequests {
            let view = try await req.view.render("login", Page(req, title: "Connexion",
                                                               content: LoginContent(login: form.login ?? "", error: e.message)))
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
