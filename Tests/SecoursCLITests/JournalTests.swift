import Foundation
import GRDB
import SecoursCore
import Testing
@testable import SecoursCLI

@Suite("offline journal")
struct JournalTests {
    let now = Date()

    func request(_ type: String = "DAA", excise: String = "FR007328E0001") throws -> GenerationRequest.Valid {
        try GenerationRequest(type: type, exciseNumber: excise, transport: "AB-123-CD", dispatchDate: nil, dispatchTime: nil)
            .validatingNow(now)
    }

    @Test func manualNumbersFollowTheSyncedSequenceAndTheJournal() throws {
        // setup
        let home = ScratchHome()
        defer { home.remove() }
        let journal = try Journal.open(home.folder, create: true)
        try journal.replaceSyncedState(sampleState(year: ParisDay(now).year, last: 41), now: now)
        // act
        let first = try journal.recordManualNumber(try request(), now: now)
        let second = try journal.recordManualNumber(try request("DSA"), now: now)
        // check
        let yy = String(ParisDay(now).year % 100)
        #expect(first.entry.number == "\(yy)FR007328E0001000421")
        #expect(second.entry.number == "\(yy)FR007328E0001000432")
        #expect(first.serverLast == 41 && second.localLast == 42)
        #expect(try FallbackNumber(parsingManual: second.entry.number).manualType == .dsa)
        #expect(try journal.entries().map(\.syncState) == [.pending, .pending])
        // A later sync that knows less than the journal does not move the sequence back.
        try journal.replaceSyncedState(sampleState(year: ParisDay(now).year, last: 10), now: now)
        #expect(try journal.recordManualNumber(try request(), now: now).entry.sequence == 44)
    }

    @Test func filesAreTheUsersOnly() throws {
        let home = ScratchHome()
        defer { home.remove() }
        _ = try Journal.open(home.folder, create: true)
        let folderMode = try FileManager.default.attributesOfItem(atPath: home.path)[.posixPermissions] as? Int
        let fileMode = try FileManager.default.attributesOfItem(atPath: home.folder.journalPath)[.posixPermissions] as? Int
        #expect(folderMode == 0o700 && fileMode == 0o600)
        let mode = try DatabaseQueue(path: home.folder.journalPath).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }

