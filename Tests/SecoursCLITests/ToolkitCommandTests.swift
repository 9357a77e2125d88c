import Foundation
import SecoursCore
import SQLKit
import Testing
@testable import SecoursCLI
@testable import SecoursServer

/// The `secours` toolkit commands, each run as its own process against a scratch state folder,
/// and `login`/`sync` against the real service on a free port.
@Suite("secours offline toolkit", .serialized)
struct ToolkitCommandTests {
    let year = ParisDay(Date()).year

    @Test(arguments: ServerDatabase.available)
    func theWholeWalkOfflineThenBackEndsWithEverythingRegistered(_ db: ServerDatabase) async throws {
        let home = ScratchHome()
        defer { home.remove() }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("secours-work-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let service = try await ToolkitService(db)
        do {
            try await walk(service, home: home, work: work)
        } catch {
            await service.destroy()
            throw error
        }
        await service.destroy()
    }

    private func walk(_ service: ToolkitService, home: ScratchHome, work: String) async throws {
        let app = try await service.start()
        let base = service.base
        // setup: the service has used 41 numbers of FR007328E0001 this year
        try await SequenceStore(db: app.db).raise(exciseNumber: "FR007328E0001", year: year, to: 41)
        // act: prepare the laptop
        let login = try secours(["login", "--server", base + "/", "--login", "marie.laurent"], home: home, env: ["SECOURS_PASSWORD": DemoData.password])
        #expect(login.status == 0, "\(login.err)")
        #expect(login.out.contains("Lancez maintenant « secours sync »"))
        let sync = try secours(["sync", "--json"], home: home, env: ["SECOURS_DEVICE_NAME": "portable-chai"])
        #expect(sync.status == 0, "\(sync.err)")
        let state = try #require(sync.json["state"] as? [String: Any])
        #expect((state["exciseNumbers"] as? [[String: Any]])?.map { $0["number"] as? String } == ["FR007328E0001", "FR007328E0002"])
        let blocks = try #require(sync.json["reservations"] as? [[String: Any]])
        // a first lease of the default size, right after the service's last number
        #expect(blocks.contains { $0["kind"] as? String == "craps" && $0["exciseNumber"] as? String == "FR007328E0001" && $0["first"] as? Int == 42
                && $0["last"] as? Int == 41 + ToolkitLease.defaultSize && $0["event"] as? String == "reserved" })
        // check: the folder is the user's only
        #expect(try FileManager.default.attributesOfItem(atPath: home.path)[.posixPermissions] as? Int == 0o700)
        #expect(try FileManager.default.attributesOfItem(atPath: home.folder.journalPath)[.posixPermissions] as? Int == 0o600)

        // act: the network is gone
        await service.stop()
        #expect(try secours(["outage", "start", "--reason", "Box internet en panne", "--json"], home: home).status == 0)
        let first = try secours(["number", "--type", "DAA", "--excise", "FR007328E0001", "--transport", "AB-123-CD", "--json"], home: home)
        #expect(first.status == 0, "\(first.err)")
        let yy = String(format: "%02d", year % 100)
        let firstNumber = "\(yy)FR007328E0001000421"
        #expect(first.json["number"] as? String == firstNumber)
        #expect(first.json["mayCollide"] as? Bool == false && first.json["reserved"] as? Bool == true)
        let second = try secours(["number", "--type", "DSA", "--excise", "fr007328e0001", "--transport", "AB-123-CD"], home: home)
        #expect(second.status == 0)
        #expect(second.out.hasPrefix("\(yy)FR007328E0001000432\n"))
        #expect(second.out.contains("ni le service ni un autre poste"))
        let lrn = try secours(["lrn", "--excise", "FR007328E0001", "--transport", "AB-123-CD", "--json"], home: home)
        #expect(lrn.status == 0, "\(lrn.err)")
        let lrnNumber = try #require(lrn.json["lrn"] as? String)
        #expect(try FallbackLRN(parsing: lrnNumber).serial == 1 && lrn.json["reserved"] as? Bool == true)

