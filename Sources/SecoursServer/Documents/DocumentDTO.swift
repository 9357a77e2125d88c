import Foundation
import SecoursCore
import Vapor

/// A fallback document as the API returns it (never the Fluent model).
struct DocumentDTO: Content {
    let number: String
    let kind: String
    let type: String
    let exciseNumber: String
    let transport: String
    let dispatchDate: String
    let dispatchTime: String
    let registeredAt: Date
    let registrationDate: String
    let registrationMode: String
    let actorType: String
    let actorLogin: String
    let status: String
    let cancellationReason: String?
    let cancellationComment: String?
    let reactivationReason: String?
    let reactivationComment: String?
    let arc: String?

    init(_ m: DocumentModel) {
        self.init(number: m.number, kind: m.kind.rawValue, type: m.type.rawValue, exciseNumber: m.exciseNumber, transport: m.transport,
                  dispatchDate: m.dispatchDate, dispatchTime: m.dispatchTime, registeredAt: m.registeredAt,
                  registrationDate: m.registrationDate, registrationMode: m.registrationMode.rawValue, actorType: m.actorType.rawValue,
                  actorLogin: m.actorLogin, status: m.status.rawValue, cancellationReason: m.cancellationReason,
                  cancellationComment: m.cancellationComment, reactivationReason: m.reactivationReason,
                  reactivationComment: m.reactivationComment, arc: m.arc)
    }

    init(number: String, kind: String, type: String, exciseNumber: String, transport: String, dispatchDate: String,
         dispatchTime: String, registeredAt: Date, registrationDate: String, registrationMode: String, actorType: String,
         actorLogin: String, status: String, cancellationReason: String?, cancellationComment: String?,
         reactivationReason: String?, reactivationComment: String?, arc: String?) {
        self.number = number
        self.kind = kind
        self.type = type
        self.exciseNumber = exciseNumber
        self.transport = transport
        self.dispatchDate = dispatchDate
        self.dispatchTime = dispatchTime
        self.registeredAt = registeredAt
        self.registrationDate = registrationDate
        self.registrationMode = registrationMode
        self.actorType = actorType
        self.actorLogin = actorLogin
        self.status = status
        self.cancellationReason = cancellationReason
        self.cancellationComment = cancellationComment
        self.reactivationReason = reactivationReason
        self.reactivationComment = reactivationComment
        self.arc = arc
    }
}

struct HistoryEntryDTO: Content {
    let at: Date
    let action: String
    let actorType: String
    let actorLogin: String
    let details: String

    init(_ m: HistoryModel) {
        at = m.at
        action = m.action.rawValue
        actorType = m.actorType.rawValue
        actorLogin = m.actorLogin
        details = m.details
    }
}

/// The same document with French labels, for the pages.
struct DocumentView: Encodable {
    let number: String
    /// « Numéro de secours GAMMA (CRAPS) » or « LRN de secours GAMMA 2 ».
    let kindLabel: String
    let typeLabel: String
    let exciseNumber: String
    let transport: String
    let dispatchDate: String
    let dispatchTime: String
    let registeredAt: String
    let registrationMode: String
    let actorLabel: String
    let actorLogin: String
    let status: String
    let statusLabel: String
    let cancellationReason: String?
    let reactivationReason: String?
    let arc: String?
    /// The number in groups (year, excise number, sequence, check) for reading aloud or copying by hand.
    let groups: [String]
    /// The paper form filled from the document.
    let formURL: String
    let detailURL: String

    init(_ m: DocumentModel) {
        number = m.number
        kindLabel = m.kind.label
        formURL = SiteURL.filledForm(m.number).path
        detailURL = SiteURL.document(m.number).path
        typeLabel = m.type.label
        exciseNumber = m.exciseNumber
        transport = m.transport
        dispatchDate = ParisDay(text: m.dispatchDate)?.french ?? m.dispatchDate
        dispatchTime = m.dispatchTime
        registeredAt = ParisCalendar.display(m.registeredAt)
        registrationMode = m.registrationMode.label
        actorLabel = m.actorType.label
        actorLogin = m.actorLogin
        status = m.status.rawValue
        statusLabel = m.status.label
        cancellationReason = m.cancellationReason.flatMap { CancellationReason(rawValue: $0)?.label }
        reactivationReason = m.reactivationReason.flatMap { ReactivationReason(rawValue: $0)?.label }
        arc = m.arc
        groups = FallbackDocumentNumber.groups(of: m.number)
    }
}

struct HistoryView: Encodable {
    let at: String
    let action: String
    let actorLabel: String
    let actorLogin: String
    let details: String

    init(_ m: HistoryModel) {
        at = ParisCalendar.display(m.at)
        action = m.action.label
        actorLabel = m.actorType.label
        actorLogin = m.actorLogin
        details = m.details
    }
}
