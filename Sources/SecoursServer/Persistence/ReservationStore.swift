import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// The offline toolkit's devices and their blocks of numbers (R-NUM-8). Every SQL statement on
/// `devices`, `reservations` and `toolkit_outages` is here.
///
/// A CRAPS block is taken by advancing the excise number's annual sequence row by the block's
/// size, in the transaction that records it: generation (which takes `last_used + 1`) can then
/// never hand out a number inside it, whichever process generates. GAMMA 2 LRN serials, which
/// the service never generates, are counted the same way on the row of year `lrnYear`.
struct ReservationStore {
    let db: Database

    /// The `sequences` row year that holds an excise number's LRN serial counter.
    static let lrnYear = 0

    private var sql: SQLDatabase { get throws { try db.sqlDatabase } }

    // MARK: Devices

    /// Records the device (or its new name) and the account that syncs it now.
    func touchDevice(_ id: UUID, name: String, accountID: UUID, now: Date) async throws {
        try await sql.raw("""
            INSERT INTO devices (id, name, account_id, first_seen_at, last_sync_at) VALUES (\(bind: id), \(bind: name), \(bind: accountID), \(bind: now), \(bind: now))
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, account_id = excluded.account_id, last_sync_at = excluded.last_sync_at
            """).run()
    }

    // MARK: Reservations

    private static let columns: SQLQueryString = """
        r.id, r.kind, r.excise_number, r.year, r.\(ident: "first"), r.\(ident: "last"), r.device_id, d.name AS device_name,
        r.account_login, r.reserved_at, r.released_at, r.used, r.unused
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
                                  reservedAt: try row.decode(column: "reserved_at", as: Date.self),
                                  releasedAt: try row.decode(column: "released_at", as: Date?.self),
                                  used: try row.decode(column: "used", as: Int?.self), unused: try row.decode(column: "unused", as: String?.self))
    }

    /// The open blocks the account holds on the device: a block is the pair's, so another
    /// account naming the same device id neither sees nor releases it.
    func open(device: UUID, login: String) async throws -> [ToolkitReservation] {
        try await sql.raw("""
            SELECT \(Self.columns) FROM reservations r JOIN devices d ON d.id = r.device_id
            WHERE r.device_id = \(bind: device) AND r.account_login = \(bind: login) AND r.released_at IS NULL
            ORDER BY r.excise_number, r.kind, r.reserved_at
            """).all().map(Self.reservation)
    }

    /// Reservations newest first: all of them, an office's, or those of some excise numbers.
    func list(_ records: Scope.Records, exciseNumber: String?, openOnly: Bool, limit: Int) async throws -> [ToolkitReservation] {
        var query: SQLQueryString = "SELECT \(Self.columns) FROM reservations r JOIN devices d ON d.id = r.device_id WHERE 1 = 1"
        switch records {
        case .all: break
        case let .office(id): query += " AND r.office_id = \(bind: id)"
        case let .exciseNumbers(numbers):
            guard !numbers.isEmpty else { return [] }
            query += " AND r.excise_number IN (\(binds: numbers))"
        case .none: return []
        }
        if let exciseNumber { query += " AND r.excise_number = \(bind: exciseNumber)" }
        if openOnly { query += " AND r.released_at IS NULL" }
        query += " ORDER BY r.reserved_at DESC, r.excise_number, r.kind LIMIT \(unsafeRaw: String(limit))"
        return try await sql.raw(query).all().map(Self.reservation)
    }

    /// Takes a block of `size` numbers of `kind` on an excise number for a device. Must run in a
    /// write transaction: the counter row stays locked until it commits.
    func reserve(kind: DocumentKind, exciseNumber: String, officeID: UUID, year: Int, size: Int, device: UUID, login: String,
                 now: Date) async throws -> UUID {
        let sequences = SequenceStore(db: db)
        let counterYear = kind == .lrn ? Self.lrnYear : year
        if kind == .lrn {
            // LRN serials registered a posteriori are counted by their documents: the counter
            // first catches up with them.
            let row = try await sql.raw("""
                SELECT COALESCE(MAX(sequence), 0) AS highest FROM documents WHERE kind = 'lrn' AND excise_number = \(bind: exciseNumber)
                """).first()
            try await sequences.raise(exciseNumber: exciseNumber, year: counterYear, to: try row?.decode(column: "highest", as: Int.self) ?? 0)
        }
        let last = try await sequences.advance([(exciseNumber: exciseNumber, year: counterYear, count: size)])["\(exciseNumber)/\(counterYear)"] ?? size
        let id = UUID()
        try await sql.raw("""
            INSERT INTO reservations (id, device_id, account_login, kind, excise_number, office_id, year, \(ident: "first"), \(ident: "last"), reserved_at)
            VALUES (\(bind: id), \(bind: device), \(bind: login), \(bind: kind.rawValue), \(bind: exciseNumber), \(bind: officeID), \(bind: counterYear),
                    \(bind: last - size + 1), \(bind: last), \(bind: now))
            """).run()
        return id
    }

    /// Releases an open block (as `open` read it): what the service holds of it is counted, the
    /// rest stays a gap, written down as ranges. Returns nil when another call released it first.
    func release(_ r: ToolkitReservation, now: Date) async throws -> ToolkitReservation? {
        var query: SQLQueryString = """
            SELECT sequence FROM documents WHERE kind = \(bind: r.kind.rawValue) AND excise_number = \(bind: r.exciseNumber)
                AND sequence BETWEEN \(bind: r.first) AND \(bind: r.last)
            """
        if let year = r.year { query += " AND year = \(bind: year)" }
        let used = Set(try await sql.raw(query).all().map { try $0.decode(column: "sequence", as: Int.self) })
        let unused = ToolkitReservation.ranges(of: r.first...r.last, excluding: used)
        let changed = try await sql.raw("""
            UPDATE reservations SET released_at = \(bind: now), used = \(bind: used.count), unused = \(bind: unused)
            WHERE id = \(bind: r.id) AND released_at IS NULL RETURNING id
            """).all()
        guard !changed.isEmpty else { return nil }
        return ToolkitReservation(id: r.id, kind: r.kind, exciseNumber: r.exciseNumber, year: r.year, first: r.first, last: r.last,
                                  deviceID: r.deviceID, deviceName: r.deviceName, login: r.login, reservedAt: r.reservedAt,
                                  releasedAt: now, used: used.count, unused: unused)
    }

    /// The open blocks of devices other than `except` on (kind, excise number, year), to refuse a
    /// number inside one of them.
    func openBlocks(kind: DocumentKind, exciseNumber: String, year: Int?, except device: UUID?) async throws -> [ToolkitReservation] {
        var query: SQLQueryString = """
            SELECT \(Self.columns) FROM reservations r JOIN devices d ON d.id = r.device_id
            WHERE r.released_at IS NULL AND r.kind = \(bind: kind.rawValue) AND r.excise_number = \(bind: exciseNumber)
                AND r.year = \(bind: kind == .lrn ? Self.lrnYear : (year ?? Self.lrnYear))
            """
        if let device { query += " AND r.device_id <> \(bind: device)" }
        return try await sql.raw(query).all().map(Self.reservation)
    }

    /// Refuses a number inside another device's open block (R-NUM-8).
    func refuseIfReserved(kind: DocumentKind, exciseNumber: String, year: Int, sequence: Int, except device: UUID?) async throws {
        if let block = try await openBlocks(kind: kind, exciseNumber: exciseNumber, year: year, except: device).first(where: { $0.contains(sequence) }) {
            throw SecoursError.reserved(block, sequence: sequence)
        }
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
