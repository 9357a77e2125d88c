import Testing
@testable import SecoursServer

@Suite("Settings from the environment")
struct SettingsTests {
    @Test func defaults() throws {
        let s = try Settings.fromEnvironment([:])
        #expect(s.hostname == "127.0.0.1" && s.port == 8080)
        #expect(s.database == .sqlite(path: "secours.sqlite"))
        #expect(s.bootstrapAdmin == nil)
    }

    @Test func reads() throws {
        let s = try Settings.fromEnvironment([
            "DATABASE_URL": "postgres://u:p@db.local:5433/secours", "SECOURS_PORT": "9000",
            "SECOURS_BOOTSTRAP_ADMIN": "admin:mot:de:passe", "SECOURS_SECURE_COOKIES": "true", "SECOURS_MAX_BODY_KB": "8",
        ])
        #expect(s.database == .postgres(url: "postgres://u:p@db.local:5433/secours"))
        #expect(s.port == 9000)
        #expect(s.bootstrapAdmin?.login == "admin" && s.bootstrapAdmin?.password == "mot:de:passe")
        #expect(s.secureCookies && s.maxBodySize == 8 * 1024)
        let observed = try Settings.fromEnvironment(["SECOURS_LOG_FORMAT": "JSON", "SECOURS_METRICS_TOKEN": "un-jeton-de-lecture-assez-long"])
        #expect(observed.logFormat == .json && observed.metricsToken == "un-jeton-de-lecture-assez-long")
        #expect(try Settings.fromEnvironment([:]).logFormat == .text && Settings().metricsToken == nil)
    }

    @Test func refusesNonsense() {
        #expect(throws: SettingsError.self) { try Settings.fromEnvironment(["SECOURS_PORT": "http"]) }
        #expect(throws: SettingsError.self) { try Settings.fromEnvironment(["SECOURS_BOOTSTRAP_ADMIN": "admin"]) }
        #expect(throws: SettingsError.self) { try Settings.fromEnvironment(["SECOURS_SECURE_COOKIES": "peut-être"]) }
        #expect(throws: SettingsError.self) { try Settings.fromEnvironment(["DATABASE_URL": "mysql://x"]) }
        #expect(throws: SettingsError.self) { try Settings.fromEnvironment(["SECOURS_LOG_FORMAT": "xml"]) }
        #expect(throws: SettingsError.self) { try Settings.fromEnvironment(["SECOURS_METRICS_TOKEN": "court"]) }
        #expect(throws: SettingsError.self) { try Settings.fromEnvironment(["SECOURS_METRICS_TOKEN": "un jeton avec des espaces"]) }
        #expect(throws: Never.self) { try Settings.parseDatabase("/var/lib/secours/db.sqlite") }
        for (name, value) in [("SECOURS_HASH_NICE", "20"), ("SECOURS_HASH_NICE", "-1"), ("SECOURS_LIVE_STREAM_S", "0"),
                              ("SECOURS_LIVE_INTERVAL_MS", "5"), ("SECOURS_LIVE_STREAM_S", "dix"),
                              ("SECOURS_ACCESS_CHECK_MS", "-1"), ("SECOURS_ACCESS_CHECK_MS", "10001"), ("SECOURS_ACCESS_CHECK_MS", "vite"),
                              ("SECOURS_SEQUENCE_JUMP_MAX", "0"), ("SECOURS_SEQUENCE_JUMP_MAX", "100000"), ("SECOURS_SEQUENCE_JUMP_MAX", "cinquante")] {
            #expect(throws: SettingsError.self, "\(name)=\(value)") { try Settings.fromEnvironment([name: value]) }
        }
    }

    @Test func theRushSettings() throws {
        let s = try Settings.fromEnvironment(["SECOURS_HASH_NICE": "19", "SECOURS_LIVE_STREAM_S": "120", "SECOURS_LIVE_INTERVAL_MS": "100"])
        #expect(s.hashNice == 19 && s.liveStreamSeconds == 120 && s.liveIntervalMilliseconds == 100)
        let defaults = try Settings.fromEnvironment([:])
        #expect(defaults.hashNice == 10 && defaults.liveStreamSeconds == 600 && defaults.liveIntervalMilliseconds == 250)
        #expect(defaults.accessCheckMilliseconds == 250)
        #expect(try Settings.fromEnvironment(["SECOURS_ACCESS_CHECK_MS": "0"]).accessCheckMilliseconds == 0)
        #expect(defaults.sequenceJumpThreshold == 50)
        #expect(try Settings.fromEnvironment(["SECOURS_SEQUENCE_JUMP_MAX": "5"]).sequenceJumpThreshold == 5)
    }
}
