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
    func preparedOnlineThenWorksWithTheServerGone(_ db: ServerDatabase) async throws {
        let home = ScratchHome()
        defer { home.remove() }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("secours-work-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        var server = ""
        try await withServer(db) { base, app in
            server = base
            // setup: the service has used 41 numbers of FR007328E0001 this year
            try await SequenceStore(db: app.db).raise(exciseNumber: "FR007328E0001", year: year, to: 41)
            // act: prepare the laptop
            let login = try secours(["login", "--server", base + "/", "--login", "marie.laurent"], home: home, env: ["SECOURS_PASSWORD": DemoData.password])
            #expect(login.status == 0, "\(login.err)")
            #expect(login.out.contains("Lancez maintenant « secours sync »"))
            let sync = try secours(["sync", "--json"], home: home)
            #expect(sync.status == 0, "\(sync.err)")
            let state = try #require(sync.json["state"] as? [String: Any])
            #expect((state["exciseNumbers"] as? [[String: Any]])?.map { $0["number"] as? String } == ["FR007328E0001", "FR007328E0002"])
        }
        // check: the folder is the user's only
        #expect(try FileManager.default.attributesOfItem(atPath: home.path)[.posixPermissions] as? Int == 0o700)
        #expect(try FileManager.default.attributesOfItem(atPath: home.folder.journalPath)[.posixPermissions] as? Int == 0o600)

        // act: the network is gone
        let first = try secours(["number", "--type", "DAA", "--excise", "FR007328E0001", "--transport", "AB-123-CD", "--json"], home: home)
        #expect(first.status == 0, "\(first.err)")
        let yy = String(format: "%02d", year % 100)
        #expect(first.json["number"] as? String == "\(yy)FR007328E0001000421")
        #expect(first.json["mayCollide"] as? Bool == true)
        let second = try secours(["number", "--type", "DSA", "--excise", "fr007328e0001", "--transport", "AB-123-CD"], home: home)
        #expect(second.status == 0)
        #expect(second.out.hasPrefix("\(yy)FR007328E0001000432\n"))
        #expect(second.out.contains("peut être le même"))
        let lrn = try secours(["lrn", "--excise", "FR007328E0001", "--json"], home: home)
        #expect(lrn.status == 0, "\(lrn.err)")
        let lrnNumber = try #require(lrn.json["lrn"] as? String)
        #expect(try FallbackLRN(parsing: lrnNumber).serial == 1)

        let pdf = work + "/daa.pdf"
        let form = try secours(["form", "DAE", "--number", "\(yy)FR007328E0001000421", "--output", pdf], home: home)
        #expect(form.status == 0, "\(form.err)")
        #expect(FileManager.default.contents(atPath: pdf)?.prefix(5) == Data("%PDF-".utf8))
        let blank = try secours(["form", "DSA", "--json"], home: home, cwd: work)
        #expect(blank.status == 0 && FileManager.default.fileExists(atPath: work + "/secours-DSA.pdf"))
        let mismatch = try secours(["form", "DSA", "--number", "\(yy)FR007328E0001000421", "--json"], home: home)
        #expect(mismatch.status == 1 && mismatch.errorCode == "form_type_mismatch")

        #expect(try secours(["outage", "start", "--reason", "Box internet en panne", "--json"], home: home).status == 0)
        #expect(try secours(["outage", "attempt", "--channel", "téléphone", "--note", "pas de réponse"], home: home).status == 0)
        let message = try secours(["message", "--number", "\(yy)FR007328E0001000421", lrnNumber, "--output-dir", work], home: home)
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
        #expect(try Journal.open(home.folder).entries().count == 3)
        #expect(!server.isEmpty)
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
        #expect(try secours(["lrn", "--excise", "FR0"], home: home).status == 1)
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
        for args in [["number", "--type", "DAA", "--excise", "FR007328E0001", "--transport", "AB"], ["journal"], ["sync"], ["lrn", "--excise", "FR007328E0001"]] {
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
            #expect(!FileManager.default.fileExists(atPath: home.path))
            #expect(try secours(["login", "--server", "ftp://x", "--login", "marie.laurent"], home: home, env: ["SECOURS_PASSWORD": "x"]).status == 1)

            #expect(try secours(["login", "--server", base, "--login", "marie.laurent"], home: home, env: ["SECOURS_PASSWORD": DemoData.password]).status == 0)
            #expect(try secours(["sync"], home: home).status == 0)
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
