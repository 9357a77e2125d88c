import Fluent
import Foundation
import SecoursCore

/// Failed sign-ins, counted in the database (R-NF-3): per account (`SECOURS_LOGIN_MAX_FAILURES`,
/// 5 by default) and per client address with a higher limit
/// (`SECOURS_LOGIN_MAX_FAILURES_PER_ADDRESS`, 100 by default: an office, or every client of an
/// EDI provider, signs in from one address), over a sliding window of 15 minutes.
///
/// An attempt is reserved before the password is checked, in one transaction that holds the
/// keys' locks (SQLite: the write lock of `BEGIN IMMEDIATE`; PostgreSQL: transaction advisory
/// locks on both keys, taken in a fixed order): the failures in the window are counted and, under
/// the limit, the attempt is recorded. However many requests arrive together, from one process or
/// several, at most `limit` passwords are checked per window. A success removes the account's
/// failures and its own address row; a failure keeps them.
struct LoginThrottle {
    let db: Database
    let perAccount: Int
    let perAddress: Int
    let window: TimeInterval

    struct Reservation {
        let accountKey: String
        let addressID: UUID
    }

    static func accountKey(_ login: String) -> String { "login:" + login }
    static func addressKey(_ address: String) -> String { "ip:" + address }

    /// Reserves one attempt for the account and the address, or refuses with 429.
    func reserve(login: String, address: String, now: Date) async throws -> Reservation {
        let keys = [(Self.accountKey(login), perAccount), (Self.addressKey(address), perAddress)]
        let ids = [UUID(), UUID()]
        let since = now.addingTimeInterval(-window)
        let window = window
        try await db.writeTransaction { tx in
            let store = LoginAttemptStore(db: tx)
            try await store.lock(keys.map(\.0))
            for (key, limit) in keys {
                let (count, oldest) = try await store.attempts(of: key, since: since)
                if count >= limit {
                    let minutes = Int(((oldest ?? now).addingTimeInterval(window).timeIntervalSince(now) / 60).rounded(.up))
                    throw SecoursError(kind: .tooManyRequests, code: "too_many_attempts",
                                       message: Messages.Accounts.tooManyAttempts(minutes: minutes))
                }
            }
            for (id, key) in zip(ids, keys.map(\.0)) {
                try await store.record(id: id, key: key, at: now)
            }
        }
        return Reservation(accountKey: keys[0].0, addressID: ids[1])
    }

    /// The password was right: the account's failures are forgotten, and so is this attempt.
    func succeeded(_ r: Reservation) async throws {
        try await db.writeTransaction { tx in
            try await LoginAttemptStore(db: tx).forget(key: r.accountKey, attempt: r.addressID)
        }
    }

    /// Attempts older than the window no longer count: removed by the periodic round.
    static func purge(on db: Database, before: Date) async throws {
        try await LoginAttemptStore(db: db).purge(before: before)
    }
}
