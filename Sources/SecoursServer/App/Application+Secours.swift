import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Leaf
import LeafKit
import NIOCore
import SecoursCore
import Vapor

/// What the running service keeps for its lifetime.
public final class SecoursState: Sendable {
    public let settings: Settings
    /// A bcrypt hash checked when a login is unknown, so that timing does not tell.
    let dummyHash: String
    /// The clock; tests replace it to check the Europe/Paris rules.
    let clock: @Sendable () -> Date
    /// Group commit of number generations (one queue per running application).
    let generations: GenerationQueue
    /// The current alerts, for the generation rule.
    let alerts = CurrentAlerts()
    /// The public pages, rendered once per change of the alerts.
    let publicPages = PublicPageCache()
    /// Password checks of sign-ins, on threads of their own with a bounded queue.
    let hashing: HashingPool
    /// What consoles and episode pages watch live.
    let live: LiveFeed
    /// Who tokens and sessions sign in, and the rights on excise numbers, checked against the
    /// database's access counter.
    let access: AccessCache
    /// The key that seals the filled forms, and the trust list of the service's keys.
    let seal: ServiceSeal
    /// The database the generation queue writes to.
    var writerID: DatabaseID? {
        if case .sqlite = settings.database { return .sqliteWriter }
        return nil
    }

    init(settings: Settings, dummyHash: String, seal: ServiceSeal, clock: @escaping @Sendable () -> Date) {
        self.settings = settings
        self.seal = seal
        self.dummyHash = dummyHash
        self.clock = clock
        // One writer: measured on PostgreSQL too, concurrent batches were slower than larger ones.
        generations = GenerationQueue(maxWriters: 1)
        hashing = HashingPool(threads: settings.hashThreads, queue: settings.hashQueue, cost: settings.bcryptCost, nice: settings.hashNice)
        access = AccessCache(interval: .milliseconds(settings.accessCheckMilliseconds))
        live = LiveFeed(interval: .milliseconds(settings.liveIntervalMilliseconds), lifetime: .seconds(settings.liveStreamSeconds))
    }

    func now() -> Date { clock() }

    /// After this process published an alert, gave a bulletin or ended one: the generation rule
    /// and the public pages read the alerts again at once (other processes within their delay).
    func alertsChanged() async {
        await alerts.forget()
        publicPages.invalidate()
    }
}

extension DatabaseID {
    static let sqliteWriter = DatabaseID(string: "sqlite-writer")
}

extension Application {
    private struct SecoursKey: StorageKey { typealias Value = SecoursState }

    public var secours: SecoursState {
        get { storage[SecoursKey.self]! }
        set { storage[SecoursKey.self] = newValue }
    }
}

