import Foundation
import SecoursCore
import Testing
import VaporTesting
@testable import SecoursServer

/// Every page, as each kind of account sees it, for one fixed demo state (the demo data, the
/// reference clock, one generated document), compared with the HTML recorded under
/// `Fixtures/Pages/`: a markup change shows up in review as a change of those files.
/// `SECOURS_RECORD_SNAPSHOTS=1 swift test --filter PageSnapshotTests` records them again.
///
/// The same pages then prove that links and routes agree: every link they give is answered, and
/// every form they hold posts to a registered route.
@Suite("Page snapshots and links")
struct PageSnapshotTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/Pages")
    static let recording = ProcessInfo.processInfo.environment["SECOURS_RECORD_SNAPSHOTS"] == "1"

    struct Shot {
        let name: String
        let path: String
        let page: WebSession.Page
        let session: WebSession
    }

    @Test func everyPageForTheDemoState() async throws {
        try await withApp(.sqlite) { app in
            var shots: [Shot] = []
            func shoot(_ name: String, _ session: WebSession, _ path: String, expect status: HTTPResponseStatus = .ok) async throws {
                let page = try await session.get(path)
                #expect(page.status == status, "\(name): GET \(path) answered \(page.status)")
                shots.append(Shot(name: name, path: path, page: page, session: session))
            }

            // setup: a visitor, then each kind of account
            let visitor = WebSession(app)
            try await shoot("public-connexion", visitor, SiteURL.login.path)
            try await shoot("public-meteo", visitor, SiteURL.weather.path)
            try await shoot("public-alertes-atom", visitor, SiteURL.weatherFeed.path)
            try await shoot("public-diagnostic", visitor, SiteURL.diagnosis(nil).path)
            let flows = Self.links(in: shots.last!.page.html).filter { $0.hasPrefix(SiteURL.diagnosis(nil).path + "/") }
            #expect(!flows.isEmpty, "the diagnosis page links to its flows")
            for flow in Set(flows).sorted() {
                try await shoot("public-diagnostic-" + Self.slug(flow), visitor, flow)
            }
            try await shoot("public-introuvable", visitor, "/nulle-part", expect: .notFound)

            let marie = WebSession(app)
            _ = try await marie.signIn("marie.laurent")
            _ = try await marie.get(SiteURL.generate.path)
            let done = try await marie.post(SiteURL.generate.path, ["type": "DAA", "exciseNumber": "FR007328E0001", "transport": "AB-123-CD",
                                                                    "dispatchDate": "2026-11-22", "dispatchTime": "10:30"])
            let summary = try #require(done.location, "generation answered \(done.status)")
            let number = try #require(summary.split(separator: "/").dropFirst().first.map(String.init))
            try await shoot("operateur-accueil", marie, SiteURL.home.path)
            try await shoot("operateur-generer", marie, SiteURL.generate.path)
            try await shoot("operateur-recapitulatif", marie, summary)
            try await shoot("operateur-document", marie, SiteURL.document(number).path)
            try await shoot("operateur-enregistrer", marie, SiteURL.register.path)
            try await shoot("operateur-rechercher", marie, SiteURL.search.path)
            try await shoot("operateur-rechercher-resultats", marie, SiteURL.search.path + "?exciseNumber=FR007328E0001&_go=1")
            try await shoot("operateur-suivre", marie, SiteURL.follow.path + "?exciseNumber=FR007328E0001")
            try await shoot("operateur-importer", marie, SiteURL.importPage.path)
            try await shoot("operateur-episodes", marie, SiteURL.episodes.path)
            try await shoot("operateur-communiquer", marie, SiteURL.communicate.path)
            try await shoot("operateur-assistance", marie, SiteURL.assistanceRequests.path)
            try await shoot("operateur-drm", marie, SiteURL.drm.path)
            try await shoot("operateur-meteo", marie, SiteURL.weather.path)

            let sophie = WebSession(app)
            _ = try await sophie.signIn("sophie.durand")
            try await shoot("operateur2-episodes", sophie, SiteURL.episodes.path)
            let episode = try #require(Self.links(in: shots.last!.page.html).first { $0.hasPrefix(SiteURL.episodes.path + "/") },
                                       "the demo episode is listed")
            try await shoot("operateur2-episode", sophie, episode)
            try await shoot("operateur2-document-autre-societe", sophie, SiteURL.document(number).path, expect: .notFound)

            let officer = WebSession(app)
            _ = try await officer.signIn("agent.bordeaux")
            try await shoot("agent-accueil", officer, SiteURL.home.path)
            try await shoot("agent-bureau", officer, SiteURL.officeConsole.path)
            try await shoot("agent-episode", officer, episode)

            let cid = WebSession(app)
            _ = try await cid.signIn("cid.admin")
            try await shoot("cid-meteo", cid, SiteURL.weather.path)
            try await shoot("cid-accueil", cid, SiteURL.home.path)

            // The same pages in English, as a browser that asks for it sees them.
            let englishVisitor = WebSession(app)
            englishVisitor.acceptLanguage = "en-GB,en;q=0.8"
            try await shoot("en-public-connexion", englishVisitor, SiteURL.login.path)
            try await shoot("en-public-meteo", englishVisitor, SiteURL.weather.path)
            try await shoot("en-public-diagnostic", englishVisitor, SiteURL.diagnosis(nil).path)
            try await shoot("en-public-diagnostic-gamma", englishVisitor, SiteURL.diagnosis("gamma").path)
            try await shoot("en-public-introuvable", englishVisitor, "/nulle-part", expect: .notFound)
            let englishMarie = WebSession(app)
            englishMarie.acceptLanguage = "en"
            _ = try await englishMarie.signIn("marie.laurent")
            try await shoot("en-operateur-accueil", englishMarie, SiteURL.home.path)
            try await shoot("en-operateur-generer", englishMarie, SiteURL.generate.path)
            try await shoot("en-operateur-recapitulatif", englishMarie, summary)
            try await shoot("en-operateur-document", englishMarie, SiteURL.document(number).path)
            try await shoot("en-operateur-rechercher-resultats", englishMarie, SiteURL.search.path + "?exciseNumber=FR007328E0001&_go=1")
            try await shoot("en-operateur-drm", englishMarie, SiteURL.drm.path)
            let englishOfficer = WebSession(app)
            englishOfficer.acceptLanguage = "en"
            _ = try await englishOfficer.signIn("agent.bordeaux")
            try await shoot("en-agent-bureau", englishOfficer, SiteURL.officeConsole.path)
            try await shoot("en-agent-episode", englishOfficer, episode)

            // check: each page as recorded
            for shot in shots { Self.compare(shot.name, Self.normalised(shot.page.html)) }

            // check: every link is answered, every form posts to a route
            let posts = Set(app.routes.all.filter { $0.method == .POST }.map { $0.path.map(\.description).joined(separator: "/") })
            for shot in shots {
                for link in Set(Self.links(in: shot.page.html)).sorted() where !Self.isStream(link) {
                    let answer = try await shot.session.get(link)
                    #expect(answer.status != .notFound && answer.status.code < 500,
                            "\(shot.name): the link \(link) answers \(answer.status)")
                }
                for action in Set(Self.formActions(in: shot.page.html)).sorted() {
                    #expect(Self.matches(action, posts), "\(shot.name): the form posts to \(action), which no route answers")
                }
            }
        }
    }

    // MARK: Recording and comparing

    static func compare(_ name: String, _ html: String) {
        let file = folder.appendingPathComponent(name + ".html")
        guard !recording, let recorded = try? String(contentsOf: file, encoding: .utf8) else {
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try? html.write(to: file, atomically: true, encoding: .utf8)
            if !recording { Issue.record("\(name): no snapshot yet, recorded \(file.lastPathComponent); check it in") }
            return
        }
        guard recorded != html else { return }
        let a = recorded.components(separatedBy: "\n"), b = html.components(separatedBy: "\n")
        let line = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        let actual = FileManager.default.temporaryDirectory.appendingPathComponent("snapshot-\(name).html")
        try? html.write(to: actual, atomically: true, encoding: .utf8)
        Issue.record("""
            \(name): the page differs from Fixtures/Pages/\(name).html at line \(line + 1)
              recorded: \(line < a.count ? a[line] : "(end)")
              now:      \(line < b.count ? b[line] : "(end)")
            whole page now in \(actual.path); SECOURS_RECORD_SNAPSHOTS=1 records it if the change is meant
            """)
    }

    /// What changes from run to run: record ids, CSRF tokens.
    static func normalised(_ html: String) -> String {
        var s = html.replacingOccurrences(of: #"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"#,
                                          with: "00000000-0000-0000-0000-000000000000", options: .regularExpression)
        s = s.replacingOccurrences(of: #"name="_csrf" value="[^"]*""#, with: #"name="_csrf" value="CSRF""#, options: .regularExpression)
        s = s.replacingOccurrences(of: #"name="csrf-token" content="[^"]*""#, with: #"name="csrf-token" content="CSRF""#, options: .regularExpression)
        return s
    }

    static func slug(_ path: String) -> String {
        String(path.split(separator: "/").last ?? "").replacingOccurrences(of: "?", with: "-").replacingOccurrences(of: "=", with: "-")
    }

    // MARK: Links

    static func attribute(_ name: String, in html: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: name + #"="(/[^"]*)""#)
        return pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap {
            Range($0.range(at: 1), in: html).map { String(html[$0]).replacingOccurrences(of: "&amp;", with: "&") }
        }
    }

    static func links(in html: String) -> [String] { attribute("href", in: html) + attribute("src", in: html) }

    static func formActions(in html: String) -> [String] {
        let forms = try! NSRegularExpression(pattern: #"<form[^>]*method="post"[^>]*>"#, options: [.caseInsensitive])
        return forms.matches(in: html, range: NSRange(html.startIndex..., in: html)).flatMap { m in
            attribute("action", in: String(html[Range(m.range, in: html)!]))
        }
    }

    /// Server-sent event streams stay open: they are tested in LiveFeedTests.
    static func isStream(_ link: String) -> Bool { link.hasSuffix("/direct") || link.contains("/direct?") }

    static func matches(_ path: String, _ routes: Set<String>) -> Bool {
        let segments = path.split(separator: "?").first.map { $0.split(separator: "/").map(String.init) } ?? []
        return routes.contains { route in
            let parts = route.split(separator: "/").map(String.init)
            return parts.count == segments.count && zip(parts, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
        }
    }
}
