import Fluent
import SQLKit

/// R-NUM-8, the lease: a device's reserve is renewed in place instead of given back at every sync.
///
/// - `devices`: the lease counter each sync advances and the journal records (with the attempt
///   that moved it last, so that a sync cut half way is answered again), and the device's status:
///   active, retired (`secours logout`), revoked (office, CID) or duplicated (two journals seen on
///   its lease), with why, when and by whom; `other_name` is the name the second journal gave.
/// - `reservations`: each segment says why it was taken (`reserved`, `renewed`) and how it ended
///   (`used`, `retired`, `year-ended`, `revoked`, `duplicated`); on release, how many unused
///   numbers went back to the sequence and the highest hole it left, under which the sequence
///   never steps back again.
/// Segments released before this migration were given back at a sync: they count as retired.
struct M023_ToolkitLease: AsyncMigration {
    /// The vocabulary columns this migration adds or widens (see `M021_KnownValues`): the office's
    /// news gains `toolkit-device`.
    static let columns: [M021_KnownValues.Column] = [
        .init(table: "office_notices", column: "kind", values: ["authorisation-request", "episode-declared", "self-trigger", "communication", "toolkit-device"]),
        .init(table: "devices", column: "status", values: ["active", "retired", "revoked", "duplicated"]),
        .init(table: "reservations", column: "event", values: ["reserved", "renewed"]),
        .init(table: "reservations", column: "ended", values: ["used", "retired", "year-ended", "revoked", "duplicated"]),
    ]

    func prepare(on db: Database) async throws {
        let sql = try db.sqlDatabase
        try await db.schema("devices").field("status_at", .datetime).update()
        for statement in [
            "ALTER TABLE devices ADD COLUMN lease_counter INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE devices ADD COLUMN lease_attempt TEXT",
            "ALTER TABLE devices ADD COLUMN status TEXT NOT NULL DEFAULT 'active'",
            "ALTER TABLE devices ADD COLUMN status_reason TEXT",
            "ALTER TABLE devices ADD COLUMN status_by TEXT",
            "ALTER TABLE devices ADD COLUMN other_name TEXT",
            "ALTER TABLE reservations ADD COLUMN event TEXT NOT NULL DEFAULT 'reserved'",
            "ALTER TABLE reservations ADD COLUMN ended TEXT",
            "ALTER TABLE reservations ADD COLUMN returned INTEGER",
            "ALTER TABLE reservations ADD COLUMN holes_top INTEGER",
            "UPDATE reservations SET ended = 'retired', returned = 0, holes_top = CASE WHEN unused = '' THEN NULL ELSE \"last\" END WHERE released_at IS NOT NULL",
        ] {
            try await sql.raw(SQLQueryString(statement)).run()
        }
        // The office's list of a device's segments, and the floor under which a sequence never
        // steps back (a hole explained by an earlier release).
        try await sql.raw("CREATE INDEX reservations_lease ON reservations (kind, excise_number, year, device_id)").run()
        for c in Self.columns {
            try await M021_KnownValues.drop(c, on: sql)
            try await M021_KnownValues.add(c, on: sql)
        }
    }

    func revert(on db: Database) async throws {
        let sql = try db.sqlDatabase
        for c in Self.columns { try await M021_KnownValues.drop(c, on: sql) }
        if let notices = M021_KnownValues.columns.first(where: { $0.table == "office_notices" }) { try await M021_KnownValues.add(notices, on: sql) }
        try await sql.raw("DROP INDEX reservations_lease").run()
        for column in ["event", "ended", "returned", "holes_top"] {
            try await sql.raw("ALTER TABLE reservations DROP COLUMN \(unsafeRaw: column)").run()
        }
        for column in ["lease_counter", "lease_attempt", "status", "status_reason", "status_by", "other_name"] {
            try await sql.raw("ALTER TABLE devices DROP COLUMN \(unsafeRaw: column)").run()
        }
        try await db.schema("devices").deleteField("status_at").update()
    }
}
