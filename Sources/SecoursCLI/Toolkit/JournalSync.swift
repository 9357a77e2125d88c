import Foundation
import GRDB
import SecoursCore

/// What the journal keeps for `secours sync` to push and reserve: this computer's identity, its
/// blocks of numbers (R-NUM-8), and where each entry, message and outage stands on the service.
extension Journal {
    /// v3: the device, its reservations, and the push state of entries and outages. A journal of
    /// v1 or v2 gets a device id at once; its entries stay as they were (pending).
    static func registerSyncMigration(_ m: inout DatabaseMigrator) {
        m.registerMigration("v3-sync") { db in
            try db.execute(sql: """
                CREATE TABLE device (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    device_id TEXT NOT NULL, name TEXT NOT NULL, created_at DATETIME NOT NULL);
                CREATE TABLE reservations (
                    id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('craps', 'lrn')),
                    excise_number TEXT NOT NULL, year INTEGER, first INTEGER NOT NULL, last INTEGER NOT NULL,
                    reserved_at DATETIME NOT NULL);
                ALTER TABLE entries ADD COLUMN communicated_at DATETIME;
                ALTER TABLE entries ADD COLUMN communication_state TEXT;
                ALTER TABLE entries ADD COLUMN synced_at DATETIME;
                ALTER TABLE outages ADD COLUMN pushed_at DATETIME;
                """)
            try db.execute(sql: "INSERT INTO device (id, device_id, name, created_at) VALUES (1, ?, ?, ?)",
                           arguments: [UUID().uuidString.lowercased(), Self.computerName(), Date()])
        }
    }

    /// v4: the lease proof (R-NUM-8): how many renewals the journal has seen, and the renewal it
    /// asked for and has not heard the answer to. A journal copied to another computer, or
    /// restored from a backup, then disagrees with the service at its first sync.
    static func registerLeaseMigration(_ m: inout DatabaseMigrator) {
        m.registerMigration("v4-lease") { db in
            try db.execute(sql: """
                ALTER TABLE device ADD COLUMN lease_counter INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE device ADD COLUMN lease_attempt TEXT;
                """)
        }
    }

    /// `SECOURS_DEVICE_NAME`, else the host name: how the office will read which laptop it was.
    static func computerName() -> String {
        let given = ProcessInfo.processInfo.environment["SECOURS_DEVICE_NAME"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let name = given.isEmpty ? ProcessInfo.processInfo.hostName : given
        let clean = String(name.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }.prefix(ToolkitSync.maxDeviceName))
        return clean.isEmpty ? "poste" : clean
    }

