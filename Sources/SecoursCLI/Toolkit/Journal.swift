#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GRDB
import SecoursCore

/// The offline toolkit's journal: one SQLite file in the state folder holding the session, what
/// the last sync brought, and every number made on this computer. WAL with synchronous FULL: a
/// number that was printed is on disk before it is printed. Every SQL statement of the toolkit
/// is in this type.
final class Journal: Sendable {
    let folder: StateFolder
    private let queue: DatabaseQueue

    /// The schema's versions, append-only: a journal written by an older version is migrated
    /// forward on open, never recreated.
    static let migrator: DatabaseMigrator = {
        var m = DatabaseMigrator()
        // v1: session, synced state, and the entries (manual numbers and GAMMA 2 LRNs).
        m.registerMigration("v1-journal") { db in
            try db.execute(sql: """
                CREATE TABLE session (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    server TEXT NOT NULL, login TEXT NOT NULL, token TEXT NOT NULL,
                    expires_at DATETIME NOT NULL, logged_in_at DATETIME NOT NULL);
                CREATE TABLE sync_state (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    synced_at DATETIME NOT NULL, server_time DATETIME NOT NULL, year INTEGER NOT NULL,
                    account_login TEXT NOT NULL, account_email TEXT NOT NULL, account_role TEXT NOT NULL);
                CREATE TABLE excise_numbers (
                    number TEXT PRIMARY KEY, mode TEXT NOT NULL, rights TEXT NOT NULL, issuable_types TEXT NOT NULL,
                    company_siren TEXT NOT NULL, company_name TEXT NOT NULL, company_address TEXT NOT NULL,
                    office_code TEXT NOT NULL, office_name TEXT NOT NULL, office_email TEXT NOT NULL);
                CREATE TABLE server_sequences (
                    excise_number TEXT NOT NULL, year INTEGER NOT NULL, last_used INTEGER NOT NULL,
                    PRIMARY KEY (excise_number, year));
                CREATE TABLE alerts (
                    reference TEXT PRIMARY KEY, level TEXT NOT NULL, title TEXT NOT NULL,
                    services TEXT NOT NULL, modes TEXT NOT NULL, started_at DATETIME NOT NULL);
                CREATE TABLE episodes (
                    id TEXT PRIMARY KEY, excise_number TEXT NOT NULL, service TEXT NOT NULL, basis TEXT NOT NULL,
                    status TEXT NOT NULL, reason TEXT NOT NULL, requested_at DATETIME NOT NULL, started_at DATETIME);
                CREATE TABLE entries (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL CHECK (kind IN ('craps', 'lrn')),
                    number TEXT NOT NULL UNIQUE,
                    type TEXT NOT NULL, excise_number TEXT NOT NULL, year INTEGER NOT NULL, sequence INTEGER NOT NULL,
                    transport TEXT, dispatch_date TEXT NOT NULL, dispatch_time TEXT NOT NULL,
                    created_at DATETIME NOT NULL,
                    sync_state TEXT NOT NULL DEFAULT 'pending', sync_detail TEXT);
                -- One entry per sequence (R-NUM-4) and per LRN serial (R-NUM-6), whatever writes.
                CREATE UNIQUE INDEX entries_craps_sequence ON entries (excise_number, year, sequence) WHERE kind = 'craps';
                CREATE UNIQUE INDEX entries_lrn_serial ON entries (excise_number, sequence) WHERE kind = 'lrn';
                """)
        }
        registerOutageMigration(&m)
        registerSyncMigration(&m)
        registerLeaseMigration(&m)
        return m
    }()

    private init(folder: StateFolder, queue: DatabaseQueue) {
        self.folder = folder
        self.queue = queue
    }

    /// Opens the journal. `create` (login) makes the folder and the file when missing; every
    /// other command refuses to start on a missing journal rather than begin an empty one.
    static func open(_ folder: StateFolder, create: Bool = false, migrator: DatabaseMigrator = Journal.migrator) throws(ToolkitError) -> Journal {
        if create {
            try folder.prepare()
        } else {
            guard folder.exists, folder.hasJournal else { throw .notPrepared(folder) }
            umask(0o077)
        }
        return try wrap(folder) {
            var config = Configuration()
            config.journalMode = .wal
            // Two commands started together wait for each other instead of failing.
            config.busyMode = .timeout(15)
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            let queue = try DatabaseQueue(path: folder.journalPath, configuration: config)
            let journal = Journal(folder: folder, queue: queue)
            try journal.migrateIfNeeded(migrator)
            folder.restrictFiles()
            return journal
        }
    }

