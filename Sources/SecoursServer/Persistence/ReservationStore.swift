import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// The offline toolkit's devices and their leases of numbers (R-NUM-8). Every SQL statement on
/// `devices`, `reservations` and `toolkit_outages` is here.
///
/// A lease segment is taken by advancing the excise number's annual sequence row by its size, in
/// the transaction that records it: generation (which takes `last_used + 1`) can then never hand
/// out a number inside it, whichever process generates. GAMMA 2 LRN serials, which the service
/// never generates, are counted the same way on the row of year `lrnYear`. A lease is renewed in
/// place (`renew`): a sync adds only as many numbers as the device used, so syncing spends none.
struct ReservationStore {
    let db: Database

    /// The `sequences` row year that holds an excise number's LRN serial counter.
    static let lrnYear = 0

    private var sql: SQLDatabase { get throws { try db.sqlDatabase } }

    // MARK: Devices

    /// A device as the service recorded it.
    struct Device: Sendable {
        let id: UUID
        let name: String
        let accountID: UUID
        let status: ToolkitLease.DeviceStatus
        let statusReason: String?
        let counter: Int
        let attempt: UUID?
        let otherName: String?
    }

    func device(_ id: UUID) async throws -> Device? {
        try await sql.raw("""
            SELECT id, name, account_id, status, status_reason, lease_counter, lease_attempt, other_name FROM devices WHERE id = \(bind: id)
            """).first().map { row in
            Device(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                   accountID: try row.decode(column: "account_id", as: UUID.self),
                   status: ToolkitLease.DeviceStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .revoked,
                   statusReason: try row.decode(column: "status_reason", as: String?.self),
                   counter: try row.decode(column: "lease_counter", as: Int.self),
                   attempt: try row.decode(column: "lease_attempt", as: String?.self).flatMap(UUID.init(uuidString:)),
                   otherName: try row.decode(column: "other_name", as: String?.self))
        }
    }

    /// Whether the device is unknown, or known under an account of `company` (or `account`
    /// itself): a journal may change accounts within its company, never across companies.
    func mayUse(_ id: UUID, account: UUID, company: UUID?) async throws -> Bool {
        guard let row = try await sql.raw("""
            SELECT d.account_id, u.company_id FROM devices d JOIN users u ON u.id = d.account_id WHERE d.id = \(bind: id)
            """).first() else { return true }
        if try row.decode(column: "account_id", as: UUID.self) == account { return true }
        guard let company else { return false }
        return try row.decode(column: "company_id", as: UUID?.self) == company
    }

    /// Records the device (or its new name) and the account that syncs it now. The name of a
    /// device whose journal was seen twice stays the one of the first journal.
    func touchDevice(_ id: UUID, name: String, accountID: UUID, now: Date) async throws {
        try await sql.raw("""
            INSERT INTO devices (id, name, account_id, first_seen_at, last_sync_at) VALUES (\(bind: id), \(bind: name), \(bind: accountID), \(bind: now), \(bind: now))
            ON CONFLICT (id) DO UPDATE SET name = CASE WHEN devices.status = 'duplicated' THEN devices.name ELSE excluded.name END,
                account_id = excluded.account_id, last_sync_at = excluded.last_sync_at
            """).run()
    }

    func rename(_ id: UUID, to name: String) async throws {
        try await sql.raw("UPDATE devices SET name = \(bind: name) WHERE id = \(bind: id)").run()
    }

    /// Moves the lease counter one step for `attempt`, if it still stands at `from` (a
    /// compare-and-set: two journals racing with the same proof cannot both move it).
    func advanceLease(_ id: UUID, from counter: Int, attempt: UUID) async throws -> Bool {
        !(try await sql.raw("""
            UPDATE devices SET lease_counter = \(bind: counter + 1), lease_attempt = \(bind: attempt.uuidString.lowercased())
            WHERE id = \(bind: id) AND lease_counter = \(bind: counter) AND status = 'active' RETURNING id
            """).all()).isEmpty
    }

