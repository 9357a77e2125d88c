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
        if try await CommunicationModel.query(on: db).filter(\.$number == v.number.value).first() != nil {
            throw SecoursError(kind: .conflict, code: "already_communicated", message: "Le numéro \(v.number.value) a déjà été communiqué au bureau.")
        }
        let c = CommunicationModel()
        c.id = UUID()
        c.exciseNumber = v.exciseNumber.value
        c.officeID = model.$office.id
        c.number = v.number.value
        c.type = v.type.rawValue
        c.transport = v.transport
        c.dispatchDate = v.dispatch.day.iso
        c.dispatchTime = v.dispatch.time.text
        c.communicatedAt = now
        c.communicatedBy = principal.login
        let office = model.$office.id
        let what = v.kind == .lrn ? "\(v.type.label) – LRN de secours GAMMA 2" : v.type.label
        try await db.transaction { tx in
            try await c.create(on: tx)
            try await OfficeNotices.post(.communication, office: office, exciseNumber: v.exciseNumber.value,
                                         text: "\(what) n° \(v.number.value), départ le \(v.dispatch.french), transport \(v.transport).",
                                         link: SiteURL.officeConsole.path, at: now, on: tx)
        }
        return c
    }

    /// The principal's own (its excise numbers') or its office's communications, newest first.
    func list(limit: Int = 200) async throws -> [CommunicationModel] {
        var q = CommunicationModel.query(on: db)
        switch try await Scope(db: db, principal: principal).records() {
        case .all: break
        case let .office(id): q = q.filter(\.$officeID == id)
        case let .exciseNumbers(numbers): q = q.filter(\.$exciseNumber ~~ numbers)
        case .none: return []
        }
        return try await q.sort(\.$communicatedAt, .descending).limit(limit).all()
    }
}