        let pdf = work + "/daa.pdf"
        let form = try secours(["form", "DAE", "--number", firstNumber, "--output", pdf], home: home)
        #expect(form.status == 0, "\(form.err)")
        #expect(FileManager.default.contents(atPath: pdf)?.prefix(5) == Data("%PDF-".utf8))
        let blank = try secours(["form", "DSA", "--json"], home: home, cwd: work)
        #expect(blank.status == 0 && FileManager.default.fileExists(atPath: work + "/secours-DSA.pdf"))
        let mismatch = try secours(["form", "DSA", "--number", firstNumber, "--json"], home: home)
        #expect(mismatch.status == 1 && mismatch.errorCode == "form_type_mismatch")

        #expect(try secours(["outage", "attempt", "--channel", "téléphone", "--note", "pas de réponse"], home: home).status == 0)
        let message = try secours(["message", "--number", firstNumber, lrnNumber, "--output-dir", work], home: home)
        #expect(message.status == 0, "\(message.err)")
        #expect(message.out.contains("avant le départ des marchandises"))
        #expect(message.out.contains("Box internet en panne") && message.out.contains("téléphone"))
        let eml = try #require(try FileManager.default.contentsOfDirectory(atPath: work).first { $0.hasSuffix(".eml") })
        let emlText = try String(contentsOfFile: work + "/" + eml, encoding: .utf8)
        #expect(emlText.contains("To: \"Bureau de douane de Bordeaux\" <bureau.bordeaux@douane.invalid>"))
        #expect(emlText.contains("From: <marie.laurent@exemple.invalid>"))

        let journal = try secours(["journal", "--json"], home: home)
        let entries = try #require(journal.json["entries"] as? [[String: Any]])
        #expect(entries.map { $0["syncState"] as? String } == ["pending", "pending", "pending"])
        #expect(try secours(["journal"], home: home).out.contains("non envoyé"))

        // sync with the service gone: a clear error, nothing lost
        let offline = try secours(["sync", "--json"], home: home)
        #expect(offline.status == 1 && offline.errorCode == "server_unreachable", "\(offline.out)")
        #expect(offline.errorMessage?.contains("(connexion refusée)") == true, "\(offline.out)")
        #expect(try Journal.open(home.folder).entries().count == 3)
        #expect(try secours(["outage", "end", "--note", "Réseau revenu"], home: home).status == 0)