    /// Marks the device revoked, retired or duplicated (from active, or from duplicated to
    /// revoked); its open segments are kept for ever unless it is retired. Returns false when the
    /// device was not in a state that allows it.
    func setStatus(_ id: UUID, to status: ToolkitLease.DeviceStatus, reason: String?, by: String, otherName: String? = nil, now: Date) async throws -> Bool {
        let from: [String] = status == .revoked ? ["active", "duplicated", "retired"] : ["active"]
        let changed = try await sql.raw("""
            UPDATE devices SET status = \(bind: status.rawValue), status_reason = \(bind: reason), status_at = \(bind: now), status_by = \(bind: by),
                other_name = COALESCE(\(bind: otherName), other_name)
            WHERE id = \(bind: id) AND status IN (\(binds: from)) RETURNING id
            """).all()
        guard !changed.isEmpty else { return false }
        if status == .revoked || status == .duplicated {
            try await sql.raw("""
                UPDATE reservations SET ended = \(bind: status.rawValue) WHERE device_id = \(bind: id) AND released_at IS NULL
                """).run()
        }
        return true
    }

    /// The offices where the device holds or held numbers, with one of its excise numbers there:
    /// who is told of it, and who may revoke it.
    func offices(ofDevice id: UUID) async throws -> [(office: UUID, exciseNumber: String)] {
        try await sql.raw("""
            SELECT office_id, MIN(excise_number) AS excise_number FROM reservations WHERE device_id = \(bind: id) GROUP BY office_id ORDER BY office_id
            """).all().map { (try $0.decode(column: "office_id", as: UUID.self), try $0.decode(column: "excise_number", as: String.self)) }
    }

    /// Devices that hold or held numbers in reach, most recently synced first, with their open
    /// segments merged per kind and excise number.
    func devices(_ records: Scope.Records, limit: Int, id only: UUID? = nil) async throws -> [ToolkitDeviceRecord] {
        var query: SQLQueryString = """
            SELECT d.id, d.name, u.login, d.status, d.status_reason, d.status_at, d.status_by, d.first_seen_at, d.last_sync_at
            FROM devices d JOIN users u ON u.id = d.account_id WHERE EXISTS (SELECT 1 FROM reservations r WHERE r.device_id = d.id
            """
        guard let reach = Self.reach(records) else { return [] }
        query += reach
        query += ")"
        if let only { query += " AND d.id = \(bind: only)" }
        query += " ORDER BY d.last_sync_at DESC LIMIT \(unsafeRaw: String(limit))"
        let rows = try await sql.raw(query).all()
        let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
        guard !ids.isEmpty else { return [] }
        // Every listed device's open segments in one read.
        var openQuery: SQLQueryString = "SELECT \(Self.columns) FROM reservations r JOIN devices d ON d.id = r.device_id WHERE r.device_id IN (\(binds: ids)) AND r.released_at IS NULL"
        openQuery += reach
        let openByDevice = Dictionary(grouping: try await sql.raw(openQuery).all().map(Self.reservation), by: \.deviceID)
        var out: [ToolkitDeviceRecord] = []
        for (row, id) in zip(rows, ids) {
            let open = openByDevice[id] ?? []
            out.append(ToolkitDeviceRecord(
                id: id, name: try row.decode(column: "name", as: String.self), login: try row.decode(column: "login", as: String.self),
                status: ToolkitLease.DeviceStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .revoked,
                statusReason: try row.decode(column: "status_reason", as: String?.self), statusAt: try row.decode(column: "status_at", as: Date?.self),
                statusBy: try row.decode(column: "status_by", as: String?.self), firstSeenAt: try row.decode(column: "first_seen_at", as: Date.self),
                lastSyncAt: try row.decode(column: "last_sync_at", as: Date.self), open: Self.summary(open)))
        }
        return out
    }

