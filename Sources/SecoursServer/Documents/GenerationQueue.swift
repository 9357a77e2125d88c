import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// A generation whose input and rights are checked, waiting for its number.
struct PendingGeneration: Sendable {
    let request: GenerationRequest.Valid
    let actorType: ActorType
    let actorLogin: String
    let at: Date
    /// The episode or alert that allows it (R-DIAG-2), when the rule applies.
    var coveredByEpisode: UUID? = nil
    var coveredByAlert: String? = nil
}

/// Group commit of generations. Requests that arrive while a transaction is being written wait
/// for the next one, and all of them are numbered and stored together: one sequence update per
/// excise number, one insert of all documents, one of all history lines, one commit. A number
/// is handed back only after its transaction committed. If a batch fails, its generations are
/// retried one by one so that only the faulty one gets the error.
actor GenerationQueue {
    private struct Job {
        let generation: PendingGeneration
        let db: Database
        let continuation: CheckedContinuation<DocumentModel, Error>
        /// The language of the request that waits: a refusal is composed in it, whichever
        /// request's task happens to write the batch.
        let language: Language
    }

    private var pending: [Job] = []
    private var writers = 0
    let maxBatch: Int
    /// Transactions written at the same time: 1 on SQLite (a single writer anyway); more on
    /// PostgreSQL, whose row locks keep concurrent batches apart.
    let maxWriters: Int

    init(maxBatch: Int = 128, maxWriters: Int = 1) {
        self.maxBatch = maxBatch
        self.maxWriters = maxWriters
    }

    func submit(_ generation: PendingGeneration, on db: Database) async throws -> DocumentModel {
        try await withCheckedThrowingContinuation { continuation in
            pending.append(Job(generation: generation, db: db, continuation: continuation, language: Language.current))
            if writers < maxWriters {
                writers += 1
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(maxBatch))
            pending.removeFirst(batch.count)
            await Self.write(batch)
        }
        writers -= 1
    }

    private static func write(_ batch: [Job]) async {
        let db = batch[0].db
        let generations = batch.map(\.generation)
        do {
            let docs = try await Language.$current.withValue(batch.count == 1 ? batch[0].language : .fr) {
                try await db.writeTransaction { tx in try await store(generations, on: tx) }
            }
            for (job, doc) in zip(batch, docs) { job.continuation.resume(returning: doc) }
        } catch {
            guard batch.count > 1 else {
                batch[0].continuation.resume(throwing: error)
                return
            }
            for job in batch {
                do {
                    let doc = try await Language.$current.withValue(job.language) { try await storeOne(job.generation, on: db) }
                    job.continuation.resume(returning: doc)
                } catch {
                    job.continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Numbers and stores one generation in a transaction of its own. Should the database refuse
    /// the number (a document already holds that sequence, written by a path that did not
    /// advance the sequence row), the row catches up with the documents and the generation takes
    /// the next free number, once.
    static func storeOne(_ generation: PendingGeneration, on db: Database) async throws -> DocumentModel {
        do {
            return try await db.writeTransaction { tx in try await store([generation], on: tx)[0] }
        } catch let e as DatabaseError where e.isConstraintFailure {
            return try await db.writeTransaction { tx in
                try await SequenceStore(db: tx).catchUp(exciseNumber: generation.request.exciseNumber.value, year: ParisDay(generation.at).year)
                return try await store([generation], on: tx)[0]
            }
        }
    }

    /// Numbers and stores `generations` inside the transaction `tx`, in order.
    static func store(_ generations: [PendingGeneration], on tx: Database) async throws -> [DocumentModel] {
        struct Key: Hashable { let excise: String; let year: Int }
        var counts: [Key: Int] = [:]
        var order: [Key] = []
        for g in generations {
            let key = Key(excise: g.request.exciseNumber.value, year: ParisDay(g.at).year)
            if counts[key] == nil { order.append(key) }
            counts[key, default: 0] += 1
        }
        // Always lock sequence rows in the same order, so that batches of several server processes
        // cannot deadlock.
        order.sort { ($0.excise, $0.year) < ($1.excise, $1.year) }
        let lasts = try await SequenceStore(db: tx).advance(order.map { (exciseNumber: $0.excise, year: $0.year, count: counts[$0]!) })
        var next: [Key: Int] = [:]
        for key in order {
            guard let last = lasts["\(key.excise)/\(key.year)"] else {
                throw Abort(.internalServerError, reason: "sequence \(key.excise)/\(key.year) was not returned")
            }
            next[key] = last - counts[key]! + 1
        }
        var docs: [DocumentModel] = []
        var history: [HistoryModel] = []
        for g in generations {
            let day = ParisDay(g.at)
            let key = Key(excise: g.request.exciseNumber.value, year: day.year)
            let sequence = next[key]!
            next[key] = sequence + 1
            let number = try FallbackNumber.generated(year: day.shortYear, exciseNumber: g.request.exciseNumber, sequence: sequence)
            let doc = DocumentModel(generated: number, for: g, day: day)
            docs.append(doc)
            let r = g.request
            history.append(HistoryModel(documentID: doc.id!, at: g.at, action: .creation,
                                        actorType: g.actorType, actorLogin: g.actorLogin,
                                        details: Messages.inFrench {
                                            Messages.Documents.generated(type: r.type.label, dispatch: r.dispatch.french, transport: r.transport,
                                                                         alert: g.coveredByAlert, episode: g.coveredByEpisode?.uuidString.lowercased())
                                        }))
        }
        try await DocumentStore(db: tx).insert(docs, history)
        return docs
    }
}

extension DocumentModel {
    /// A new active document for a generated number.
    convenience init(generated number: FallbackNumber, for g: PendingGeneration, day: ParisDay) {
        self.init()
        id = UUID()
        self.number = number.value
        kind = .craps
        type = g.request.type
        exciseNumber = number.exciseNumber.value
        year = day.year
        sequence = number.sequence
        transport = g.request.transport
        dispatchDate = g.request.dispatch.day.iso
        dispatchTime = g.request.dispatch.time.text
        registeredAt = g.at
        registrationDate = day.iso
        registrationMode = .normal
        actorType = g.actorType
        actorLogin = g.actorLogin
        status = .active
        coverStart = g.request.dispatch.date
        coveredByEpisode = g.coveredByEpisode
        coveredByAlert = g.coveredByAlert
    }
}