        // act: the network is back
        let back = try await service.start()
        let again = try secours(["sync", "--json"], home: home, env: ["SECOURS_DEVICE_NAME": "portable-chai"])
        #expect(again.status == 0, "\(again.out) \(again.err)")
        #expect(again.json["complete"] as? Bool == true)
        #expect((again.json["pushed"] as? [String: Any])?["registered"] as? Int == 3, "\(again.out)")
        let episodes = try #require(again.json["episodes"] as? [[String: Any]])
        #expect(episodes.map { $0["exciseNumber"] as? String } == ["FR007328E0001"] && episodes.first?["outcome"] as? String == "created")
        // the lease is kept and topped up by the two numbers used: nothing given back, no hole
        #expect((again.json["released"] as? [[String: Any]])?.isEmpty == true, "\(again.out)")
        let held = try #require(again.json["held"] as? [[String: Any]])
        let heldCraps = held.filter { $0["kind"] as? String == "craps" && $0["exciseNumber"] as? String == "FR007328E0001" }
        #expect(heldCraps.compactMap { $0["first"] as? Int }.min() == 42 && heldCraps.compactMap { $0["last"] as? Int }.max() == 43 + ToolkitLease.defaultSize)
        #expect(heldCraps.reduce(0) { $0 + ($1["remaining"] as? Int ?? 0) } == ToolkitLease.defaultSize, "\(held)")
        let plain = try secours(["sync"], home: home)
        #expect(plain.out.contains("FR007328E0001 (DTI,") && plain.out.contains("réserve de ce poste : séquences \(year) 42–\(43 + ToolkitLease.defaultSize) (\(ToolkitLease.defaultSize) restants)"), "\(plain.out)")
        #expect(!plain.out.contains("dernière séquence"))
        // check: everything is on the service, once
        let sql = back.db as! any SQLDatabase
        func count(_ q: SQLQueryString) async throws -> Int { try await sql.raw(q).first()!.decode(column: "n", as: Int.self) }
        #expect(try await count("SELECT COUNT(*) AS n FROM documents WHERE number IN (\(bind: firstNumber), \(bind: "\(yy)FR007328E0001000432"), \(bind: lrnNumber)) AND registration_mode = 'a-posteriori'") == 3)
        #expect(try await count("SELECT COUNT(*) AS n FROM communications WHERE number IN (\(bind: firstNumber), \(bind: lrnNumber))") == 2)
        #expect(try await count("SELECT COUNT(*) AS n FROM episodes WHERE basis = 'offline-outage' AND status = 'closed'") == 1)
        let finalJournal = try secours(["journal", "--json"], home: home)
        #expect((finalJournal.json["entries"] as? [[String: Any]])?.map { $0["syncState"] as? String } == ["registered", "registered", "registered"])
        // the service's next number follows the lease: nothing was spent by the syncs
        let token = try await tokenFor(back, "marie.laurent")
        let generated = try await generate(service.base, token: token)
        #expect((generated["number"] as? String).map { try? FallbackNumber(parsing: $0).sequence } == 44 + ToolkitLease.defaultSize, "\(generated)")
        // a second sync does nothing twice
        let third = try secours(["sync", "--json"], home: home)
        #expect(third.status == 0 && (third.json["pushed"] as? [String: Any])?["registered"] as? Int == 0)
        #expect(try await count("SELECT COUNT(*) AS n FROM episodes WHERE basis = 'offline-outage'") == 1)
    }

    /// A generation by the service now (R-GPS-1: the dispatch a few minutes ahead).
    private func generate(_ base: String, token: String, excise: String = "FR007328E0001") async throws -> [String: Any] {
        let soon = Date().addingTimeInterval(300)
        return try await postJSON(base + "/api/v1/documents", token: token, ["type": "DAE", "exciseNumber": excise, "transport": "AB-123-CD",
                                                                             "dispatchDate": ParisDay(soon).iso, "dispatchTime": ParisTime(soon).text])
    }

    /// Two laptops of one company offline on one excise number, the service generating at the
    /// same time, one laptop past its block: after both sync, no number is held twice.
    @Test(arguments: ServerDatabase.available)
    func twoDevicesOfflineAndTheServiceGeneratingGiveNoDuplicate(_ db: ServerDatabase) async throws {
        let a = ScratchHome(), b = ScratchHome()
        defer { a.remove(); b.remove() }
        try await withServer(db) { base, app in
            for (home, name, login) in [(a, "portable-chai", "marie.laurent"), (b, "portable-bureau", "paul.martin")] {
                #expect(try secours(["login", "--server", base, "--login", login], home: home, env: ["SECOURS_PASSWORD": DemoData.password]).status == 0)
                let s = try secours(["sync", "--reserve", "3", "--json"], home: home, env: ["SECOURS_DEVICE_NAME": name])
                #expect(s.status == 0, "\(s.out)")
            }
            let token = try await tokenFor(app, "marie.laurent")
            // act: the service generates while both laptops make numbers (B goes past its block of 3)
            let made = Collected<String>()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for _ in 0..<6 {
                        let g = try await self.generate(base, token: token)
                        made.append(try #require(g["number"] as? String, "\(g)"))
                    }
                }
                for (home, count) in [(a, 3), (b, 5)] {
                    group.addTask {
                        for _ in 0..<count {
                            let r = try secours(["number", "--type", "DAA", "--excise", "FR007328E0001", "--transport", "AB-123-CD", "--json"], home: home)
                            #expect(r.status == 0, "\(r.err)")
                            made.append(try #require(r.json["number"] as? String))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let sequences = made.all.compactMap { try? FallbackNumber(parsing: $0).sequence }
            // B's two numbers past its block may collide: that is what it said; the others never do
            let syncA = try secours(["sync", "--json"], home: a)
            let syncB = try secours(["sync", "--json"], home: b)
            #expect(syncA.status == 0, "\(syncA.out)")
            let sql = app.db as! any SQLDatabase
            let rows = try await sql.raw("SELECT sequence FROM documents WHERE excise_number = 'FR007328E0001' AND kind = 'craps'").all()
            let stored = try rows.map { try $0.decode(column: "sequence", as: Int.self) }
            #expect(Set(stored).count == stored.count, "a sequence is held twice")
            let conflicts = (syncB.json["conflicts"] as? [[String: Any]]) ?? []
            // every number made is on the service, except what B was told may collide and did
            #expect(stored.count + conflicts.count == 14, "\(syncB.out)")
            #expect((syncA.json["pushed"] as? [String: Any])?["registered"] as? Int == 3)
            // only B's numbers past its block could collide
            let blockB = Set((syncB.json["released"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "craps" }
                .flatMap { ($0["first"] as! Int)...($0["last"] as! Int) })
            #expect(conflicts.allSatisfy { (try? FallbackNumber(parsing: $0["number"] as! String).sequence).map { !blockB.contains($0) } ?? false })
            #expect(sequences.count == 14)
            #expect(syncB.status == (conflicts.isEmpty ? 0 : 2))
        }
    }

    /// A sync cut half way (the process killed while it pushes), run again: everything once.
    @Test(arguments: ServerDatabase.available)
    func aSyncKilledHalfWayFinishesWhenRunAgain(_ db: ServerDatabase) async throws {
        let home = ScratchHome()
        defer { home.remove() }
        try await withServer(db) { base, app in
            #expect(try secours(["login", "--server", base, "--login", "marie.laurent"], home: home, env: ["SECOURS_PASSWORD": DemoData.password]).status == 0)
            #expect(try secours(["sync", "--reserve", "500"], home: home).status == 0)
            // 1,200 numbers in the journal: three pushes
            let journal = try Journal.open(home.folder)
            let now = Date()
            let valid = try Number.validate(type: "DAA", excise: "FR007328E0001", transport: "AB-123-CD", date: nil, time: nil, now: now)
            for _ in 0..<1_200 { _ = try journal.recordManualNumber(valid, now: now) }
            // act: the service got a push the journal never heard back from (cut after the answer)
            let device = try journal.device()
            let first = Array(try journal.entriesToPush().prefix(300))
            let token = try await tokenFor(app, "marie.laurent")
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            let body = try JSONSerialization.jsonObject(with: encoder.encode(ToolkitPush(device: device, lease: try journal.leaseProof(), entries: first, outages: []))) as! [String: Any]
            let answer = try await postJSON(base + "/api/v1/toolkit/push", token: token, body)
            #expect((answer["entries"] as? [[String: Any]])?.count == 300)
            // and a real kill -9 of `secours sync` while it pushes
            let process = Process()
            process.executableURL = URL(fileURLWithPath: secoursExecutable)
            process.arguments = ["sync"]
            process.environment = ProcessInfo.processInfo.environment.merging(["SECOURS_HOME": home.path]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...1500)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // run again
            let again = try secours(["sync", "--json"], home: home)
            #expect(again.status == 0, "\(again.out) \(again.err)")
            let sql = app.db as! any SQLDatabase
            let count = try await sql.raw("SELECT COUNT(*) AS n FROM documents WHERE excise_number = 'FR007328E0001'").first()!.decode(column: "n", as: Int.self)
            #expect(count == 1_200)
            #expect(try Journal.open(home.folder).entries().allSatisfy { $0.syncState == .registered })
        }
    }

    /// `secours login` as marie.laurent, then a first `secours sync`.
    func signInAndSync(_ home: ScratchHome, _ base: String, device: String? = nil) throws {
        let login = try secours(["login", "--server", base, "--login", "marie.laurent"], home: home, env: ["SECOURS_PASSWORD": DemoData.password])
        #expect(login.status == 0, "\(login.err)")
        let sync = try secours(["sync"], home: home, env: device.map { ["SECOURS_DEVICE_NAME": $0] } ?? [:])
        #expect(sync.status == 0, "\(sync.out) \(sync.err)")
    }

    /// The README's offline examples run as written (a required option missing from one would be
    /// the first thing a new user meets).
    @Test func theReadmeOfflineExamplesWork() async throws {
        let home = ScratchHome()
        defer { home.remove() }
        let readme = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
        let examples = readme.split(separator: "\n").map(String.init)
            .filter { ($0.hasPrefix("secours number ") || $0.hasPrefix("secours lrn ")) && $0.contains("FR007328E0001") }
            .map { $0.components(separatedBy: " #").first!.split(separator: " ").dropFirst().map(String.init) }
        #expect(examples.count >= 2)
        try await withServer(.sqlite) { base, _ in
            try signInAndSync(home, base)
            for args in examples {
                let run = try secours(args, home: home)
                #expect(run.status == 0, "secours \(args.joined(separator: " ")): \(run.err)")
            }
        }
    }

    /// A state folder copied to a second laptop (a disk image): each copy makes the same number
    /// offline; the copy is caught at its first sync, the toolkit says what happened and what to
    /// do, and both copies can leave the frozen lease for leases of their own.
    @Test(arguments: ServerDatabase.available)
    func aCopiedStateFolderIsCaughtAtItsFirstSync(_ db: ServerDatabase) async throws {
        let home = ScratchHome()
        let copy = ScratchHome()
        defer { home.remove(); copy.remove() }
        try await withServer(db) { base, app in
            try signInAndSync(home, base, device: "portable-chai")
            // the disk image copied to another computer
            try FileManager.default.copyItem(atPath: home.path, toPath: copy.path)
            // offline, each makes a number for its own lorry: the same number
            let a = try secours(["number", "--type", "DAA", "--excise", "FR007328E0001", "--transport", "AA-111-AA", "--json"], home: home)
            let b = try secours(["number", "--type", "DAA", "--excise", "FR007328E0001", "--transport", "BB-222-BB", "--json"], home: copy)
            let number = try #require(a.json["number"] as? String)
            #expect(b.json["number"] as? String == number)
            let second = try secours(["number", "--type", "DAA", "--excise", "FR007328E0001", "--transport", "BB-222-BB", "--json"], home: copy)
            // act: the original syncs first, then the copy
            let original = try secours(["sync", "--json"], home: home, env: ["SECOURS_DEVICE_NAME": "portable-chai"])
            #expect(original.status == 0, "\(original.out) \(original.err)")
            // the original's sync renewed its token: the copy's is no longer good, so it signs in again
            let expired = try secours(["sync", "--json"], home: copy, env: ["SECOURS_DEVICE_NAME": "portable-copie"])
            #expect(expired.status == 1 && expired.errorCode == "session_expired", "\(expired.out)")
            #expect(try secours(["login", "--server", base, "--login", "marie.laurent"], home: copy, env: ["SECOURS_PASSWORD": DemoData.password]).status == 0)
            let caught = try secours(["sync", "--json"], home: copy, env: ["SECOURS_DEVICE_NAME": "portable-copie"])
            // check: caught, the colliding number a conflict naming both laptops, the other registered
            #expect(caught.status == 2, "\(caught.out) \(caught.err)")
            #expect((caught.json["duplicateJournal"] as? String)?.contains("Deux journaux") == true, "\(caught.out)")
            let conflicts = try #require(caught.json["conflicts"] as? [[String: Any]])
            #expect(conflicts.map { $0["number"] as? String } == [number])
            #expect((conflicts.first?["syncDetail"] as? String).map { $0.contains("portable-chai") && $0.contains("portable-copie") } == true, "\(conflicts)")
            #expect((caught.json["pushed"] as? [String: Any])?["registered"] as? Int == 1)
            #expect(try Journal.open(copy.folder).entry(number: second.json["number"] as! String)?.syncState == .registered)
            let plain = try secours(["sync"], home: copy, env: ["SECOURS_DEVICE_NAME": "portable-copie"])
            #expect(plain.out.contains("ATTENTION : Deux journaux") && plain.out.contains("secours logout"), "\(plain.out)")
            // the original is told at its next sync too: the lease is frozen for both
            let again = try secours(["sync", "--json"], home: home, env: ["SECOURS_DEVICE_NAME": "portable-chai"])
            #expect(again.status == 2 && again.json["duplicateJournal"] != nil)
            // act: each leaves the frozen lease and signs in again: a lease of its own
            let left = try secours(["logout"], home: copy)
            #expect(left.status == 0 && left.out.contains("reste gelée"), "\(left.out) \(left.err)")
            #expect(try secours(["login", "--server", base, "--login", "marie.laurent"], home: copy, env: ["SECOURS_PASSWORD": DemoData.password]).status == 0)
            let fresh = try secours(["sync", "--json"], home: copy, env: ["SECOURS_DEVICE_NAME": "portable-copie"])
            #expect(fresh.status == 2 && fresh.json["duplicateJournal"] == nil, "\(fresh.out)") // its old conflict stays in the journal
            #expect((fresh.json["reservations"] as? [[String: Any]])?.isEmpty == false)
            let sql = app.db as! any SQLDatabase
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM devices WHERE status = 'duplicated'").first()!.decode(column: "n", as: Int.self) == 1)
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM documents WHERE number = \(bind: number)").first()!.decode(column: "n", as: Int.self) == 1)
        }
    }

    /// `secours logout`: the journal pushed, the lease given back; where nothing was issued above
    /// it, the sequence steps back and the service's next number follows the laptop's last.
    @Test(arguments: ServerDatabase.available)
    func logoutGivesTheLeaseBackWithoutAHole(_ db: ServerDatabase) async throws {
        let home = ScratchHome()
        defer { home.remove() }
        try await withServer(db) { base, app in
            try signInAndSync(home, base)
            let made = try secours(["number", "--type", "DAA", "--excise", "FR007328E0001", "--transport", "AB-123-CD", "--json"], home: home)
            let sequence = try #require(made.json["sequence"] as? Int)
            // a number that has not left yet keeps the lease: its number may be on paper
            let later = try secours(["number", "--type", "DAA", "--excise", "FR007328E0001", "--transport", "AB-123-CD",
                                     "--date", ParisDay(Date().addingTimeInterval(2 * 86_400)).iso, "--time", "08:00", "--json"], home: home)
            #expect(later.status == 0, "\(later.err)")
            let refused = try secours(["logout", "--json"], home: home)
            #expect(refused.status == 1 && refused.errorCode == "journal_unsettled", "\(refused.out) \(refused.err)")
            #expect(refused.out.contains(later.json["number"] as! String), "\(refused.out)")
            // once it is out of the journal's way (settled by hand with the office), the laptop retires
            let journal = try Journal.open(home.folder)
            try journal.write { db in try db.execute(sql: "DELETE FROM entries WHERE number = ?", arguments: [later.json["number"] as! String]) }
            let out = try secours(["logout"], home: home)
            #expect(out.status == 0, "\(out.out) \(out.err)")
            #expect(out.out.contains("Réserve rendue FR007328E0001 séquences") && out.out.contains("aucun trou"), "\(out.out)")
            // the service's next number follows the laptop's: no hole
            let token = try await tokenFor(app, "marie.laurent")
            let generated = try await generate(base, token: token)
            #expect((generated["number"] as? String).map { try? FallbackNumber(parsing: $0).sequence } == sequence + 1, "\(generated)")
            // signed out: a sync asks to sign in again
            #expect(try secours(["sync", "--json"], home: home).errorCode == "not_logged_in")
        }
    }

    /// A real conflict: the number is on the service with other data. The journal keeps it, says
    /// why and what to do, and the exit status tells a script.
    @Test(arguments: ServerDatabase.available)
    func aConflictIsKeptWithTheServersReason(_ db: ServerDatabase) async throws {
        let home = ScratchHome()
        defer { home.remove() }
        try await withServer(db) { base, app in
            #expect(try secours(["login", "--server", base, "--login", "marie.laurent"], home: home, env: ["SECOURS_PASSWORD": DemoData.password]).status == 0)
            #expect(try secours(["sync"], home: home).status == 0)
            let made = try secours(["number", "--type", "DAA", "--excise", "FR007328E0001", "--transport", "AB-123-CD", "--json"], home: home)
            let number = try #require(made.json["number"] as? String, "\(made.out) \(made.err)")
            // someone registered the same number on the web with another vehicle
            let token = try await tokenFor(app, "marie.laurent")
            let sql = app.db as! any SQLDatabase
            try await sql.raw("UPDATE reservations SET released_at = \(bind: Date())").run() // as if the block had been given back
            let web = try await postJSON(base + "/api/v1/documents/registrations", token: token, [
                "number": number, "type": "DAE", "exciseNumber": "FR007328E0001", "transport": "ZZ-999-ZZ",
                "dispatchDate": made.json["dispatchDate"] as! String, "dispatchTime": made.json["dispatchTime"] as! String])
            #expect(web["number"] as? String == number, "\(web)")
            // act
            let sync = try secours(["sync"], home: home)
            // check
            #expect(sync.status == 2)
            #expect(sync.out.contains("en conflit") && sync.out.contains("autres données") && sync.out.contains("appelez votre bureau"), "\(sync.out)")
            let journal = try secours(["journal"], home: home)
            #expect(journal.out.contains("[en conflit]") && journal.out.contains("autres données"))
            #expect(try Journal.open(home.folder).entries().map(\.syncState) == [.conflict])
            // still kept, still a conflict at the next sync
            #expect(try secours(["sync"], home: home).status == 2)
        }
    }

    @Test func badInputIsAClearErrorAndChangesNothing() throws {
        let home = ScratchHome()
        defer { home.remove() }
        try Journal.open(home.folder, create: true).replaceSyncedState(sampleState(), now: Date())
        let before = try Journal.open(home.folder).entries()
        let cases: [([String], String)] = [
            (["--type", "DAX", "--excise", "FR007328E0001", "--transport", "AB"], "--type"),
            (["--type", "DAA", "--excise", "FR00732", "--transport", "AB"], "--excise"),
            (["--type", "DAA", "--excise", "FR007328E0001", "--transport", String(repeating: "A", count: 36)], "--transport"),
            (["--type", "DAA", "--excise", "FR007328E0001", "--transport", "AB", "--date", "01/01/2020", "--time", "08:00"], "--date"),
            (["--type", "DAA", "--excise", "FR007328E0001", "--transport", "AB", "--date", "31/02/2030", "--time", "08:00"], "--date"),
            (["--type", "DAA", "--excise", "FR007328E0001", "--transport", "AB", "--date", "01/01/2030"], "--time"),
            (["--type", "DAA", "--excise", "FR009990F0005", "--transport", "AB"], "FR009990F0005"),
            (["--type", "DSA", "--excise", "FR007328E0002", "--transport", "AB"], "Émettre un DSA"),
        ]
        for (args, mention) in cases {
            let r = try secours(["number"] + args, home: home)
            #expect(r.status == 1, "\(args)")
            #expect(r.err.hasPrefix("Erreur : ") && r.err.contains(mention), "\(args): \(r.err)")
            #expect(r.out.isEmpty)
        }
        let json = try secours(["number", "--type", "DAX", "--excise", "X", "--transport", "AB", "--json"], home: home)
        #expect(json.status == 1 && json.errorCode == "validation_failed")
        #expect(Set(((json.json["error"] as? [String: Any])?["fields"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []) == ["--type", "--excise"])
        #expect(try secours(["lrn", "--excise", "FR0", "--transport", "AB-123-CD"], home: home).status == 1)
        #expect(try secours(["outage", "end"], home: home).status == 1)
        #expect(try secours(["outage", "start", "--time", "23:59", "--date", "31/12/2099"], home: home).status == 1)
        #expect(try secours(["form", "DAE", "--number", "26FR007328E0001000011"], home: home).status == 1)
        #expect(try secours(["message"], home: home).status == 1)
        #expect(try Journal.open(home.folder).entries() == before)
        #expect(try Journal.open(home.folder).outages().isEmpty)
    }

    @Test func missingOrCorruptedStateIsAClearErrorAndLosesNothing() throws {
        // missing: nothing is created
        let home = ScratchHome()
        defer { home.remove() }
        for args in [["number", "--type", "DAA", "--excise", "FR007328E0001", "--transport", "AB"], ["journal"], ["sync"], ["lrn", "--excise", "FR007328E0001", "--transport", "AB-123-CD"]] {
            let r = try secours(args + ["--json"], home: home)
            #expect(r.status == 1 && r.errorCode == "not_prepared", "\(args): \(r.out)")
        }
        #expect(!FileManager.default.fileExists(atPath: home.path))
        // corrupted: left byte for byte
        try home.folder.prepare()
        let garbage = Data((0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try garbage.write(to: URL(fileURLWithPath: home.folder.journalPath))
        let r = try secours(["number", "--type", "DAA", "--excise", "FR007328E0001", "--transport", "AB"], home: home)
        #expect(r.status == 1 && r.err.contains("illisible") && r.err.contains("n'a pas été modifié"), "\(r.err)")
        #expect(FileManager.default.contents(atPath: home.folder.journalPath) == garbage)
        #expect(try secours(["journal", "--json"], home: home).errorCode == "journal_unreadable")
    }

    @Test func concurrentProcessesNeverPrintTheSameNumber() throws {
        let home = ScratchHome()
        defer { home.remove() }
        try Journal.open(home.folder, create: true).replaceSyncedState(sampleState(year: year, last: 41), now: Date())
        let numbers = Collected<String>()
        let failures = Collected<String>()
        DispatchQueue.concurrentPerform(iterations: 12) { _ in
            do {
                let r = try secours(["number", "--type", "DAA", "--excise", "FR007328E0001", "--transport", "AB-123-CD", "--json"], home: home)
                if let n = r.json["number"] as? String { numbers.append(n) } else { failures.append(r.err + r.out) }
            } catch { failures.append("\(error)") }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
        #expect(numbers.all.count == 12 && Set(numbers.all).count == 12)
        #expect(try Journal.open(home.folder).entries().map(\.sequence).sorted() == Array(42...53))
    }

    @Test(arguments: ServerDatabase.available)
    func expiredOrRevokedTokenAsksToLogInAgain(_ db: ServerDatabase) async throws {
        let home = ScratchHome()
        defer { home.remove() }
        try await withServer(db, configure: { $0.tokenLifetime = 2 }) { base, app in
            // a wrong password stores nothing
            let wrong = try secours(["login", "--server", base, "--login", "marie.laurent", "--json"], home: home, env: ["SECOURS_PASSWORD": "pas-le-bon-mot"])
            #expect(wrong.status == 1 && wrong.errorCode == "server_error", "\(wrong.out)")
            // the service's own message, read from its error body
            #expect(wrong.errorMessage == "Le service a répondu 401 : Identifiant ou mot de passe incorrect.", "\(wrong.out)")
            #expect(!FileManager.default.fileExists(atPath: home.path))
            #expect(try secours(["login", "--server", "ftp://x", "--login", "marie.laurent"], home: home, env: ["SECOURS_PASSWORD": "x"]).status == 1)

            #expect(try secours(["login", "--server", base, "--login", "marie.laurent"], home: home, env: ["SECOURS_PASSWORD": DemoData.password]).status == 0)
            // each sync renews the token: the one of the login is no longer good
            let signedIn = try #require(try Journal.open(home.folder).session())
            let synced = try secours(["sync"], home: home)
            #expect(synced.status == 0 && synced.out.contains("Jeton renouvelé"), "\(synced.out)")
            let renewed = try #require(try Journal.open(home.folder).session())
            #expect(renewed.token != signedIn.token && renewed.expiresAt >= signedIn.expiresAt)
            let old = try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM tokens WHERE digest = \(bind: TokenDigest.of(signedIn.token))").first()
            #expect(try old?.decode(column: "n", as: Int.self) == 0)
            try await Task.sleep(for: .seconds(3))
            let expired = try secours(["sync"], home: home)
            #expect(expired.status == 1 && expired.err.contains("reconnectez-vous") && expired.err.contains("secours login --server \(base) --login marie.laurent"), "\(expired.err)")

            #expect(try secours(["login", "--server", base, "--login", "marie.laurent"], home: home, env: ["SECOURS_PASSWORD": DemoData.password]).status == 0)
            try await (app.db as! any SQLDatabase).raw("DELETE FROM tokens").run()
            let revoked = try secours(["sync", "--json"], home: home)
            #expect(revoked.status == 1 && revoked.errorCode == "session_expired")
            // what the first sync brought is still there for offline work
            #expect(try Journal.open(home.folder).exciseNumbers().count == 2)
        }
    }
}