    @Test func refusesAnExciseNumberOrTypeTheAccountMayNotUse() throws {
        let home = ScratchHome()
        defer { home.remove() }
        let journal = try Journal.open(home.folder, create: true)
        #expect(throws: ToolkitError.notSynced(home.folder)) { try journal.recordManualNumber(try request(), now: now) }
        try journal.replaceSyncedState(sampleState(), now: now)
        #expect { try journal.recordManualNumber(try request(excise: "FR009990F0005"), now: now) } throws: {
            ($0 as? ToolkitError)?.code == "excise_number_unknown"
        }
        #expect(throws: ToolkitError.typeNotAllowed(.dsa, "FR007328E0002")) {
            try journal.recordManualNumber(try request("DSA", excise: "FR007328E0002"), now: now)
        }
        #expect(try journal.entries().isEmpty)
    }

    /// Separate connections, as separate processes have: the IMMEDIATE transaction serialises them.
    @Test func concurrentAllocationsNeverRepeatANumber() throws {
        let home = ScratchHome()
        defer { home.remove() }
        try Journal.open(home.folder, create: true).replaceSyncedState(sampleState(), now: now)
        let numbers = Collected<String>()
        let failures = Collected<String>()
        let valid = try request()
        let now = self.now
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do {
                let journal = try Journal.open(home.folder)
                for _ in 0..<10 { numbers.append(try journal.recordManualNumber(valid, now: now).entry.number) }
            } catch { failures.append("\(error)") }
        }
        #expect(failures.all.isEmpty)
        #expect(numbers.all.count == 80 && Set(numbers.all).count == 80)
        let sequences = try Journal.open(home.folder).entries().map(\.sequence).sorted()
        #expect(sequences == Array(42..<122))
    }

    @Test func lrnSerialIsContinuousPerOperator() throws {
        let home = ScratchHome()
        defer { home.remove() }
        let journal = try Journal.open(home.folder, create: true)
        try journal.replaceSyncedState(sampleState(), now: now)
        let excise = try ExciseNumber(parsing: "FR007328E0001")
        let a = try journal.recordLRN(exciseNumber: excise, type: .dae, transport: nil, now: now).entry
        let b = try journal.recordLRN(exciseNumber: excise, type: .dae, transport: nil, now: now.addingTimeInterval(86_400)).entry
        #expect(a.sequence == 1 && b.sequence == 2)
        #expect(try FallbackLRN(parsing: b.number).serial == 2)
        #expect(b.number.hasPrefix("PS") && b.number.contains("E0001"))
    }

    @Test func missingFolderIsAClearErrorAndCreatesNothing() throws {
        let home = ScratchHome()
        defer { home.remove() }
        #expect(throws: ToolkitError.notPrepared(home.folder)) { try Journal.open(home.folder) }
        #expect(!FileManager.default.fileExists(atPath: home.path))
    }

    @Test func corruptedJournalIsAClearErrorAndIsLeftAsItIs() throws {
        let home = ScratchHome()
        defer { home.remove() }
        try home.folder.prepare()
        let garbage = Data(repeating: 0x42, count: 8192)
        try garbage.write(to: URL(fileURLWithPath: home.folder.journalPath))
        #expect { try Journal.open(home.folder) } throws: { ($0 as? ToolkitError)?.code == "journal_unreadable" }
        #expect(FileManager.default.contents(atPath: home.folder.journalPath) == garbage)
    }

    @Test func journalOfTheFirstVersionIsMigratedWithNothingLost() throws {
        // setup: a journal as the first version wrote it, with one entry
        let home = ScratchHome()
        defer { home.remove() }
        try home.folder.prepare()
        let queue = try DatabaseQueue(path: home.folder.journalPath)
        try Journal.migrator.migrate(queue, upTo: "v1-journal")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO entries (kind, number, type, excise_number, year, sequence, transport, dispatch_date, dispatch_time, created_at)
                VALUES ('craps', '26FR007328E0001000071', 'DAE', 'FR007328E0001', 2026, 7, 'AB-123-CD', '2026-12-01', '08:00', ?)
                """, arguments: [now])
        }
        // act
        let journal = try Journal.open(home.folder)
        // check
        #expect(try journal.entries().map(\.number) == ["26FR007328E0001000071"])
        let outage = try journal.startOutage(at: now, service: "GAMMA", reason: "Fibre coupée", now: now)
        #expect(try journal.addAttempt(channel: "téléphone", note: nil, at: now).attempts.count == 1)
        #expect(throws: ToolkitError.outageAlreadyOpen(outage.startedAt)) { try journal.startOutage(at: now, service: "GAMMA", reason: "x", now: now) }
        #expect(try journal.endOutage(note: nil, at: now).endedAt != nil)
        #expect(throws: ToolkitError.noOpenOutage) { try journal.endOutage(note: nil, at: now) }
    }

    @Test func journalOfANewerVersionIsNotTouched() throws {
        let home = ScratchHome()
        defer { home.remove() }
        var newer = Journal.migrator
        newer.registerMigration("v99-future") { db in try db.execute(sql: "CREATE TABLE future (x INTEGER)") }
        _ = try Journal.open(home.folder, create: true, migrator: newer)
        #expect { try Journal.open(home.folder) } throws: { ($0 as? ToolkitError)?.code == "journal_too_new" }
    }
}

extension GenerationRequest {
    /// Fills a missing date and time with `now`, as `secours number` does.
    func validatingNow(_ now: Date) throws -> Valid {
        var r = self
        if r.dispatchDate == nil && r.dispatchTime == nil {
            r.dispatchDate = ParisDay(now).iso
            r.dispatchTime = ParisTime(now).text
        }
        return try r.validate(now: now)
    }
}
