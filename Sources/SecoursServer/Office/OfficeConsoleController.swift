import Fluent
import Foundation
import SecoursCore
import Vapor

/// The office's console (R-OFF-1), for customs officers: news from their operators, the requests
/// waiting for an answer within the hour, open episodes and self-triggers, numbers generated and
/// communicated, documents close to inactivation, and inactive ones to reactivate. The page is
/// live (`LiveFeed`): new numbers, notices and episode changes come in as they are written, and
/// nothing the officer is typing is touched.
struct OfficeConsoleController {
    struct NoticeView: Encodable {
        let id: String
        let at: String
        let kind: String
        let exciseNumber: String
        let text: String
        let link: String
        let unread: Bool
    }

    struct DocumentRow: Encodable {
        let number: String
        let url: String
        let exciseNumber: String
        let type: String
        let transport: String
        let dispatch: String
        let registered: String
        let actor: String
        let left: String?
        let reactivate: String?
    }

    struct CommunicationRow: Encodable {
        let number: String
        /// GAMMA (CRAPS) or LRN GAMMA 2.
        let kind: String
        let exciseNumber: String
        let type: String
        let transport: String
        let dispatch: String
        let communicated: String
        let by: String
    }

    /// A block of numbers held or given back by an offline laptop (R-NUM-8): why a sequence has a gap.
    struct ReservationRow: Encodable {
        let exciseNumber: String
        let what: String
        let range: String
        let device: String
        let reserved: String
        let state: String
    }

    /// An offline laptop holding numbers of the office, with the form that revokes it.
    struct DeviceRow: Encodable {
        let name: String
        let login: String
        let status: String
        let lease: String
        let lastSync: String
        /// Where the revocation form posts; none once revoked.
        let revoke: String?
        let fieldID: String
    }

    struct Content: Encodable {
        /// The console's live events, and the moment the page was read (changes since come first).
        let live = SiteURL.officeLive.path
        let liveSince: Int64
        let office: String
        let notices: [NoticeView]
        let unread: Int
        let pending: [EpisodesWebController.Row]
        let open: [EpisodesWebController.Row]
        let generated: [DocumentRow]
        /// GAMMA 2 fallback LRNs registered lately: they are not generated, so not in `generated`.
        let lrns: [DocumentRow]
        let communicated: [CommunicationRow]
        let reservations: [ReservationRow]
        let devices: [DeviceRow]
        /// Why a revocation was refused, shown above the devices.
        let deviceError: String?
        let nearInactivation: [DocumentRow]
        let inactive: [DocumentRow]
        let reactivationReasons: [Option]
        let markRead: String
        let inactivationDays: Int
    }

    func page(req: Request) async throws -> View {
        try await page(req, deviceError: nil)
    }

