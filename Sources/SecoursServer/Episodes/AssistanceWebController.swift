import Foundation
import SecoursCore
import Vapor

/// The operator's page « Demande d'assistance » to self-trigger the fallback procedure (R-DIAG-3).
struct AssistanceWebController {
    // MARK: Demande d'assistance

    struct AssistanceRow: Encodable {
        let reference: String
        let exciseNumber: String
        let service: String
        let registered: String
        let closed: String?
        let episode: String
        let close: String?
    }

    struct AssistanceContent: Encodable {
        let mention: String
        let exciseNumbers: [Option]
        let services: [Option]
        let values: [String: String]
        let errors: [String: String]
        let rows: [AssistanceRow]
        let action: String
    }

    func assistanceForm(req: Request) async throws -> View {
        let service = req.query[String.self, at: "service"]
        return try await renderAssistance(req, AssistanceRequest(exciseNumber: nil, eori: nil, companyName: nil, address: nil, phone: nil,
                                                                 service: service, switchDate: nil, switchTime: nil, reasons: nil), nil)
    }

    func assistance(req: Request) async throws -> Response {
        let form = try req.content.decode(AssistanceRequest.self)
        let now = req.application.secours.now()
        return try await req.submitForm({
            let r = try await AssistanceService(req).register(try form.validate(now: now), now: now)
            return req.redirect(to: SiteURL.episode(r.episodeID).path, redirectType: .normal)
        }, rerender: { e in
            try await renderAssistance(req, form, e)
        })
    }

    struct CloseForm: Decodable { var comment: String? }

    func closeAssistance(req: Request) async throws -> Response {
        try await req.submitForm({
            _ = try await AssistanceService(req).close(req.parameters.require("id"), comment: req.content.decode(CloseForm.self).comment,
                                                       now: req.application.secours.now())
            return req.redirect(to: SiteURL.assistanceRequests.path, redirectType: .normal)
        }, rerender: { e in
            try await renderAssistance(req, AssistanceRequest(exciseNumber: nil, eori: nil, companyName: nil, address: nil, phone: nil,
                                                              service: nil, switchDate: nil, switchTime: nil, reasons: nil), e)
        })
    }

    private func renderAssistance(_ req: Request, _ v: AssistanceRequest, _ error: SecoursError?) async throws -> View {
        let p = try req.principal()
        try p.require(.requestAssistance)
        let excises = try await Scope(db: req.db, principal: p).issuableExciseNumbers()
        // The company's name and address prefill the request.
        var values = ["eori": v.eori ?? "", "companyName": v.companyName ?? "", "address": v.address ?? "", "phone": v.phone ?? "",
                      "switchDate": v.switchDate ?? "", "switchTime": v.switchTime ?? "", "reasons": v.reasons ?? ""]
        if values["companyName"]!.isEmpty, let companyID = p.companyID, let company = try await OrganisationStore(db: req.db).company(companyID) {
            values["companyName"] = company.name
            values["address"] = values["address"]!.isEmpty ? company.address : values["address"]!
        }
        let rows = try await AssistanceService(req).list().map { r in
            AssistanceRow(reference: r.reference, exciseNumber: r.exciseNumber, service: r.service.label,
                          registered: ParisCalendar.display(r.registeredAt), closed: r.closedAt.map(ParisCalendar.display),
                          episode: SiteURL.episode(r.episodeID).path,
                          close: r.closedAt == nil ? SiteURL.assistanceClose(r.id!).path : nil)
        }
        let content = AssistanceContent(
            mention: AssistanceRequest.mention,
            exciseNumbers: excises.map { Option(value: $0.model.number, label: $0.model.number, selected: $0.model.number == v.exciseNumber?.uppercased()) },
            services: OnlineService.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == v.service?.uppercased()) },
            values: values, errors: error?.formMessages ?? [:], rows: rows, action: SiteURL.assistanceRequests.path)
        return try await req.view.render("assistance", Page(req, title: Messages.Assistance.pageTitle, content: content))
    }
}