/// Builds the whole service from its settings; `secours serve` and the tests use this same
/// function. Migrates the database (when `autoMigrate`) and creates the bootstrap and demo data.
public func makeApplication(_ settings: Settings, environment: Environment = .production,
                            clock: @escaping @Sendable () -> Date = { Date() }) async throws -> Application {
    let app = try await Application.make(environment)
    do {
        try await configure(app, settings, clock: clock)
        return app
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
}

/// Builds the service and serves until interrupted (`secours serve`).
public func runServer(_ settings: Settings) async throws {
    // Libraries that make their own loggers write in the same format (once per process).
    let level = Logger.Level(rawValue: settings.logLevel) ?? .info
    LoggingSystem.bootstrap { label in SecoursLogHandler(label: label, format: settings.logFormat, level: level, output: settings.logOutput) }
    // The command line is already parsed: Vapor gets only its own plain `serve`.
    var environment = Environment.production
    environment.arguments = ["secours", "serve"]
    let app = try await makeApplication(settings, environment: environment)
    // `execute` starts the server and returns at its end: the cap is attached as soon as it listens.
    // (The server object is made here, before the task looks at it: the storage is not locked.)
    _ = app.http.server.shared
    let attaching = Task {
        while !Task.isCancelled {
            if app.http.server.shared.localAddress != nil {
                do { try await app.connectionCap?.attach(app) } catch {
                    app.logger.error("No cap on concurrent connections: \(error)")
                }
                return
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
    do {
        try await app.execute()
    } catch {
        attaching.cancel()
        try? await app.asyncShutdown()
        throw error
    }
    attaching.cancel()
    try await app.asyncShutdown()
}

func configure(_ app: Application, _ settings: Settings, clock: @escaping @Sendable () -> Date) async throws {
    let level = Logger.Level(rawValue: settings.logLevel) ?? .info
    // Every line of the application and of its requests (which copy this logger and add their
    // request id) in the chosen format.
    app.logger = Logger(label: "secours") { label in
        SecoursLogHandler(label: label, format: settings.logFormat, level: level, output: settings.logOutput)
    }
    app.logger.logLevel = level
    app.http.server.configuration.hostname = settings.hostname
    app.http.server.configuration.port = settings.port
    // A client that opens a connection and then sends nothing more (no request, half a request
    // line, headers announcing a body that never comes) is cut off after the idle timeout, so
    // slow clients cannot hold the server's file descriptors.
    app.http.server.configuration.idleTimeout = .milliseconds(Int64(settings.idleTimeout * 1000))
    // And a cap on concurrent connections, attached once the server listens (`ConnectionCap`).
    let cap = ConnectionCap(total: settings.maxConnections ?? ConnectionCap.defaultTotal(), perAddress: settings.maxConnectionsPerAddress,
                            metrics: app.metrics, logger: app.logger)
    app.connectionCap = cap
    app.on(.GET, PathComponent(stringLiteral: ConnectionCap.path), use: cap.answer)
    app.routes.defaultMaxBodySize = ByteCount(value: settings.maxBodySize)
    let cost = settings.bcryptCost
    app.passwords.use { _ in DigestBcryptHasher(cost: cost) }

    switch settings.database {
    case let .sqlite(path):
        // SQLite runs every statement of a connection on the blocking thread pool, and a
        // connection that finds the file locked spins there until the lock is released. With as
        // many threads as cores (NIO's default), the connections waiting for the lock can hold
        // every thread while the one holding it waits for a thread to commit: the server stops
        // (seen with generations and new page sessions together). One thread per connection of
        // both pools, and room for password hashing and file reads besides, rules that out.
        app.threadPool = NIOThreadPool(numberOfThreads: Settings.sqliteThreads(eventLoops: System.coreCount))
        // A request waits for a connection as long as on PostgreSQL (30 s) before the overload 503.
        app.databases.use(.sqlite(.file(path), connectionPoolTimeout: .seconds(30)), as: .sqlite)
        // Generations are written through connections of their own, so that a group commit in
        // progress never holds up the reads of other requests.
        app.databases.use(.sqlite(.file(path), connectionPoolTimeout: .seconds(30)), as: .sqliteWriter, isDefault: false)
    case let .postgres(url):
        var config = try SQLPostgresConfiguration(url: url)
        config.searchPath = nil
        app.databases.use(.postgres(configuration: config, maxConnectionsPerEventLoop: settings.postgresPoolSize,
                                    connectionPoolTimeout: .seconds(30)), as: .psql)
    }
    if case .sqlite = settings.database { try await app.db.useWriteAheadLog() }

    Migrations.register(on: app)
    let dummy = String(decoding: try DigestBcryptHasher(cost: settings.bcryptCost).hash(Array("not a password".utf8)), as: UTF8.self)
    let seal = try ServiceSeal.load(settings, now: clock(), logger: app.logger)
    app.secours = SecoursState(settings: settings, dummyHash: dummy, seal: seal, clock: clock)
    // One process at a time: migrations, then the first CID account and the demo data.
    try await StartupLock.run(app, settings) {
        if settings.autoMigrate {
            // One line for the migrations, not one per migration and step.
            let level = app.logger.logLevel
            app.logger.logLevel = max(level, .warning)
            do { try await app.autoMigrate() } catch {
                app.logger.logLevel = level
                throw error
            }
            app.logger.logLevel = level
        }
        app.logger.info("Secours \(SecoursVersion.current): database ready", metadata: [
            "database": .string(settings.database.summary),
            "migrations": .string(settings.autoMigrate ? "\(Migrations.all.count) applied" : "not run"),
        ])
        try await Bootstrap(app: app).run(settings: settings)
    }

    // Sessions live in the database so that several server processes share them.
    app.sessions.use(.fluent)
    app.sessions.configuration.cookieName = "secours_session"
    app.sessions.configuration.cookieFactory = { id in
        // The browser compares `Expires` with its own clock: the wall clock, not the service's.
        HTTPCookies.Value(string: id.string, expires: Date().addingTimeInterval(12 * 3600), maxAge: nil, domain: nil,
                          path: "/", isSecure: settings.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }

    app.views.use(.leaf)
    let views = settings.viewsDirectory ?? Bundle.module.bundleURL.appendingPathComponent("Resources/Views").path + "/"
    // Not `.default`: its `.toVisibleFiles` refuses any path with a hidden folder, and a
    // development build keeps the templates under `.build/`.
    app.leaf.sources = .singleSource(NIOLeafFiles(fileio: app.fileio, limits: [.toSandbox, .requireExtensions],
                                                  sandboxDirectory: views, viewDirectory: views))
    app.leaf.configuration.rootDirectory = views
    app.leaf.tags["t"] = TextTag(catalogue: try TextCatalogue.load(from: TextCatalogue.directory))

    app.middleware = Middlewares()
    app.middleware.use(LanguageMiddleware())
    app.middleware.use(RequestLogMiddleware(metrics: app.metrics))
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(SecoursErrorMiddleware())
    _ = InputGate.installed
    app.middleware.use(InputGateMiddleware())
    let publicDir = Bundle.module.bundleURL.appendingPathComponent("Resources/Public").path + "/"
    app.middleware.use(PublicFilesMiddleware(publicDirectory: publicDir))

    try routes(app)
    app.lifecycle.use(HashingPoolShutdown())
    app.lifecycle.use(LiveFeedShutdown())
    app.lifecycle.use(InactivationSchedule())
    app.lifecycle.use(NoticeMailerSchedule())
}

/// Every migration, in order. Append only: a released migration is never edited.
enum Migrations {
    /// Every migration, in order; append only.
    static var all: [any Migration] {
        [M001_CreateOffices(), M002_CreateCompanies(), M003_CreateExciseNumbers(), M004_CreateUsers(), M005_CreateRights(),
         M006_CreateTokens(), M007_CreateSequences(), M008_CreateDocuments(), M009_AddCoverStart(), M010_SearchIndexes(),
         M011_TransportPatternIndexes(), M012_CreateAlerts(), M013_CreateEpisodes(), M014_CreateAssistanceAndOffice(),
         M015_IntegrityConstraints(), M016_CreateLoginAttempts(), M018_CreateToolkitSync(),
         // Web sessions (Fluent's own table).
         SessionRecord.migration,
         // One GAMMA 2 fallback LRN per serial and excise number (R-NUM-6).
         M017_LRNSerialUnique(),
         // The password sign-in behind a token, kept through renewals.
         M019_TokenSignedInAt(),
         // What the live console reads by time.
         M020_LiveFeedIndexes(),
         // Vocabulary columns hold only known values.
         M021_KnownValues(),
         // The counter that tells every process its access cache is out of date.
         M022_AccessVersion(),
         // R-NUM-8: the reserve is a lease renewed in place; devices can be retired, revoked, caught duplicated.
         M023_ToolkitLease()]
    }

    static func register(on app: Application) {
        for m in all { app.migrations.add(m) }
    }
}
