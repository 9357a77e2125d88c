import Foundation
import NIOCore
import SecoursCore
import Vapor

/// Runs the `Inactivator` when the server boots (catching up on whatever fell due while it was
/// stopped) and then every `inactivationInterval` seconds; the same round deletes expired tokens.
struct InactivationSchedule: LifecycleHandler {
    final class Box: @unchecked Sendable {
        let lock = NSLock()
        var task: RepeatedTask?
    }

    let box = Box()

    func didBoot(_ app: Application) throws {
        let settings = app.secours.settings
        guard settings.inactivationInterval > 0 else { return }
        let rule = InactivationRule(days: settings.inactivationDays)
        let db = app.db
        let state = app.secours
        let logger = app.logger
        let loop = app.eventLoopGroup.next()
        let task = loop.scheduleRepeatedAsyncTask(
            initialDelay: .zero, delay: .seconds(Int64(settings.inactivationInterval))
        ) { _ in
            loop.makeFutureWithTask {
                do {
                    let n = try await Inactivator(db: db, rule: rule).run(now: state.now())
                    if n > 0 { logger.notice("documents inactivated", metadata: ["count": .stringConvertible(n)]) }
                    // The same round forgets expired API tokens (they live on the wall clock, as issued).
                    try await TokenStore(db: db).purgeExpired(now: Date())
                    // …and sign-in attempts past the throttle's window.
                    try await LoginThrottle.purge(on: db, before: state.now().addingTimeInterval(-settings.loginWindow))
                } catch {
                    logger.error("inactivation round failed: \(String(reflecting: error))")
                }
            }
        }
        box.lock.withLock { box.task = task }
    }

    func shutdown(_ app: Application) {
        box.lock.withLock { box.task?.cancel() }
    }
}
