import Fluent
import SecoursCore
import SQLKit
import Vapor

/// Stores and reads fallback documents; every call is made for one principal and checks its
/// scope first.
struct DocumentService {
    let db: Database
    let principal: Principal
    /// The process's generation queue (group commit); without it each generation commits alone.
    var generations: GenerationQueue? = nil

    /// Where generations are written (a connection pool of their own on SQLite).
    let writeDB: Database
    /// R-DIAG-2: generating needs an open episode or a current alert (`SECOURS_REQUIRE_EPISODE`).
    var requireEpisode = false
    /// The process's cache of current alerts; without it the rule reads them from the database.
    var alerts: CurrentAlerts?
    /// Where the documents stored are counted (`/metrics`).
    var metrics: ServiceMetrics?

    init(db: Database, principal: Principal, generations: GenerationQueue? = nil, writeDB: Database? = nil, requireEpisode: Bool = false) {
        self.db = db
        self.principal = principal
        self.generations = generations
        self.writeDB = writeDB ?? db
        self.requireEpisode = requireEpisode
    }

    init(_ req: Request) throws {
        let state = req.application.secours
        self.init(db: req.db, principal: try req.principal(), generations: state.generations,
                  writeDB: state.writerID.map { req.db($0) }, requireEpisode: state.settings.requireEpisode)
        alerts = state.alerts
        metrics = req.application.metrics
    }

    var scope: Scope { Scope(db: db, principal: principal) }

    /// Generates a CRAPS number (R-GPS-1, R-NUM-2/4) once the principal's right is checked: the
    /// sequence is taken and the document stored in one transaction, so a failure leaves no gap
    /// and a number is shown only once committed.
    func generate(_ request: GenerationRequest.Valid, now: Date = Date()) async throws -> DocumentModel {
        let excise = try await requireIssueRight(request.type, on: request.exciseNumber)
        var pending = PendingGeneration(request: request, actorType: principal.role.actorType, actorLogin: principal.login, at: now)
        if requireEpisode {
            let mode = TransmissionMode(rawValue: excise.mode) ?? .dti
            var coverage = try await EpisodeService.coverage(exciseNumber: excise.number, mode: mode, on: db, now: now, alerts: alerts)
            // An officer generating for an operator who phones in authorises it by doing so.
            if coverage == nil, Access.generationAuthorisesEpisode(principal.role) {
                let request = EpisodeRequest(exciseNumber: excise.number, service: OnlineService.gamma.rawValue, basis: EpisodeBasis.officeAuthorisation.rawValue,
                                             reference: nil, reason: "Numéro demandé au bureau et généré par l'agent.")
                do {
                    let episode = try await EpisodeService(db: db, principal: principal).create(try request.validate(), now: now)
                    coverage = EpisodeService.Coverage(episodeID: episode.id, alert: nil)
                } catch let e as SecoursError where e.code == "episode_active" {
                    // Another request of the office opened it meanwhile: that one covers this number.
                    coverage = try await EpisodeService.coverage(exciseNumber: excise.number, mode: mode, on: db, now: now, alerts: alerts)
                }
            }
            guard let coverage else { throw EpisodeService.notCovered(excise.number, mode) }
            pending.coveredByEpisode = coverage.episodeID
            pending.coveredByAlert = coverage.alert
        }
        let ready = pending
        let doc: DocumentModel
        if let generations { doc = try await generations.submit(ready, on: writeDB) } else { doc = try await GenerationQueue.storeOne(ready, on: writeDB) }
        metrics?.documentsCreated(type: request.type, mode: .normal, source: "generation")
        return doc
    }

    /// A document the principal may see, or 404 (the same answer whether it exists or not).
    func find(_ text: String) async throws -> DocumentModel {
        try await findWithFacts(text).doc
    }

    /// The same, with what the principal may do on the document's excise number.
    func findWithFacts(_ text: String) async throws -> (doc: DocumentModel, type: DocumentType, facts: Access.Facts) {
        let number = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard number.count <= 22, let doc = try await DocumentModel.query(on: db).filter(\.$number == number).first(),
              let type = DocumentType(rawValue: doc.type),
              let (_, facts) = try await scope.facts(for: doc.exciseNumber),
              Access.allows(.search(type), facts) || Access.allows(.issue(type), facts)
        else { throw SecoursError.notFound("Document") }
        return (doc, type, facts)
    }

    func history(of doc: DocumentModel) async throws -> [HistoryModel] {
        try await HistoryModel.query(on: db).filter(\.$document.$id == doc.requireID()).sort(\.$at).all()
    }
}

extension SecoursError {
    static func exciseNotAllowed(_ number: String) -> SecoursError {
        SecoursError(kind: .forbidden, code: "excise_number_not_allowed",
                     message: "Vous n'êtes pas habilité sur le numéro d'accise \(number).")
    }
}

/// The annual sequences (R-NUM-4).
struct SequenceStore {
    let db: Database

    /// Takes the next `count` numbers of each (excise number, year) in one statement and returns
    /// the last number taken of each, keyed `EXCISE/YEAR`. Must run inside the transaction that
    /// stores the documents: the rows stay locked until it commits, so concurrent requests and
    /// other server processes wait and never get the same value, and a rollback gives the
    /// numbers back. Rows are locked in the order given.
    func advance(_ items: [(exciseNumber: String, year: Int, count: Int)]) async throws -> [String: Int] {
        guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError, reason: "SQL database required") }
        guard !items.isEmpty else { return [:] }
        var query: SQLQueryString = "INSERT INTO sequences (excise_number, year, last_used) VALUES "
        for (i, item) in items.enumerated() {
            if i > 0 { query += ", " }
            query += "(\(bind: item.exciseNumber), \(bind: item.year), \(bind: item.count))"
        }
        query += """
             ON CONFLICT (excise_number, year) DO UPDATE SET last_used = sequences.last_used + excluded.last_used
             RETURNING excise_number, year, last_used
            """
        var result: [String: Int] = [:]
        for row in try await sql.raw(query).all() {
            let last = try row.decode(column: "last_used", as: Int.self)
            guard last <= FallbackNumber.maxSequence else { throw SecoursError.sequenceExhausted }
            result["\(try row.decode(column: "excise_number", as: String.self))/\(try row.decode(column: "year", as: Int.self))"] = last
        }
        return result
    }

    /// Raises the row to the highest sequence the documents of (excise number, year) hold.
    func catchUp(exciseNumber: String, year: Int) async throws {
        guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError, reason: "SQL database required") }
        let row = try await sql.raw("""
            SELECT COALESCE(MAX(sequence), 0) AS highest FROM documents
            WHERE kind = 'craps' AND excise_number = \(bind: exciseNumber) AND year = \(bind: year)
            """).first()
        let highest = try row?.decode(column: "highest", as: Int.self) ?? 0
        try await raise(exciseNumber: exciseNumber, year: year, to: highest)
    }

    /// The last sequence number used, 0 when none.
    func last(exciseNumber: String, year: Int) async throws -> Int {
        guard let sql = db as? SQLDatabase else { return 0 }
        let row = try await sql.raw("SELECT last_used FROM sequences WHERE excise_number = \(bind: exciseNumber) AND year = \(bind: year)").first()
        return try row?.decode(column: "last_used", as: Int.self) ?? 0
    }
}
