import SecoursCore
import Vapor

/// The one way a page turns a refusal into its form shown again: the typed values kept, each
/// field's message beside it, under the status the error's kind gives (422, 409, 403).
extension Request {
    /// Runs a form's submission; when SecoursCore or a service refuses it, `rerender` draws the
    /// page again with the error. Other errors (not found, unavailable…) go to the error page.
    func submitForm(_ submit: () async throws -> Response,
                    rerender: (SecoursError) async throws -> View) async throws -> Response {
        do {
            return try await submit()
        } catch let e as SecoursError where e.isShownOnForm {
            let response = try await rerender(e).encodeResponse(for: self)
            response.status = SecoursErrorMiddleware.status(e.kind)
            return response
        }
    }
}

extension SecoursError {
    /// Refusals a form shows itself rather than the error page.
    var isShownOnForm: Bool { kind == .invalid || kind == .conflict || kind == .forbidden }

    /// Each field's messages, joined in the order given, for the forms' inline errors.
    var messagesByField: [String: String] {
        var out: [String: String] = [:]
        for f in fields { out[f.field] = (out[f.field].map { $0 + " " } ?? "") + f.message }
        return out
    }

    /// The same, or under `form` the message of an error that names no field.
    var formMessages: [String: String] { fields.isEmpty ? ["form": message] : messagesByField }

    /// Everything the error says in one line, for a page that shows a single message.
    var summary: String { fields.isEmpty ? message : fields.map(\.message).joined(separator: " ") }
}

/// One line of a refused form's summary at the top of the page: the message, and the field it
/// links to (`#id`) when the error names one whose place is known.
struct FormErrorLink: Encodable {
    let href: String?
    let message: String

    /// One line per refused field, in the order given, each linked to `anchors[field]`.
    static func list(_ error: SecoursError?, anchors: [String: String]) -> [FormErrorLink] {
        guard let error else { return [] }
        var seen: Set<String> = []
        let messages = error.messagesByField
        return error.fields.compactMap { f in
            guard seen.insert(f.field).inserted else { return nil }
            return FormErrorLink(href: anchors[f.field].map { "#" + $0 }, message: messages[f.field] ?? f.message)
        }
    }
}
