import Fluent
import Foundation
import SecoursCore
import Vapor

/// Mails the office's notices that are not yet mailed (an outbox: a notice is written with the
/// request that causes it, in its transaction, and mailed afterwards), when `SECOURS_SMTP_URL` is
/// set. A relay that fails leaves the notice for the next round; nothing else fails.
struct NoticeMailer {
    let app: Application

    /// Sends what is pending; returns how many were sent.
    @discardableResult
    func sendPending(now: Date) async throws -> Int {
        let settings = app.secours.settings
        guard let smtp = settings.smtp else { return 0 }
        let db = app.db
        let notices = OfficeNoticeStore(db: db)
        let pending = try await notices.unmailed(limit: 100)
        guard !pending.isEmpty else { return 0 }
        let offices = try await OrganisationStore(db: db).officesByID()
        let client = SMTPClient(host: smtp.host, port: smtp.port, from: settings.smtpFrom)
        var sent = 0
        for n in pending {
            guard let office = offices[n.officeID] else { continue }
            let message = SMTPClient.Message(
                to: office.email, subject: Messages.inFrench { Messages.Mail.noticeSubject(kind: n.kind.label, exciseNumber: n.exciseNumber) },
                body: Messages.inFrench { Messages.Mail.noticeBody(kind: n.kind.label, exciseNumber: n.exciseNumber, text: n.text, link: n.link) },
                date: n.at)
            do {
                try await app.threadPool.runIfActive { try client.send(message) }
            } catch {
                app.logger.warning("notice \(n.id?.uuidString ?? "") not mailed to \(office.email): \(error)")
                break
            }
            try await notices.markMailed(n, at: now)
            sent += 1
        }
        return sent
    }
}

/// Runs the mailer every `SECOURS_MAIL_INTERVAL` seconds while the server runs.
struct NoticeMailerSchedule: LifecycleHandler {
    func didBootAsync(_ app: Application) async throws {
        let interval = app.secours.settings.mailInterval
        guard app.secours.settings.smtp != nil, interval > 0 else { return }
        let task = Task {
            while !Task.isCancelled {
                do { try await NoticeMailer(app: app).sendPending(now: app.secours.now()) } catch {
                    app.logger.warning("notice mailer: \(error)")
                }
                try? await Task.sleep(for: .seconds(interval))
            }
        }
        app.storage[Key.self] = task
    }

    func shutdownAsync(_ app: Application) async {
        app.storage[Key.self]?.cancel()
    }

    struct Key: StorageKey { typealias Value = Task<Void, Never> }
}
