import Foundation
import SecoursCore

/// Counts failed logins per login name and per client address over a sliding window and refuses
/// further attempts once the limit is reached, until the oldest failure leaves the window.
/// Kept in memory: each server process throttles on its own, which bounds guessing to
/// (limit × processes) per window.
actor LoginThrottle {
    private var failures: [String: [Date]] = [:]
    private let limit: Int
    private let window: TimeInterval

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Throws when either key is locked out.
    func check(keys: [String], now: Date = Date()) throws(SecoursError) {
        for key in keys {
            let recent = prune(key, now: now)
            if recent.count >= limit, let oldest = recent.first {
                let minutes = Int((oldest.addingTimeInterval(window).timeIntervalSince(now) / 60).rounded(.up))
                throw SecoursError(kind: .tooManyRequests, code: "too_many_attempts",
                                   message: "Trop de tentatives de connexion échouées. Réessayez dans \(max(1, minutes)) minute(s).")
            }
        }
    }

    func recordFailure(keys: [String], now: Date = Date()) {
        for key in keys {
            var list = prune(key, now: now)
            list.append(now)
            failures[key] = list
        }
        if failures.count > 100_000 { failures = failures.filter { !$0.value.isEmpty } }
    }

    func recordSuccess(key: String) { failures[key] = nil }

    private func prune(_ key: String, now: Date) -> [Date] {
        let list = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[key] = list.isEmpty ? nil : list
        return list
    }
}