    /// This computer's identity. A name given in `SECOURS_DEVICE_NAME` replaces the stored one,
    /// so the office reads the name the operator chose at the latest sync.
    func device() throws(ToolkitError) -> ToolkitSync.Device {
        let stored = try read { db in
            let row = try Row.fetchOne(db, sql: "SELECT device_id, name FROM device WHERE id = 1")!
            return ToolkitSync.Device(id: UUID(uuidString: row["device_id"])!, name: row["name"])
        }
        let given = ProcessInfo.processInfo.environment["SECOURS_DEVICE_NAME"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let name = Self.computerName()
        guard !given.isEmpty, name != stored.name else { return stored }
        try write { db in try db.execute(sql: "UPDATE device SET name = ? WHERE id = 1", arguments: [name]) }
        return ToolkitSync.Device(id: stored.id, name: name)
    }

    // MARK: The lease

    /// Where the journal stands on its lease, as every call of a sync proves it.
    func leaseProof() throws(ToolkitError) -> ToolkitLease.Proof {
        try read { db in
            let row = try Row.fetchOne(db, sql: "SELECT lease_counter, lease_attempt FROM device WHERE id = 1")!
            return ToolkitLease.Proof(counter: row["lease_counter"], attempt: (row["lease_attempt"] as String?).flatMap(UUID.init(uuidString:)))
        }
    }

    /// The proof of a renewal about to be asked: the attempt is written before it is sent, so
    /// that a sync cut after the service moved the lease is recognised when run again.
    func beginRenewal() throws(ToolkitError) -> ToolkitLease.Proof {
        try write { db in
            try db.execute(sql: "UPDATE device SET lease_attempt = ? WHERE id = 1 AND lease_attempt IS NULL", arguments: [UUID().uuidString.lowercased()])
            let row = try Row.fetchOne(db, sql: "SELECT lease_counter, lease_attempt FROM device WHERE id = 1")!
            return ToolkitLease.Proof(counter: row["lease_counter"], attempt: (row["lease_attempt"] as String?).flatMap(UUID.init(uuidString:)))
        }
    }

    /// The service's answer to a renewal: its segments, and the proof to give at the next sync.
    func endRenewal(_ reply: ToolkitReservationReply) throws(ToolkitError) {
        try write { db in
            try Self.storeBlocks(db, reply.open)
            try db.execute(sql: "UPDATE device SET lease_counter = ?, lease_attempt = NULL WHERE id = 1", arguments: [reply.lease.counter])
        }
    }

    /// After `secours logout`: the session closed, the lease forgotten, and a new identity for
    /// the next `secours login`, which starts a new lease. Entries stay, as the laptop's history.
    func retireDevice() throws(ToolkitError) {
        try write { db in
            try db.execute(sql: "DELETE FROM session; DELETE FROM reservations; DELETE FROM sync_state; DELETE FROM excise_numbers")
            try db.execute(sql: "UPDATE device SET device_id = ?, lease_counter = 0, lease_attempt = NULL WHERE id = 1",
                           arguments: [UUID().uuidString.lowercased()])
        }
    }

    /// How far the journal used each open segment, numbers not yet registered included.
    func segmentUse() throws(ToolkitError) -> [ToolkitSegmentUse] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.id, (SELECT MAX(e.sequence) FROM entries e WHERE e.kind = r.kind AND e.excise_number = r.excise_number
                    AND e.sequence BETWEEN r.first AND r.last AND (r.kind = 'lrn' OR e.year = r.year)) AS highest
                FROM reservations r
                """).compactMap { row in
                guard let id = UUID(uuidString: row["id"]), let highest: Int = row["highest"] else { return nil }
                return ToolkitSegmentUse(id: id, highest: highest)
            }
        }
    }

    /// The lease's size from this computer's past outages: the most numbers made on one excise
    /// number (and kind) during one recorded outage, or in one day outside any.
    func leaseSize() throws(ToolkitError) -> Int {
        let usage = try read { db in
            try Int.fetchAll(db, sql: """
                SELECT COUNT(*) FROM entries e LEFT JOIN outages o ON e.created_at BETWEEN o.started_at AND COALESCE(o.ended_at, e.created_at)
                GROUP BY e.kind, e.excise_number, COALESCE('outage-' || o.id, 'day-' || e.dispatch_date)
                """)
        }
        return ToolkitLease.size(fromUsage: usage)
    }

    // MARK: Reservations

    /// A block of this device, with how much of it the journal used.
    struct Block: Sendable, Codable, Equatable {
        let id: UUID
        let kind: DocumentKind
        let exciseNumber: String
        let year: Int?
        let first: Int
        let last: Int
        /// The next number of the block, nil when it is used up.
        let next: Int?
        var remaining: Int { next.map { last - $0 + 1 } ?? 0 }
    }

    /// A stored block with how much of it the journal used.
    private static func block(_ db: Database, _ row: Row) throws -> Block {
        let kind = DocumentKind(rawValue: row["kind"]) ?? .craps
        let excise: String = row["excise_number"], year: Int? = row["year"], first: Int = row["first"], last: Int = row["last"]
        let used = try Int.fetchOne(db, sql: """
            SELECT MAX(sequence) FROM entries WHERE kind = ? AND excise_number = ? AND sequence BETWEEN ? AND ? AND (? = 'lrn' OR year IS ?)
            """, arguments: [kind.rawValue, excise, first, last, kind.rawValue, year])
        let next = (used ?? first - 1) + 1
        return Block(id: UUID(uuidString: row["id"])!, kind: kind, exciseNumber: excise, year: year, first: first, last: last,
                     next: next <= last ? next : nil)
    }

    /// The next free number of the device's blocks of (kind, excise number, year), inside the
    /// caller's write transaction.
    static func nextReserved(_ db: Database, kind: DocumentKind, excise: String, year: Int?) throws -> Block? {
        try Row.fetchAll(db, sql: """
            SELECT * FROM reservations WHERE kind = ? AND excise_number = ? AND (year IS ? OR ? = 'lrn') ORDER BY first
            """, arguments: [kind.rawValue, excise, year, kind.rawValue])
            .lazy.map { try block(db, $0) }.first { $0.next != nil }
    }

    /// The segments of years before `year` to give back: every number of them the journal made
    /// is registered on the service (R-NUM-8: a lease is given back when its year ends, after its
    /// journal is pushed).
    func pastYearSegmentsSettled(before year: Int) throws(ToolkitError) -> [UUID] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.id FROM reservations r WHERE r.kind = 'craps' AND r.year < ? AND NOT EXISTS (
                    SELECT 1 FROM entries e WHERE e.kind = r.kind AND e.excise_number = r.excise_number
                        AND e.sequence BETWEEN r.first AND r.last AND e.year = r.year AND e.sync_state <> ?)
                """, arguments: [year, ToolkitSync.EntryState.registered.rawValue]).compactMap { UUID(uuidString: $0["id"]) }
        }
    }

    /// The entries the service does not hold: while any remains, the lease is not given back.
    func unsettledEntries() throws(ToolkitError) -> [Entry] {
        try entries().filter { $0.syncState != .registered }
    }

    /// The device's open segments with how much of each the journal used.
    func blocks() throws(ToolkitError) -> [Block] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM reservations ORDER BY excise_number, kind, year, first").map { try Self.block(db, $0) } }
    }

    /// The device's open segments as the service now holds them.
    private static func storeBlocks(_ db: Database, _ open: [ToolkitReservation]) throws {
        try db.execute(sql: "DELETE FROM reservations")
        for r in open {
            try db.execute(sql: "INSERT INTO reservations (id, kind, excise_number, year, first, last, reserved_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [r.id.uuidString.lowercased(), r.kind.rawValue, r.exciseNumber, r.year, r.first, r.last, r.reservedAt])
        }
    }

    // MARK: Push

    /// Entries the service does not hold yet, or whose communication it has not recorded.
    func entriesToPush() throws(ToolkitError) -> [ToolkitPush.Entry] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM entries WHERE sync_state IN (?, ?)
                    OR (communicated_at IS NOT NULL AND communication_state IS NULL) ORDER BY id
                """, arguments: [ToolkitSync.EntryState.pending.rawValue, ToolkitSync.EntryState.waiting.rawValue]).map { row in
                ToolkitPush.Entry(number: row["number"], type: row["type"], exciseNumber: row["excise_number"], transport: row["transport"],
                                  dispatchDate: row["dispatch_date"], dispatchTime: row["dispatch_time"], madeAt: row["created_at"],
                                  communicatedAt: row["communicated_at"])
            }
        }
    }

    /// Ended outages not yet pushed, each with the excise numbers it concerned: those of the
    /// numbers made during it, else every excise number of the last sync (the whole access was
    /// down).
    func outagesToPush() throws(ToolkitError) -> [ToolkitPush.Outage] {
        let all = try exciseNumbers().filter { !$0.issuableTypes.isEmpty }.map(\.number)
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT id FROM outages WHERE ended_at IS NOT NULL AND pushed_at IS NULL ORDER BY started_at, id").compactMap { row in
                let id: Int64 = row["id"]
                guard let o = try Self.outages(db, where: "WHERE id = \(id)").first, let end = o.endedAt else { return nil }
                let used = try String.fetchAll(db, sql: "SELECT DISTINCT excise_number FROM entries WHERE created_at BETWEEN ? AND ? ORDER BY excise_number",
                                               arguments: [o.startedAt, end])
                return ToolkitPush.Outage(localID: o.id, service: o.service, reason: o.reason, startedAt: o.startedAt, endedAt: end,
                                          endNote: o.endNote, attempts: o.attempts.map { .init(at: $0.at, channel: $0.channel, note: $0.note) },
                                          exciseNumbers: used.isEmpty ? all : used)
            }
        }
    }

    /// Writes what the service answered, in one transaction: a push cut before this point is
    /// simply sent again (the service then answers « already »).
    func applyPush(_ result: ToolkitPushResult, outages: [Int64], now: Date) throws(ToolkitError) {
        try write { db in
            for e in result.entries {
                let state = e.journalState.rawValue
                try db.execute(sql: """
                    UPDATE entries SET sync_state = ?, sync_detail = ?, synced_at = CASE WHEN ? = 'registered' THEN COALESCE(synced_at, ?) ELSE synced_at END,
                        communication_state = COALESCE(?, communication_state)
                    WHERE number = ?
                    """, arguments: [state, e.message.map { [e.code, $0].compactMap { $0 }.joined(separator: " : ") }, state, now,
                                     e.communication.map { $0 == .refused ? "refused: \(e.communicationMessage ?? "")" : $0.rawValue }, e.number])
            }
            for id in outages {
                try db.execute(sql: "UPDATE outages SET pushed_at = ? WHERE id = ? AND pushed_at IS NULL", arguments: [now, id])
            }
        }
    }

    /// Marks the entries a message to the office lists: at the next sync, they are recorded as
    /// communicated at that time.
    static func markCommunicated(_ db: Database, numbers: [String], at: Date) throws {
        for n in numbers {
            try db.execute(sql: "UPDATE entries SET communicated_at = COALESCE(communicated_at, ?) WHERE number = ?", arguments: [at, n])
        }
    }
}
