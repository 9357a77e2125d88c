import Foundation
import GRDB
import SecoursCore

/// The outage log (proof of good faith, seed 001 step 2) and the messages drafted for the office.
extension Journal {
    /// v2: outages with their attempts to reach the office, and the messages drafted.
    static func registerOutageMigration(_ m: inout DatabaseMigrator) {
        m.registerMigration("v2-outages") { db in
            try db.execute(sql: """
                CREATE TABLE outages (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    started_at DATETIME NOT NULL, recorded_at DATETIME NOT NULL,
                    service TEXT NOT NULL, reason TEXT NOT NULL,
                    ended_at DATETIME, end_note TEXT);
                -- At most one outage open at a time.
                CREATE UNIQUE INDEX outages_one_open ON outages ((ended_at IS NULL)) WHERE ended_at IS NULL;
                CREATE TABLE outage_attempts (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    outage_id INTEGER NOT NULL REFERENCES outages (id),
                    at DATETIME NOT NULL, channel TEXT NOT NULL, note TEXT);
                CREATE TABLE messages (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    created_at DATETIME NOT NULL, office_email TEXT NOT NULL, numbers TEXT NOT NULL,
                    text_file TEXT NOT NULL, eml_file TEXT NOT NULL);
                """)
        }
    }

    struct Outage: Sendable, Codable, Equatable {
        struct Attempt: Sendable, Codable, Equatable {
            let at: Date
            let channel: String
            let note: String?
        }

        let id: Int64
        let startedAt: Date
        let recordedAt: Date
        let service: String
        let reason: String
        let endedAt: Date?
        let endNote: String?
        let attempts: [Attempt]
    }

    static func outages(_ db: Database, where clause: String) throws -> [Outage] {
        try Row.fetchAll(db, sql: "SELECT * FROM outages \(clause)").map { row in
            let id: Int64 = row["id"]
            let attempts = try Row.fetchAll(db, sql: "SELECT at, channel, note FROM outage_attempts WHERE outage_id = ? ORDER BY at, id", arguments: [id])
                .map { Outage.Attempt(at: $0["at"], channel: $0["channel"], note: $0["note"]) }
            return Outage(id: id, startedAt: row["started_at"], recordedAt: row["recorded_at"], service: row["service"], reason: row["reason"],
                          endedAt: row["ended_at"], endNote: row["end_note"], attempts: attempts)
        }
    }

    func openOutage() throws(ToolkitError) -> Outage? {
        try read { db in try Self.outages(db, where: "WHERE ended_at IS NULL").first }
    }

    /// Every outage, oldest first.
    func outages() throws(ToolkitError) -> [Outage] {
        try read { db in try Self.outages(db, where: "ORDER BY started_at, id") }
    }

    /// The outage open now, else the last one.
    func currentOrLastOutage() throws(ToolkitError) -> Outage? {
        try read { db in try Self.outages(db, where: "ORDER BY (ended_at IS NULL) DESC, started_at DESC, id DESC LIMIT 1").first }
    }

    func startOutage(at start: Date, service: String, reason: String, now: Date) throws(ToolkitError) -> Outage {
        try write { db in
            if let open = try Self.outages(db, where: "WHERE ended_at IS NULL").first { throw ToolkitError.outageAlreadyOpen(open.startedAt) }
            try db.execute(sql: "INSERT INTO outages (started_at, recorded_at, service, reason) VALUES (?, ?, ?, ?)",
                           arguments: [start, now, service, reason])
            return try Self.outages(db, where: "WHERE id = \(db.lastInsertedRowID)")[0]
        }
    }

    func addAttempt(channel: String, note: String?, at: Date) throws(ToolkitError) -> Outage {
        try write { db in
            guard let open = try Self.outages(db, where: "WHERE ended_at IS NULL").first else { throw ToolkitError.noOpenOutage }
            try db.execute(sql: "INSERT INTO outage_attempts (outage_id, at, channel, note) VALUES (?, ?, ?, ?)", arguments: [open.id, at, channel, note])
            return try Self.outages(db, where: "WHERE id = \(open.id)")[0]
        }
    }

    func endOutage(note: String?, at: Date) throws(ToolkitError) -> Outage {
        try write { db in
            guard let open = try Self.outages(db, where: "WHERE ended_at IS NULL").first else { throw ToolkitError.noOpenOutage }
            try db.execute(sql: "UPDATE outages SET ended_at = ?, end_note = ? WHERE id = ?", arguments: [at, note, open.id])
            return try Self.outages(db, where: "WHERE id = \(open.id)")[0]
        }
    }

    func recordMessage(officeEmail: String, numbers: [String], textFile: String, emlFile: String, now: Date) throws(ToolkitError) {
        try write { db in
            try db.execute(sql: "INSERT INTO messages (created_at, office_email, numbers, text_file, eml_file) VALUES (?, ?, ?, ?, ?)",
                           arguments: [now, officeEmail, numbers.joined(separator: ","), textFile, emlFile])
            try Self.markCommunicated(db, numbers: numbers, at: now)
        }
    }
}