    /// `FR007328E0001 séquences 2026 : 1–20, 31–33` per kind and excise number.
    static func summary(_ open: [ToolkitReservation]) -> [String] {
        Dictionary(grouping: open) { "\($0.exciseNumber) \($0.kind == .lrn ? "LRN" : Messages.ToolkitLease.sequencesOfYear($0.year ?? 0))" }
            .sorted { $0.key < $1.key }
            .map { "\($0.key) : \(ToolkitLease.text(ToolkitLease.merged($0.value.map(\.range))))" }
    }

    /// The condition of a reach on `reservations r`, nil when nothing is in reach.
    private static func reach(_ records: Scope.Records) -> SQLQueryString? {
        switch records {
        case .all: return ""
        case let .office(id): return " AND r.office_id = \(bind: id)"
        case let .exciseNumbers(numbers): return numbers.isEmpty ? nil : " AND r.excise_number IN (\(binds: numbers))"
        case .none: return nil
        }
    }

    // MARK: Segments

    private static let columns: SQLQueryString = """
        r.id, r.kind, r.excise_number, r.year, r.\(ident: "first"), r.\(ident: "last"), r.device_id, d.name AS device_name,
        r.account_login, r.event, r.reserved_at, r.released_at, r.ended, r.used, r.unused, r.returned
        """

    private static func reservation(_ row: SQLRow) throws -> ToolkitReservation {
        let year = try row.decode(column: "year", as: Int.self)
        return ToolkitReservation(id: try row.decode(column: "id", as: UUID.self),
                                  kind: DocumentKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .craps,
                                  exciseNumber: try row.decode(column: "excise_number", as: String.self),
                                  year: year == lrnYear ? nil : year,
                                  first: try row.decode(column: "first", as: Int.self), last: try row.decode(column: "last", as: Int.self),
                                  deviceID: try row.decode(column: "device_id", as: UUID.self),
                                  deviceName: try row.decode(column: "device_name", as: String.self),
                                  login: try row.decode(column: "account_login", as: String.self),
                                  event: ToolkitLease.Event(rawValue: try row.decode(column: "event", as: String.self)) ?? .reserved,
                                  reservedAt: try row.decode(column: "reserved_at", as: Date.self),
                                  releasedAt: try row.decode(column: "released_at", as: Date?.self),
                                  ended: try row.decode(column: "ended", as: String?.self).flatMap(ToolkitLease.Event.init(rawValue:)),
                                  used: try row.decode(column: "used", as: Int?.self), unused: try row.decode(column: "unused", as: String?.self),
                                  returned: try row.decode(column: "returned", as: Int?.self))
    }

    /// The holes left by the segments released within `[from, to)` in reach: for the DRM's line
    /// « numéros réservés non utilisés » (R-OFF-2).
    func holes(_ records: Scope.Records, exciseNumber: String?, from: Date, to: Date) async throws -> [ToolkitReservation] {
        guard let reach = Self.reach(records) else { return [] }
        var query: SQLQueryString = """
            SELECT \(Self.columns) FROM reservations r JOIN devices d ON d.id = r.device_id
            WHERE r.released_at >= \(bind: from) AND r.released_at < \(bind: to) AND r.unused IS NOT NULL AND r.unused <> ''
            """
        query += reach
        if let exciseNumber { query += " AND r.excise_number = \(bind: exciseNumber)" }
        query += " ORDER BY r.excise_number, r.kind, r.\(ident: "first")"
        return try await sql.raw(query).all().map(Self.reservation)
    }

    /// The open segments the account holds on the device: a lease is the pair's, so another
    /// account naming the same device id neither sees nor releases it.
    func open(device: UUID, login: String) async throws -> [ToolkitReservation] {
        try await sql.raw("""
            SELECT \(Self.columns) FROM reservations r JOIN devices d ON d.id = r.device_id
            WHERE r.device_id = \(bind: device) AND r.account_login = \(bind: login) AND r.released_at IS NULL
            ORDER BY r.excise_number, r.kind, r.year, r.\(ident: "first")
            """).all().map(Self.reservation)
    }

