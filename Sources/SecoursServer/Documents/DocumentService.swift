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
    /// The process's access cache, for the scope checks.
    var access: AccessCache?
    /// R-NUM-9: how far beyond the last number used a registration must be confirmed.
    var jumpThreshold = SequenceJump.defaultThreshold

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
        access = state.access
        jumpThreshold = state.settings.sequenceJumpThreshold
        metrics = req.application.metrics
    }

    var scope: Scope { Scope(db: db, principal: principal, access: access) }

    /// Generates a CRAPS number (R-GPS-1, R-NUM-2/4) once the principal's right is checked: the
    /// sequence is taken and the document stored in one transaction, so a failure leaves no gap
    /// and a number is shown only once committed.
    func generate(_ request: GenerationRequest.Valid, now: Date) async throws -> DocumentModel {
        let excise = try await requireIssueRight(request.type, on: request.exciseNumber)
        var pending = PendingGeneration(request: request, actorType: principal.role.actorType, actorLogin: principal.login, at: now)
        if requireEpisode {
            let mode = excise.mode
            var coverage = try await EpisodeService.coverage(exciseNumber: excise.number, mode: mode, on: db, now: now, alerts: alerts)
            // An officer generating for an operator who phones in authorises it by doing so.
            if coverage == nil, Access.generationAuthorisesEpisode(principal.role) {
                let request = EpisodeRequest(exciseNumber: excise.number, service: OnlineService.gamma.rawValue, basis: EpisodeBasis.officeAuthorisation.rawValue,
                                             reference: nil, reason: Messages.Documents.episodeByOfficer)
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
        guard let number = TypedNumber.normalise(text), let doc = try await DocumentStore(db: db).document(number: number),
              case let type = doc.type,
              let (_, facts) = try await scope.facts(for: doc.exciseNumber),
              Access.allows(.search(type), facts) || Access.allows(.issue(type), facts)
        else { throw SecoursError.notFound("Document") }
        return (doc, type, facts)
    }

    func history(of doc: DocumentModel) async throws -> [HistoryModel] {
        try await DocumentStore(db: db).history(of: doc.requireID())
    }
}

extension SecoursError {
    static func exciseNotAllowed(_ number: String) -> SecoursError {
        SecoursError(kind: .forbidden, code: "excise_number_not_allowed",
                     message: Messages.Documents.exciseNotAllowed(number))
    }
}