    private func migrateIfNeeded(_ migrator: DatabaseMigrator) throws {
        // The common case reads two small tables and takes no lock.
        let (complete, unknown) = try queue.read { db in
            (try migrator.hasCompletedMigrations(db), try migrator.appliedIdentifiers(db).subtracting(migrator.migrations))
        }
        guard unknown.isEmpty else { throw ToolkitError.journalTooNew(folder.journalPath, unknown.sorted()) }
        guard !complete else { return }
        try folder.withMigrationLock { try migrator.migrate(queue) }
    }

    /// Runs `body`, turning SQLite's failures into messages a user can act on.
    private static func wrap<T>(_ folder: StateFolder, _ body: () throws -> T) throws(ToolkitError) -> T {
        do { return try body() } catch let error as ToolkitError { throw error } catch let error as SecoursError {
            throw ToolkitError(code: error.code, message: error.message, fields: error.fields)
        } catch let error as DatabaseError {
            switch error.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT: throw .journalUnreadable(folder.journalPath, "fichier endommagé ou qui n'est pas un journal secours")
            case .SQLITE_BUSY, .SQLITE_LOCKED: throw .journalBusy(folder.journalPath)
            case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_IOERR:
                throw .journalUnreadable(folder.journalPath, error.message ?? "\(error.resultCode)")
            default: throw .database(folder.journalPath, error.message ?? "\(error.resultCode)")
            }
        } catch {
            throw .database(folder.journalPath, "\(error)")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(ToolkitError) -> T {
        try Self.wrap(folder) { try queue.read { try body($0) } }
    }

    /// One write transaction, begun IMMEDIATE: the write lock is taken before anything is read,
    /// so two commands never compute the same next number.
    func write<T>(_ body: (Database) throws -> T) throws(ToolkitError) -> T {
        try Self.wrap(folder) {
            try queue.writeWithoutTransaction { db -> T in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        }
    }

    // MARK: Session

    struct Session: Sendable, Equatable {
        let server: String
        let login: String
        let token: String
        let expiresAt: Date
    }

    func saveSession(_ s: Session, now: Date) throws(ToolkitError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO session (id, server, login, token, expires_at, logged_in_at) VALUES (1, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET server = excluded.server, login = excluded.login, token = excluded.token,
                    expires_at = excluded.expires_at, logged_in_at = excluded.logged_in_at
                """, arguments: [s.server, s.login, s.token, s.expiresAt, now])
        }
    }

    func session() throws(ToolkitError) -> Session? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT server, login, token, expires_at FROM session WHERE id = 1").map {
                Session(server: $0["server"], login: $0["login"], token: $0["token"], expiresAt: $0["expires_at"])
            }
        }
    }

    // MARK: Synced state

    /// Replaces what the last sync brought, in one transaction: a sync cut half way leaves the
    /// previous state whole. Entries are never touched here.
    func replaceSyncedState(_ s: ToolkitState, now: Date) throws(ToolkitError) {
        try write { db in
            try db.execute(sql: "DELETE FROM excise_numbers; DELETE FROM alerts; DELETE FROM episodes")
            try db.execute(sql: """
                INSERT INTO sync_state (id, synced_at, server_time, year, account_login, account_email, account_role) VALUES (1, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET synced_at = excluded.synced_at, server_time = excluded.server_time, year = excluded.year,
                    account_login = excluded.account_login, account_email = excluded.account_email, account_role = excluded.account_role
                """, arguments: [now, s.serverTime, s.year, s.account.login, s.account.email, s.account.role])
            for e in s.exciseNumbers {
                try db.execute(sql: """
                    INSERT INTO excise_numbers (number, mode, rights, issuable_types, company_siren, company_name, company_address,
                        office_code, office_name, office_email) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [e.number, e.mode, e.rights.joined(separator: ","), e.issuableTypes.joined(separator: ","),
                                     e.company.siren, e.company.name, e.company.address, e.office.code, e.office.name, e.office.email])
                // The server's sequence only ever grows: keep the larger of what is known.
                try db.execute(sql: """
                    INSERT INTO server_sequences (excise_number, year, last_used) VALUES (?, ?, ?)
                    ON CONFLICT (excise_number, year) DO UPDATE SET last_used = MAX(last_used, excluded.last_used)
                    """, arguments: [e.number, s.year, e.lastSequence])
            }
            for a in s.alerts {
                try db.execute(sql: "INSERT INTO alerts (reference, level, title, services, modes, started_at) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [a.reference, a.level, a.title, a.services.joined(separator: ","), a.modes.joined(separator: ","), a.startedAt])
            }
            for e in s.episodes {
                try db.execute(sql: """
                    INSERT INTO episodes (id, excise_number, service, basis, status, reason, requested_at, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [e.id.uuidString, e.exciseNumber, e.service, e.basis, e.status, e.reason, e.requestedAt, e.startedAt])
            }
        }
    }

    struct SyncInfo: Sendable {
        let syncedAt: Date
        let year: Int
        let login: String
        let email: String
    }

    func syncInfo() throws(ToolkitError) -> SyncInfo? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT synced_at, year, account_login, account_email FROM sync_state WHERE id = 1").map {
                SyncInfo(syncedAt: $0["synced_at"], year: $0["year"], login: $0["account_login"], email: $0["account_email"])
            }
        }
    }

    /// An excise number as the last sync described it.
    struct Excise: Sendable, Codable, Equatable {
        let number: String
        let mode: String
        let rights: [String]
        let issuableTypes: [String]
        let companySiren: String
        let companyName: String
        let companyAddress: String
        let officeCode: String
        let officeName: String
        let officeEmail: String

        func mayIssue(_ type: DocumentType) -> Bool { issuableTypes.contains(type.rawValue) }
    }

    private static func excise(_ row: Row) -> Excise {
        func list(_ column: String) -> [String] { (row[column] as String).split(separator: ",").map(String.init) }
        return Excise(number: row["number"], mode: row["mode"], rights: list("rights"), issuableTypes: list("issuable_types"),
                      companySiren: row["company_siren"], companyName: row["company_name"], companyAddress: row["company_address"],
                      officeCode: row["office_code"], officeName: row["office_name"], officeEmail: row["office_email"])
    }

    func exciseNumbers() throws(ToolkitError) -> [Excise] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM excise_numbers ORDER BY number").map(Self.excise) }
    }

    // MARK: Entries

    /// A number made on this computer, with its movement data.
    struct Entry: Sendable, Codable, Equatable {
        let id: Int64
        let kind: DocumentKind
        let number: String
        let type: DocumentType
        let exciseNumber: String
        let year: Int
        let sequence: Int
        let transport: String?
        let dispatchDate: String
        let dispatchTime: String
        let createdAt: Date
        let syncState: ToolkitSync.EntryState
        let syncDetail: String?
        /// When a message to the office first listed it.
        let communicatedAt: Date?
        /// What the service did with that communication (communicated, already-communicated, refused: …).
        let communicationState: String?

        var dispatch: DispatchMoment? {
            guard let day = ParisDay(text: dispatchDate), let time = ParisTime(text: dispatchTime) else { return nil }
            return DispatchMoment(day: day, time: time)
        }
    }

    private static func entry(_ row: Row) -> Entry {
        Entry(id: row["id"], kind: DocumentKind(rawValue: row["kind"]) ?? .craps, number: row["number"],
              type: DocumentType(rawValue: row["type"]) ?? .dae, exciseNumber: row["excise_number"], year: row["year"],
              sequence: row["sequence"], transport: row["transport"], dispatchDate: row["dispatch_date"],
              dispatchTime: row["dispatch_time"], createdAt: row["created_at"], syncState: ToolkitSync.EntryState(rawValue: row["sync_state"]) ?? .pending, syncDetail: row["sync_detail"],
              communicatedAt: row["communicated_at"], communicationState: row["communication_state"])
    }

    func entries() throws(ToolkitError) -> [Entry] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM entries ORDER BY id").map(Self.entry) }
    }

    func entry(number: String) throws(ToolkitError) -> Entry? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM entries WHERE number = ?", arguments: [number]).map(Self.entry) }
    }

    /// What a new manual number was computed from, to tell the user how far it can be trusted.
    struct Allocation: Sendable {
        let entry: Entry
        /// The last sequence the service had used when this computer last synced.
        let serverLast: Int
        /// The last sequence made on this computer before this one.
        let localLast: Int
        /// The device's block the number was taken from; nil when none was left (the number
        /// then follows the last one known and may collide).
        let block: Block?
        /// Whether the device held any block for it at all.
        let hadBlocks: Bool
    }

    /// Stores the next manual number (R-NUM-3) of (excise number, year of `now`): last used + 1,
    /// the last used being the larger of the service's at the last sync and this journal's.
    /// Checked, computed and stored in one IMMEDIATE transaction.
    func recordManualNumber(_ valid: GenerationRequest.Valid, now: Date) throws(ToolkitError) -> Allocation {
        let excise = valid.exciseNumber.value
        try requireIssuable(excise, valid.type)
        let year = ParisDay(now).year
        return try write { db in
            let serverLast = try Int.fetchOne(db, sql: "SELECT last_used FROM server_sequences WHERE excise_number = ? AND year = ?",
                                              arguments: [excise, year]) ?? 0
            let localLast = try Int.fetchOne(db, sql: """
                SELECT COALESCE(MAX(sequence), 0) FROM entries WHERE kind = 'craps' AND excise_number = ? AND year = ?
                """, arguments: [excise, year]) ?? 0
            // R-NUM-8: the device's own block first; nobody else can be given these numbers.
            let block = try Self.nextReserved(db, kind: .craps, excise: excise, year: year)
            let hadBlocks = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reservations WHERE kind = 'craps' AND excise_number = ? AND year = ?",
                                             arguments: [excise, year]) ?? 0 > 0
            let sequence = block?.next ?? max(serverLast, localLast) + 1
            let number = try FallbackNumber.manual(year: year, exciseNumber: valid.exciseNumber, sequence: sequence, type: valid.type)
            let entry = try Self.insert(db, kind: .craps, number: number.value, type: valid.type, excise: excise, year: year,
                                        sequence: number.sequence, transport: valid.transport, dispatch: valid.dispatch, now: now)
            return Allocation(entry: entry, serverLast: serverLast, localLast: localLast, block: block, hadBlocks: hadBlocks)
        }
    }

    /// Stores the next GAMMA 2 fallback LRN (R-NUM-6) of the operator: its serial continues the
    /// journal's, whatever the day.
    func recordLRN(exciseNumber: ExciseNumber, type: DocumentType, transport: String?, now: Date) throws(ToolkitError) -> (entry: Entry, block: Block?) {
        try requireIssuable(exciseNumber.value, type)
        let day = ParisDay(now)
        return try write { db in
            let last = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) FROM entries WHERE kind = 'lrn' AND excise_number = ?",
                                        arguments: [exciseNumber.value]) ?? 0
            let block = try Self.nextReserved(db, kind: .lrn, excise: exciseNumber.value, year: nil)
            let lrn = try FallbackLRN(day: day, exciseNumber: exciseNumber, serial: block?.next ?? last + 1)
            let entry = try Self.insert(db, kind: .lrn, number: lrn.value, type: type, excise: exciseNumber.value, year: day.year,
                                        sequence: lrn.serial, transport: transport, dispatch: DispatchMoment(day: day, time: ParisTime(now)), now: now)
            return (entry, block)
        }
    }

    private func requireIssuable(_ excise: String, _ type: DocumentType) throws(ToolkitError) {
        guard try syncInfo() != nil else { throw .notSynced(folder) }
        let known = try exciseNumbers()
        guard let e = known.first(where: { $0.number == excise }) else {
            throw .exciseNotSynced(excise, known: known.filter { !$0.issuableTypes.isEmpty }.map(\.number))
        }
        guard e.mayIssue(type) else { throw .typeNotAllowed(type, excise) }
    }

    private static func insert(_ db: Database, kind: DocumentKind, number: String, type: DocumentType, excise: String, year: Int,
                               sequence: Int, transport: String?, dispatch: DispatchMoment, now: Date) throws -> Entry {
        try db.execute(sql: """
            INSERT INTO entries (kind, number, type, excise_number, year, sequence, transport, dispatch_date, dispatch_time, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [kind.rawValue, number, type.rawValue, excise, year, sequence, transport, dispatch.day.iso, dispatch.time.text, now])
        return entry(try Row.fetchOne(db, sql: "SELECT * FROM entries WHERE id = ?", arguments: [db.lastInsertedRowID])!)
    }
}