    /// Segments newest first: all of them, an office's, or those of some excise numbers.
    func list(_ records: Scope.Records, exciseNumber: String?, openOnly: Bool, limit: Int) async throws -> [ToolkitReservation] {
        guard let reach = Self.reach(records) else { return [] }
        var query: SQLQueryString = "SELECT \(Self.columns) FROM reservations r JOIN devices d ON d.id = r.device_id WHERE 1 = 1"
        query += reach
        if let exciseNumber { query += " AND r.excise_number = \(bind: exciseNumber)" }
        if openOnly { query += " AND r.released_at IS NULL" }
        query += " ORDER BY r.reserved_at DESC, r.excise_number, r.kind, r.\(ident: "first") DESC LIMIT \(unsafeRaw: String(limit))"
        return try await sql.raw(query).all().map(Self.reservation)
    }

    /// The numbers of a segment the service holds.
    private func issued(in r: ToolkitReservation) async throws -> Set<Int> {
        var query: SQLQueryString = """
            SELECT sequence FROM documents WHERE kind = \(bind: r.kind.rawValue) AND excise_number = \(bind: r.exciseNumber)
                AND sequence BETWEEN \(bind: r.first) AND \(bind: r.last)
            """
        if let year = r.year { query += " AND year = \(bind: year)" }
        return Set(try await sql.raw(query).all().map { try $0.decode(column: "sequence", as: Int.self) })
    }

    /// Tops the device's lease on (kind, excise number, year) up to `size` numbers not yet used:
    /// segments all registered close as `used`; what is left of the others, after what the
    /// journal says it made in them (`used`: segment id → highest number made), is counted; only
    /// the difference is taken, right after the counter. Must run in a write transaction: the
    /// counter row stays locked until it commits. Returns the segments closed.
    func renew(kind: DocumentKind, exciseNumber: String, officeID: UUID, year: Int, size: Int, device: UUID, login: String,
               used: [UUID: Int], now: Date) async throws -> [ToolkitReservation] {
        let counterYear = kind == .lrn ? Self.lrnYear : year
        let mine = try await open(device: device, login: login).filter {
            $0.kind == kind && $0.exciseNumber == exciseNumber && ($0.year ?? Self.lrnYear) == counterYear
        }
        var remaining = 0
        var closed: [ToolkitReservation] = []
        for segment in mine {
            let issued = try await issued(in: segment)
            if issued.count == segment.range.count {
                if let done = try await close(segment, ended: .used, used: issued.count, holes: [], returned: 0, now: now) { closed.append(done) }
                continue
            }
            let highest = max(min(used[segment.id] ?? 0, segment.last), issued.max() ?? 0)
            remaining += segment.last - max(segment.first - 1, highest)
        }
        let count = ToolkitLease.topUp(size: size, remaining: remaining)
        guard count > 0 else { return closed }
        let sequences = SequenceStore(db: db)
        if kind == .lrn {
            // LRN serials registered a posteriori are counted by their documents: the counter
            // first catches up with them.
            let row = try await sql.raw("""
                SELECT COALESCE(MAX(sequence), 0) AS highest FROM documents WHERE kind = 'lrn' AND excise_number = \(bind: exciseNumber)
                """).first()
            try await sequences.raise(exciseNumber: exciseNumber, year: counterYear, to: try row?.decode(column: "highest", as: Int.self) ?? 0)
        }
        let last = try await sequences.advance([(exciseNumber: exciseNumber, year: counterYear, count: count)])["\(exciseNumber)/\(counterYear)"] ?? count
        let event: ToolkitLease.Event = mine.isEmpty ? .reserved : .renewed
        try await sql.raw("""
            INSERT INTO reservations (id, device_id, account_login, kind, excise_number, office_id, year, \(ident: "first"), \(ident: "last"), event, reserved_at)
            VALUES (\(bind: UUID()), \(bind: device), \(bind: login), \(bind: kind.rawValue), \(bind: exciseNumber), \(bind: officeID), \(bind: counterYear),
                    \(bind: last - count + 1), \(bind: last), \(bind: event.rawValue), \(bind: now))
            """).run()
        return closed
    }

