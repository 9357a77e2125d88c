import Foundation
import SecoursCore
import Vapor

/// The operator's page « Communiquer un numéro manuel » to the office before departure.
struct CommunicateWebController {
    // MARK: Communiquer

    struct CommunicateContent: Encodable {
        let exciseNumbers: [Option]
        let types: [Option]
        let values: [String: String]
        let errors: [String: String]
        let rows: [CommunicationDTO]
        let action: String
    }

    func communicateForm(req: Request) async throws -> View {
        try await renderCommunicate(req, RegistrationRequest(number: nil, type: nil, exciseNumber: nil, transport: nil, dispatchDate: nil, dispatchTime: nil), nil)
    }

    func communicate(req: Request) async throws -> Response {
        let form = try req.content.decode(RegistrationRequest.self)
        let now = req.application.secours.now()
        return try await req.submitForm({
            _ = try await CommunicationService(db: req.db, principal: req.principal()).communicate(try form.validate(now: now, departure: .upcoming), now: now)
            return req.redirect(to: SiteURL.communicate.path, redirectType: .normal)
        }, rerender: { e in
            try await renderCommunicate(req, form, e)
        })
    }

    private func renderCommunicate(_ req: Request, _ v: RegistrationRequest, _ error: SecoursError?) async throws -> View {
        let p = try req.principal()
        try p.require(.communicateNumbers)
        let excises = try await Scope(db: req.db, principal: p).issuableExciseNumbers().map(\.model.number)
        let content = CommunicateContent(
            exciseNumbers: excises.map { Option(value: $0, label: $0, selected: $0 == v.exciseNumber?.uppercased()) },
            types: DocumentType.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == v.type) },
            values: ["number": v.number ?? "", "transport": v.transport ?? "", "dispatchDate": v.dispatchDate ?? "", "dispatchTime": v.dispatchTime ?? ""],
            errors: error?.formMessages ?? [:], rows: try await CommunicationService(db: req.db, principal: p).list(limit: 50).map(CommunicationDTO.init),
            action: SiteURL.communicate.path)
        return try await req.view.render("communicate", Page(req, title: Messages.Console.communicateTitle, content: content))
    }
}