    /// `POST /bureau/postes/:id/revoquer`: the officer revokes a lost or stolen laptop.
    func revokeDevice(req: Request) async throws -> Response {
        struct Form: Decodable { let reason: String? }
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw SecoursError.notFound("Device") }
        let reason = try req.content.decode(Form.self).reason ?? ""
        do {
            _ = try await ToolkitSyncService(req).revoke(id, ToolkitRevokeRequest(reason: reason), now: req.application.secours.now())
        } catch let e as SecoursError where e.kind == .invalid || e.kind == .conflict {
            let response = try await page(req, deviceError: e.message).encodeResponse(for: req)
            response.status = SecoursErrorMiddleware.status(e.kind)
            return response
        }
        return req.redirect(to: SiteURL.officeConsole.path + "#postes", redirectType: .normal)
    }

    private func page(_ req: Request, deviceError: String?) async throws -> View {
        let p = try req.principal()
        try p.require(.openConsole)
        guard let officeID = p.officeID else { throw SecoursError.forbidden }
        let db = req.db
        let now = req.application.secours.now()
        let days = req.application.secours.settings.inactivationDays
        let rule = InactivationRule(days: days)
        let office = try await OrganisationStore(db: db).office(officeID)
        let excises = try await ExciseNumberStore(db: db).all(ofOffice: officeID).map(\.number)
        let notices = try await OfficeNoticeStore(db: db).latest(ofOffice: officeID, limit: 50)
        let episodes = try await EpisodeService(req).list(now: now)
        let lists = DocumentStore(db: db).console(of: excises, limit: 100)
        let generated = try await lists.generated(since: now.addingTimeInterval(-2 * 86_400))
        let lrns = try await lists.lrns(since: now.addingTimeInterval(-7 * 86_400))
        // Those that will be overdue within two days.
        let near = try await lists.active(coverStartBefore: rule.cutoff(now: now.addingTimeInterval(2 * 86_400)))
        let inactive = try await lists.inactive()
        let communicated = try await CommunicationService(db: db, principal: p).list(limit: 100)
        let reservations = try await ReservationStore(db: db).list(.office(officeID), exciseNumber: nil, openOnly: false, limit: 50)
        let devices = try await ReservationStore(db: db).devices(.office(officeID), limit: 100)

        func row(_ d: DocumentModel, left: Bool = false, reactivate: Bool = false) -> DocumentRow {
            Self.row(d, rule: rule, now: now, left: left, reactivate: reactivate)
        }
        let content = Content(
            liveSince: Int64((now.timeIntervalSince1970 * 1000).rounded()),
            office: office.map { "\($0.code) – \($0.name)" } ?? "",
            notices: notices.map(Self.notice),
            unread: notices.filter { $0.readAt == nil }.count,
            pending: episodes.filter { $0.status == .requested }.map { EpisodesWebController.row($0, now: now) },
            open: episodes.filter { $0.status == .open }.map { EpisodesWebController.row($0, now: now) },
            generated: generated.map { row($0) },
            lrns: lrns.map { row($0) },
            communicated: communicated.map { c in
                CommunicationRow(number: c.number, kind: FallbackDocumentNumber.kind(of: c.number).shortLabel, exciseNumber: c.exciseNumber, type: c.type.label, transport: c.transport,
                                 dispatch: Messages.Documents.dispatch(date: ParisDay(text: c.dispatchDate)?.french ?? c.dispatchDate, time: c.dispatchTime),
                                 communicated: ParisCalendar.display(c.communicatedAt), by: c.communicatedBy)
            },
            reservations: reservations.map { r in
                ReservationRow(exciseNumber: r.exciseNumber, what: r.kind == .lrn ? Messages.Console.lrnSeries : Messages.Console.sequences(year: r.year ?? 0),
                               range: "\(r.first)–\(r.last)", device: Messages.Console.device(r.deviceName, login: r.login),
                               reserved: ParisCalendar.display(r.reservedAt) + " (\(Messages.ToolkitLease.event(r.event)))",
                               state: Messages.Console.segmentState(r))
            },
            devices: devices.map { d in
                DeviceRow(name: d.name, login: d.login,
                          status: Messages.ToolkitLease.status(d.status) + (d.statusReason.map { " : \($0)" } ?? ""),
                          lease: d.open.joined(separator: " ; "), lastSync: ParisCalendar.display(d.lastSyncAt),
                          revoke: d.status == .revoked ? nil : SiteURL.officeDeviceRevoke(d.id).path,
                          fieldID: "revoke-" + d.id.uuidString.lowercased())
            },
            deviceError: deviceError,
            nearInactivation: near.map { row($0, left: true) },
            inactive: inactive.map { row($0, reactivate: true) },
            reactivationReasons: ReactivationReason.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) },
            markRead: SiteURL.officeMarkRead.path, inactivationDays: days)
        return try await req.view.render("office", Page(req, title: Messages.Console.pageTitle, content: content))
    }

    /// A document's line in the console's lists (and in its live events).
    static func row(_ d: DocumentModel, rule: InactivationRule, now: Date, left: Bool = false, reactivate: Bool = false) -> DocumentRow {
        var remaining: String?
        if left, let start = d.coverStart {
            let hours = max(0, Int(rule.lapse(coverStart: start).timeIntervalSince(now) / 3600))
            remaining = hours >= 24 ? "\(hours / 24) j \(hours % 24) h" : "\(hours) h"
        }
        return DocumentRow(number: d.number, url: SiteURL.document(d.number).path, exciseNumber: d.exciseNumber,
                           type: d.type.label, transport: d.transport,
                           dispatch: Messages.Documents.dispatch(date: ParisDay(text: d.dispatchDate)?.french ?? d.dispatchDate, time: d.dispatchTime),
                           registered: ParisCalendar.display(d.registeredAt),
                           actor: "\(d.actorType.label) (\(d.actorLogin))",
                           left: remaining, reactivate: reactivate ? SiteURL.move(d.number, .reactivate).path : nil)
    }

    /// A notice's line in the console (and in its live events).
    static func notice(_ n: OfficeNoticeModel) -> NoticeView {
        NoticeView(id: n.id?.uuidString.lowercased() ?? "", at: ParisCalendar.display(n.at), kind: n.kind.label,
                   exciseNumber: n.exciseNumber, text: n.text, link: n.link, unread: n.readAt == nil)
    }

    /// The console's live events: its office's only.
    func live(req: Request) async throws -> Response {
        let p = try req.principal()
        try p.require(.openConsole)
        guard let officeID = p.officeID else { throw SecoursError.forbidden }
        return LiveFeed.answer(req, .office(officeID))
    }

    /// Marks the office's notices read.
    func markRead(req: Request) async throws -> Response {
        let p = try req.principal()
        try p.require(.openConsole)
        guard let officeID = p.officeID else { throw SecoursError.forbidden }
        try await OfficeNoticeStore(db: req.db).markRead(ofOffice: officeID, at: req.application.secours.now())
        return req.redirect(to: SiteURL.officeConsole.path, redirectType: .normal)
    }
}
