import Fluent
import Foundation
import SecoursCore
import Vapor

/// Manual numbers communicated to the office before departure (R-OFF-1, seed 001: « avant le
/// départ des marchandises, vous devez communiquer à votre service des douanes de rattachement …
/// le ou les numéros utilisés »).
struct CommunicationService {
    let db: Database
    let principal: Principal

    func communicate(_ v: RegistrationRequest.Valid, now: Date) async throws -> CommunicationModel {
        try principal.require(.communicateNumbers)
        let model = try await DocumentService(db: db, principal: principal).requireIssueRight(v.type, on: v.exciseNumber)
        let store = CommunicationStore(db: db)
        if try await !store.communicated(among: [v.number.value]).isEmpty {
            throw SecoursError(kind: .conflict, code: "already_communicated", message: Messages.Communications.alreadyCommunicated(v.number.value))
        }
        let c = CommunicationModel()
        c.id = UUID()
        c.exciseNumber = v.exciseNumber.value
        c.officeID = model.$office.id
        c.number = v.number.value
        c.type = v.type
        c.transport = v.transport
        c.dispatchDate = v.dispatch.day.iso
        c.dispatchTime = v.dispatch.time.text
        c.communicatedAt = now
        c.communicatedBy = principal.login
        let notice = OfficeNoticeStore.notice(.communication, office: model.$office.id, exciseNumber: v.exciseNumber.value,
                                              text: Messages.Communications.notice(v), link: SiteURL.officeConsole.path, at: now)
        try await store.create(c, notice: notice)
        return c
    }

    /// The principal's own (its excise numbers') or its office's communications, newest first.
    func list(limit: Int = 200) async throws -> [CommunicationModel] {
        try await CommunicationStore(db: db).list(Scope(db: db, principal: principal).records(), limit: limit)
    }
}