    /// Gives a lease back (`retired`, `year-ended`): on each (kind, excise number, year), the
    /// counter row is locked, then steps back to the highest number that must stay below it —
    /// issued, held in another open segment, or a hole an earlier release explained — so that
    /// where nothing above the lease was issued no hole remains; the unused numbers under it are
    /// holes, written down on the segment. Must run in a write transaction.
    func release(_ segments: [ToolkitReservation], ended: ToolkitLease.Event, now: Date) async throws -> [ToolkitReservation] {
        var out: [ToolkitReservation] = []
        let groups = Dictionary(grouping: segments) { "\($0.exciseNumber)/\($0.year ?? Self.lrnYear)/\($0.kind.rawValue)" }
        // Counter rows are locked in (excise number, year) order, like generations and imports.
        for key in groups.keys.sorted() {
            let lease = groups[key]!
            let (kind, excise, year) = (lease[0].kind, lease[0].exciseNumber, lease[0].year ?? Self.lrnYear)
            let counter = try await SequenceStore(db: db).advance([(exciseNumber: excise, year: year, count: 0)])["\(excise)/\(year)"] ?? 0
            let ids = lease.map(\.id)
            var floorQuery: SQLQueryString = """
                SELECT MAX(n) AS floor FROM (
                    SELECT MAX(sequence) AS n FROM documents WHERE kind = \(bind: kind.rawValue) AND excise_number = \(bind: excise)
                """
            if kind == .craps { floorQuery += " AND year = \(bind: year)" }
            floorQuery += """
                 UNION ALL SELECT MAX(\(ident: "last")) AS n FROM reservations WHERE kind = \(bind: kind.rawValue) AND excise_number = \(bind: excise)
                    AND year = \(bind: year) AND released_at IS NULL AND id NOT IN (\(binds: ids))
                UNION ALL SELECT MAX(holes_top) AS n FROM reservations WHERE kind = \(bind: kind.rawValue) AND excise_number = \(bind: excise)
                    AND year = \(bind: year) AND released_at IS NOT NULL) floors
                """
            let floor = try await sql.raw(floorQuery).first()?.decode(column: "floor", as: Int?.self) ?? 0
            var issued: [UUID: Set<Int>] = [:]
            for s in lease { issued[s.id] = try await self.issued(in: s) }
            let all = issued.values.reduce(into: Set<Int>()) { $0.formUnion($1) }
            let result = ToolkitLease.release(segments: lease.map(\.range), used: all, counter: counter, floor: floor)
            if result.counter < counter {
                try await sql.raw("""
                    UPDATE sequences SET last_used = \(bind: result.counter) WHERE excise_number = \(bind: excise) AND year = \(bind: year)
                    """).run()
            }
            for s in lease {
                let holes = result.holes.compactMap { h -> ClosedRange<Int>? in
                    let low = max(h.lowerBound, s.first), high = min(h.upperBound, s.last)
                    return low <= high ? low...high : nil
                }
                let unused = s.range.count - issued[s.id]!.count
                let holeCount = holes.reduce(0) { $0 + $1.count }
                if let done = try await close(s, ended: ended, used: issued[s.id]!.count, holes: holes, returned: unused - holeCount, now: now) {
                    out.append(done)
                }
            }
        }
        return out
    }

