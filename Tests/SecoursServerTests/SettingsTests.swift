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
    }
}
