import Foundation
import Testing
import VaporTesting
@testable import SecoursServer

@Suite("Notices mailed to the office (optional SMTP)")
struct MailTests {
    @Test(arguments: TestDatabase.available)
    func noticesAreMailedOnceThroughTheRelay(_ db: TestDatabase) async throws {
        let relay = try FakeSMTP()
        defer { relay.stop() }
        try await withApp(db, configure: { s in
            s.smtp = ("127.0.0.1", relay.port)
            s.smtpFrom = "secours@douane.invalid"
            s.mailInterval = 0   // the test sends itself
        }) { app in
            let marie = try await app.token("marie.laurent")
            let asked = try await app.api(.POST, "/api/v1/episodes", token: marie,
                                          body: ["exciseNumber": "FR007328E0002", "basis": "office-authorisation", "reason": "Box en panne. Ligne .fin"])
            #expect(asked.status == .created)
            #expect(try await NoticeMailer(app: app).sendPending(now: referenceNow) == 1)
            let mail = try #require(relay.mails.first)
            #expect(mail.from == "<secours@douane.invalid>" && mail.to == "<bureau.bordeaux@douane.invalid>")
            #expect(mail.data.contains("Subject: =?UTF-8?B?") && mail.data.contains("FR007328E0002") && mail.data.contains("Content-Type: text/plain; charset=utf-8"))
            let subject = try #require(mail.data.split(separator: "\n").first { $0.hasPrefix("Subject:") })
            let encoded = subject.dropFirst("Subject: =?UTF-8?B?".count).dropLast(2)
            #expect(String(decoding: Data(base64Encoded: String(encoded))!, as: UTF8.self) == "[Secours] Demande d'autorisation – FR007328E0002")
            // Sent once.
            #expect(try await NoticeMailer(app: app).sendPending(now: referenceNow) == 0)
            #expect(relay.mails.count == 1)

            // A relay that refuses leaves the notice for later, and the request itself succeeded.
            relay.refuseRecipients = true
            let declared = try await app.api(.POST, "/api/v1/communications", token: marie, body: ["number": "26FR007328E0001000051", "type": "DAE",
                "exciseNumber": "FR007328E0001", "transport": "AB-1", "dispatchDate": "2026-11-22", "dispatchTime": "14:00"])
            #expect(declared.status == .created)
            #expect(try await NoticeMailer(app: app).sendPending(now: referenceNow) == 0)
            relay.refuseRecipients = false
            #expect(try await NoticeMailer(app: app).sendPending(now: referenceNow) == 1)
            #expect(relay.mails.count == 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func withoutARelayNothingFails(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            #expect(try await app.api(.POST, "/api/v1/episodes", token: marie,
                                      body: ["exciseNumber": "FR007328E0002", "basis": "office-authorisation", "reason": "Box en panne."]).status == .created)
            #expect(try await NoticeMailer(app: app).sendPending(now: referenceNow) == 0)
        }
    }

    @Test func settingsReadTheRelay() throws {
        let s = try Settings.fromEnvironment(["SECOURS_SMTP_URL": "smtp://mail.douane.example:2525", "SECOURS_SMTP_FROM": "gps@douane.example"])
        #expect(s.smtp?.host == "mail.douane.example" && s.smtp?.port == 2525 && s.smtpFrom == "gps@douane.example")
        #expect(try Settings.fromEnvironment([:]).smtp == nil)
        #expect(throws: SettingsError.self) { try Settings.fromEnvironment(["SECOURS_SMTP_URL": "http://mail"]) }
        #expect(throws: SettingsError.self) { try Settings.fromEnvironment(["SECOURS_SMTP_FROM": "x\r\nBcc: y@z"]) }
        #expect(try Settings.fromEnvironment(["SECOURS_REQUIRE_EPISODE": "false"]).requireEpisode == false)
        #expect(try Settings.fromEnvironment([:]).requireEpisode == true)
    }
}
