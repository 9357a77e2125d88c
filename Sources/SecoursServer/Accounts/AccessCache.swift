import Fluent
import Foundation
import NIOConcurrencyHelpers
import SecoursCore

/// What nearly every request reads before doing anything — who a bearer token or a session
/// signs in, and what the account holds on an excise number — kept in the process, so that a
/// number generated during a rush costs its write and nothing else.
///
/// It is never trusted blindly: the database's `access_version` counter (M022, moved by
/// triggers on tokens, accounts, rights and excise numbers, whoever writes) is read again at
/// most every `interval`, and any change forgets everything. A change made through this process
/// forgets at once (`forget()`); one made by another process, or straight in the database, counts
/// here within the interval. A token's expiry is checked on every use. An interval of zero turns
/// the cache off: every request reads the database.
final class AccessCache: Sendable {
    /// An excise number as the scope check reads it, with the rights of one account on it.
    struct Number: Sendable {
        let id: UUID
        let number: String
        let companyID: UUID
        let officeID: UUID
        let mode: TransmissionMode
        let rights: [Right]

        var model: ExciseNumberModel {
            let m = ExciseNumberModel(number: number, companyID: companyID, officeID: officeID, mode: mode)
            m.id = id
            return m
        }
    }

    private struct NumberKey: Hashable {
        let holder: UUID?
        let number: String
    }

    private struct State {
        /// Moves each time everything is forgotten: a read that began before does not store
        /// what it read, which may already be out of date.
        var epoch = 0
        var version: Int64?
        var checkedAt: ContinuousClock.Instant?
        var checking = false
        var tokens: [String: (principal: Principal, expiresAt: Date)] = [:]
        var accounts: [UUID: Principal] = [:]
        var numbers: [NumberKey: Number] = [:]
        var figures = Figures()

        mutating func forget() {
            epoch += 1
            figures.emptied += 1
            tokens = [:]
            accounts = [:]
            numbers = [:]
        }

        var count: Int { tokens.count + accounts.count + numbers.count }
    }

    /// What `/metrics` shows: lookups answered from the cache or read from the database, times it
    /// was emptied, entries held.
    struct Figures: Sendable, Equatable {
        var hits = 0
        var misses = 0
        var emptied = 0
        var entries = 0
    }

    var figures: Figures {
        state.withLockedValue { s in
            var f = s.figures
            f.entries = s.count
            return f
        }
    }

    let interval: Duration
    /// Beyond this many entries the cache starts again empty.
    let capacity: Int
    private let state = NIOLockedValueBox(State())

    init(interval: Duration, capacity: Int = 100_000) {
        self.interval = interval
        self.capacity = capacity
    }

    var enabled: Bool { interval > .zero }

    /// Forgets everything: this process changed a token, an account or a right.
    func forget() {
        state.withLockedValue { $0.forget() }
    }

    /// The account `token` signs in, nil when unknown or expired at `now`.
    func principal(holding token: String, now: Date, on db: Database) async throws -> Principal? {
        let digest = TokenDigest.of(token)
        guard enabled else { return try await TokenStore(db: db).holder(digest: digest, now: now)?.principal }
        let epoch = try await current(on: db)
        if let hit = lookUp({ $0.tokens[digest] }), hit.expiresAt > now { return hit.principal }
        guard let found = try await TokenStore(db: db).holder(digest: digest, now: now) else { return nil }
        keep(epoch) { $0.tokens[digest] = found }
        return found.principal
    }

    /// The account a web session holds, nil when it no longer exists.
    func principal(account id: UUID, on db: Database) async throws -> Principal? {
        guard enabled else { return try await OrganisationStore(db: db).user(id).map(Principal.init) }
        let epoch = try await current(on: db)
        if let hit = lookUp({ $0.accounts[id] }) { return hit }
        guard let user = try await OrganisationStore(db: db).user(id) else { return nil }
        let principal = try Principal(user)
        keep(epoch) { $0.accounts[id] = principal }
        return principal
    }

    /// The excise number `number` with the rights `holder` has on it, nil when it does not exist.
    func number(_ number: String, rightsOf holder: UUID?, on db: Database) async throws -> Number? {
        guard enabled else { return try await read(number, holder, db) }
        let key = NumberKey(holder: holder, number: number)
        let epoch = try await current(on: db)
        if let hit = lookUp({ $0.numbers[key] }) { return hit }
        guard let found = try await read(number, holder, db) else { return nil }
        keep(epoch) { $0.numbers[key] = found }
        return found
    }

    private func read(_ number: String, _ holder: UUID?, _ db: Database) async throws -> Number? {
        guard let (model, rights) = try await ExciseNumberStore(db: db).number(number, rightsOf: holder) else { return nil }
        return Number(id: try model.requireID(), number: model.number, companyID: model.$company.id, officeID: model.$office.id,
                      mode: model.mode, rights: rights)
    }

    /// What the cache holds for a lookup, counted as a hit or a miss.
    private func lookUp<T>(_ find: (State) -> T?) -> T? {
        state.withLockedValue { s in
            let found = find(s)
            if found == nil { s.figures.misses += 1 } else { s.figures.hits += 1 }
            return found
        }
    }

    /// Stores what a read found, unless everything was forgotten since the read began.
    private func keep(_ epoch: Int, _ change: (inout State) -> Void) {
        state.withLockedValue { s in
            guard s.epoch == epoch else { return }
            if s.count >= capacity { s.forget(); return }
            change(&s)
        }
    }

    /// The epoch of what may be trusted now, after reading the version again when it is older
    /// than the interval (one request reads it; the others go on meanwhile).
    private func current(on db: Database) async throws -> Int {
        let started = ContinuousClock.now
        let due = state.withLockedValue { s -> Bool in
            if let at = s.checkedAt, started - at < interval { return false }
            if s.checking { return false }
            s.checking = true
            return true
        }
        guard due else { return state.withLockedValue { $0.version == nil ? -1 : $0.epoch } }
        do {
            let version = try await AccessVersionStore(db: db).current()
            return state.withLockedValue { s in
                if s.version != version {
                    s.forget()
                    s.version = version
                }
                s.checkedAt = started
                s.checking = false
                return s.epoch
            }
        } catch {
            state.withLockedValue { $0.checking = false }
            throw error
        }
    }
}
