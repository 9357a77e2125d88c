import SecoursCore
import Vapor

/// A sign-in never costs a person what they asked for or typed: a page asked for signed out
/// sends them to the sign-in page and back to it; a form sent after the session ended is kept
/// through the sign-in and offered to be sent again; a form whose page was left open so long
/// that its token changed is offered again with a fresh one.
enum SignInGate {
    /// The sign-in page's address, coming back to `path` afterwards.
    static func address(returningTo path: String) -> String {
        guard let safe = ReturnPath.safe(path), safe != SiteURL.home.path, safe != SiteURL.root.path else { return SiteURL.login.path }
        var url = URLComponents()
        url.path = SiteURL.login.path
        url.queryItems = [URLQueryItem(name: "suite", value: safe)]
        return url.string ?? SiteURL.login.path
    }

    /// Where a sign-in leads: back where the person was going, or home.
    static func destination(_ suite: String?) -> String {
        guard let safe = ReturnPath.safe(suite), !safe.hasPrefix(SiteURL.login.path), !safe.hasPrefix(SiteURL.logout.path) else {
            return SiteURL.home.path
        }
        return safe
    }

    /// The form a post carried, when it can be kept: url-encoded, and sent from this site's own
    /// pages (a post from elsewhere is never replayed).
    static func kept(_ req: Request) -> KeptForm? {
        guard req.headers.contentType == .urlEncodedForm, CSRF.sameOrigin(req),
              let body = req.body.string, let form = KeptForm(urlEncoded: body), !form.isEmpty else { return nil }
        return form
    }

    /// The sign-in page for a post that arrived signed out (the session ended): its form rides
    /// along in the sign-in form, and the page says so.
    static func signInPage(for req: Request) async throws -> Response {
        let upload = req.headers.contentType?.type == "multipart"
        let form = upload ? nil : kept(req)
        let notice = upload ? Messages.Accounts.sessionEndedUploadLost
            : form == nil ? Messages.Accounts.signInToContinue : Messages.Accounts.sessionEndedFormKept
        let content = WebAuthController.LoginContent(login: "", error: nil, notice: notice,
                                                     suite: ReturnPath.safe(req.url.path), kept: form?.carried)
        let response = try await req.view.render("login", Page(req, title: Messages.Accounts.signInTitle, content: content)).encodeResponse(for: req)
        response.status = .unauthorized
        return response
    }

    struct ResumeContent: Encodable {
        struct Field: Encodable { let name: String; let value: String }
        struct Shown: Encodable { let label: String; let value: String }
        let heading: String
        let message: String
        let action: String
        let fields: [Field]
        let shown: [Shown]
        let back: String
    }

    enum Why { case signedIn, staleForm }

    /// The page that sends a kept form again, with this session's token, once the person has
    /// looked at it: nothing is sent without their click.
    static func resumePage(_ req: Request, form: KeptForm, action: String, why: Why) async throws -> Response {
        let labels = Messages.Accounts.keptFieldLabels
        let shown = form.fields.compactMap { f in
            labels[f.name].flatMap { label in f.value.isEmpty ? nil : ResumeContent.Shown(label: label, value: f.value) }
        }
        let referer = req.headers.first(name: .referer).flatMap { URLComponents(string: $0) }.map { $0.path }
        let content = ResumeContent(heading: Messages.Accounts.resumeTitle,
                                    message: why == .signedIn ? Messages.Accounts.resumeAfterSignIn : Messages.Accounts.resumeStaleForm,
                                    action: action, fields: form.fields.map { ResumeContent.Field(name: $0.name, value: $0.value) },
                                    shown: shown, back: why == .staleForm ? destination(referer) : SiteURL.home.path)
        return try await req.view.render("resume", Page(req, title: Messages.Accounts.resumeTitle, content: content)).encodeResponse(for: req)
    }
}

/// The signed-in pages: a visitor is sent to sign in first, and brought back.
struct SignInRequiredMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        if req.auth.has(Principal.self) { return try await next.respond(to: req) }
        if req.method == .GET || req.method == .HEAD {
            return req.redirect(to: SignInGate.address(returningTo: req.url.string), redirectType: .normal)
        }
        return try await SignInGate.signInPage(for: req)
    }
}