    /// Closes an open segment; nil when another call closed it first.
    private func close(_ r: ToolkitReservation, ended: ToolkitLease.Event, used: Int, holes: [ClosedRange<Int>], returned: Int,
                       now: Date) async throws -> ToolkitReservation? {
        let unused = ToolkitLease.text(holes)
        let changed = try await sql.raw("""
            UPDATE reservations SET released_at = \(bind: now), ended = \(bind: ended.rawValue), used = \(bind: used), unused = \(bind: unused),
                returned = \(bind: returned), holes_top = \(bind: holes.last?.upperBound)
            WHERE id = \(bind: r.id) AND released_at IS NULL RETURNING id
            """).all()
        guard !changed.isEmpty else { return nil }
        return ToolkitReservation(id: r.id, kind: r.kind, exciseNumber: r.exciseNumber, year: r.year, first: r.first, last: r.last,
                                  deviceID: r.deviceID, deviceName: r.deviceName, login: r.login, event: r.event, reservedAt: r.reservedAt,
                                  releasedAt: now, ended: ended, used: used, unused: unused, returned: returned)
    }

    /// The open segments of devices other than `except` on (kind, excise number, year), to refuse
    /// a number inside one of them. A revoked or duplicated device's segments stay open for ever.
    func openBlocks(kind: DocumentKind, exciseNumber: String, year: Int?, except device: UUID?) async throws -> [ToolkitReservation] {
        var query: SQLQueryString = """
            SELECT \(Self.columns) FROM reservations r JOIN devices d ON d.id = r.device_id
            WHERE r.released_at IS NULL AND r.kind = \(bind: kind.rawValue) AND r.excise_number = \(bind: exciseNumber)
                AND r.year = \(bind: kind == .lrn ? Self.lrnYear : (year ?? Self.lrnYear))
            """
        if let device { query += " AND r.device_id <> \(bind: device)" }
        return try await sql.raw(query).all().map(Self.reservation)
    }

    /// Refuses a number inside another device's open segment (R-NUM-8).
    func refuseIfReserved(kind: DocumentKind, exciseNumber: String, year: Int, sequence: Int, except device: UUID?) async throws {
        if let block = try await openBlocks(kind: kind, exciseNumber: exciseNumber, year: year, except: device).first(where: { $0.contains(sequence) }) {
            throw SecoursError.reserved(block, sequence: sequence)
        }
    }

    /// Whether the number lies in one of the device's own open segments (a number made offline
    /// from its lease is never a typing slip).
    func isInOwnLease(kind: DocumentKind, exciseNumber: String, year: Int, sequence: Int, device: UUID) async throws -> Bool {
        !(try await sql.raw("""
            SELECT 1 AS x FROM reservations WHERE device_id = \(bind: device) AND released_at IS NULL AND kind = \(bind: kind.rawValue)
                AND excise_number = \(bind: exciseNumber) AND year = \(bind: kind == .lrn ? Self.lrnYear : year)
                AND \(ident: "first") <= \(bind: sequence) AND \(ident: "last") >= \(bind: sequence)
            """).all()).isEmpty
    }

    // MARK: Outages pushed

    func episode(ofOutage localID: Int64, device: UUID, exciseNumber: String) async throws -> UUID? {
        try await sql.raw("""
            SELECT episode_id FROM toolkit_outages WHERE device_id = \(bind: device) AND local_id = \(bind: localID) AND excise_number = \(bind: exciseNumber)
            """).first()?.decode(column: "episode_id", as: UUID.self)
    }

    func recordOutage(_ localID: Int64, device: UUID, exciseNumber: String, episode: UUID, now: Date) async throws {
        try await sql.raw("""
            INSERT INTO toolkit_outages (device_id, local_id, excise_number, episode_id, pushed_at)
            VALUES (\(bind: device), \(bind: localID), \(bind: exciseNumber), \(bind: episode), \(bind: now))
            """).run()
    }
}

extension SecoursError {
    static func reserved(_ block: ToolkitReservation, sequence: Int) -> SecoursError {
        let what = block.kind == .lrn ? Messages.Documents.reservedSerial(sequence) : Messages.Documents.reservedSequence(sequence, year: block.year ?? 0)
        return SecoursError(kind: .conflict, code: "sequence_reserved",
                            message: Messages.Documents.reserved(what, exciseNumber: block.exciseNumber, device: block.deviceName,
                                                                 login: block.login, since: block.reservedAt))
    }
}
