import Fluent
import Foundation
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
        let pending = try await OfficeNoticeModel.query(on: db).filter(\.$mailedAt == nil).sort(\.$at).limit(100).all()
        guard !pending.isEmpty else { return 0 }
        let offices = Dictionary(uniqueKeysWithValues: try await OfficeModel.query(on: db).all().compactMap { o in o.id.map { ($0, o) } })
        let client = SMTPClient(host: smtp.host, port: smtp.port, from: settings.smtpFrom)
        var sent = 0
        for n in pending {
            guard let office = offices[n.officeID] else { continue }
            let kind = OfficeNotices.Kind(rawValue: n.kind)?.label ?? n.kind
            let message = SMTPClient.Message(
                to: office.email, subject: "[Secours] \(kind) – \(n.exciseNumber)",
                body: "\(kind) – \(n.exciseNumber)\n\n\(n.text)\n\nÀ voir dans la console du bureau : \(n.link)\n\n-- \nSecours, procédure de secours EMCS/GAMM@",
                date: n.at)
            do {
                try await app.threadPool.runIfActive { try client.send(message) }
            } catch {
                app.logger.warning("notice \(n.id?.uuidString ?? "") not mailed to \(office.email): \(error)")
                break
            }
            n.mailedAt = now
            try await n.save(on: db)
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
