import Fluent
import SQLKit

/// R-NUM-8 and R-API-2: the offline toolkit's devices, the blocks of numbers they hold, and the
/// outages they pushed.
///
/// - `devices`: a laptop as its toolkit named itself, with the account that last synced it.
/// - `reservations`: every block ever reserved, open until released. This is the audit log the
///   office reads: a gap in a sequence is a released block's `unused` ranges.
/// - `toolkit_outages`: which episode an outage of a device became, per excise number, so that a
///   second push of it does nothing.
struct M018_CreateToolkitSync: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema("devices")
            .id()
            .field("name", .string, .required)
            .field("account_id", .uuid, .required, .references("users", "id"))
            .field("first_seen_at", .datetime, .required)
            .field("last_sync_at", .datetime, .required)
            .create()
        try await db.schema("reservations")
            .id()
            .field("device_id", .uuid, .required, .references("devices", "id"))
            .field("account_login", .string, .required)
            .field("kind", .string, .required)
            .field("excise_number", .string, .required)
            .field("office_id", .uuid, .required)
            // The year of CRAPS sequences; 0 for LRN serials, which run on across years.
            .field("year", .int, .required)
            .field("first", .int, .required)
            .field("last", .int, .required)
            .field("reserved_at", .datetime, .required)
            .field("released_at", .datetime)
            .field("used", .int)
            .field("unused", .string)
            .create()
        try await db.schema("toolkit_outages")
            .field("device_id", .uuid, .required, .references("devices", "id"))
            .field("local_id", .int64, .required)
            .field("excise_number", .string, .required)
            .field("episode_id", .uuid, .required, .references("episodes", "id"))
            .field("pushed_at", .datetime, .required)
            .compositeIdentifier(over: "device_id", "local_id", "excise_number")
            .create()
        guard let sql = db as? SQLDatabase else { return }
        try await sql.raw("CREATE INDEX reservations_open ON reservations (excise_number, kind, year) WHERE released_at IS NULL").run()
        try await sql.create(index: "reservations_office").on("reservations").column("office_id").column("reserved_at").run()
        try await sql.create(index: "reservations_device").on("reservations").column("device_id").run()
    }

    func revert(on db: Database) async throws {
        try await db.schema("toolkit_outages").delete()
        try await db.schema("reservations").delete()
        try await db.schema("devices").delete()
    }
}
