import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// The fallback documents and their history lines (tables `documents` and `document_history`).
struct DocumentStore {
    let db: Database

    /// The document stored under `number` (already normalised), if any.
    func document(number: String) async throws -> DocumentModel? {
        try await DocumentModel.query(on: db).filter(\.$number == number).first()
    }

    /// The active documents of one excise number, type and dispatch moment: a second number
    /// asked for the same movement is most often the same form sent twice (back, then « Valider »).
    func active(exciseNumber: String, type: DocumentType, dispatch: DispatchMoment) async throws -> [DocumentModel] {
        try await DocumentModel.query(on: db).filter(\.$exciseNumber == exciseNumber).filter(\.$type == type)
            .filter(\.$dispatchDate == dispatch.day.iso).filter(\.$dispatchTime == dispatch.time.text)
            .filter(\.$status == .active).limit(20).all()
    }

    /// A document's history lines, oldest first.
    func history(of documentID: UUID) async throws -> [HistoryModel] {
        try await HistoryModel.query(on: db).filter(\.$document.$id == documentID).sort(\.$at).all()
    }

    /// Whether a document holds this number.
    func exists(number: String) async throws -> Bool {
        try await sql.raw("SELECT 1 AS one FROM documents WHERE number = \(bind: number)").first() != nil
    }

    /// The CRAPS document that uses this annual sequence, if any.
    func number(usingSequence sequence: Int, of exciseNumber: String, year: Int) async throws -> String? {
        try await sql.raw("""
            SELECT number FROM documents
            WHERE kind = 'craps' AND excise_number = \(bind: exciseNumber) AND year = \(bind: year) AND sequence = \(bind: sequence)
            """).first()?.decode(column: "number", as: String.self)
    }

    /// The GAMMA 2 LRN that uses this serial of the operator's, if any.
    func lrn(usingSerial serial: Int, of exciseNumber: String) async throws -> String? {
        try await sql.raw("""
            SELECT number FROM documents
            WHERE kind = 'lrn' AND excise_number = \(bind: exciseNumber) AND sequence = \(bind: serial)
            """).first()?.decode(column: "number", as: String.self)
    }

    /// What an import compares a known number with: its type, excise number, transport and dispatch.
    struct Dispatch: Sendable {
        let type: String, exciseNumber: String, transport: String, date: String, time: String

        init(type: String, exciseNumber: String, transport: String, date: String, time: String) {
            self.type = type; self.exciseNumber = exciseNumber; self.transport = transport; self.date = date; self.time = time
        }

        init(_ d: DocumentModel) {
            self.init(type: d.type.rawValue, exciseNumber: d.exciseNumber, transport: d.transport, date: d.dispatchDate, time: d.dispatchTime)
        }

        init(_ v: RegistrationRequest.Valid) {
            self.init(type: v.type.rawValue, exciseNumber: v.exciseNumber.value, transport: v.transport,
                      date: v.dispatch.day.iso, time: v.dispatch.time.text)
        }

        func matches(_ v: RegistrationRequest.Valid) -> Bool {
            let other = Dispatch(v)
            return type == other.type && exciseNumber == other.exciseNumber && transport == other.transport
                && date == other.date && time == other.time
        }
    }

    /// The dispatch facts of those of `numbers` that documents hold, by number (1,000 per query).
    func dispatches(of numbers: [String]) async throws -> [String: Dispatch] {
        var found: [String: Dispatch] = [:]
        for chunk in numbers.chunked(1000) {
            for row in try await sql.raw("""
                SELECT number, type, excise_number, transport, dispatch_date, dispatch_time FROM documents WHERE number IN (\(binds: Array(chunk)))
                """).all() {
                found[try row.decode(column: "number", as: String.self)] = Dispatch(
                    type: try row.decode(column: "type", as: String.self), exciseNumber: try row.decode(column: "excise_number", as: String.self),
                    transport: try row.decode(column: "transport", as: String.self), date: try row.decode(column: "dispatch_date", as: String.self),
                    time: try row.decode(column: "dispatch_time", as: String.self))
            }
        }
        return found
    }

    /// The annual sequences the CRAPS documents of (excise number, year) use, with their numbers.
    func sequencesInUse(of exciseNumber: String, year: Int) async throws -> [Int: String] {
        var used: [Int: String] = [:]
        for row in try await sql.raw("""
            SELECT sequence, number FROM documents WHERE kind = 'craps' AND excise_number = \(bind: exciseNumber) AND year = \(bind: year)
            """).all() {
            used[try row.decode(column: "sequence", as: Int.self)] = try row.decode(column: "number", as: String.self)
        }
        return used
    }

    /// Up to `limit` active documents whose cover started before `cutoff` (R-DOC-5).
    func overdue(coverStartBefore cutoff: Date, limit: Int) async throws -> [UUID] {
        try await sql.raw("""
            SELECT id FROM documents
            WHERE status = \(bind: Status.active.rawValue) AND cover_start < \(bind: cutoff)
            LIMIT \(unsafeRaw: String(limit))
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
    }

    /// Compare-and-set on a document's status: the row changes only if it still has `from`, so
    /// two concurrent moves (or two server processes inactivating) cannot both apply. `extra`
    /// columns are set with it (nil writes NULL). True when this call changed the row.
    func changeStatus(_ id: UUID, from: Status, to: Status, setting extra: [(String, (any Encodable & Sendable)?)] = []) async throws -> Bool {
        var update = try sql.update(DocumentModel.schema).set("status", to: to.rawValue)
        for (column, value) in extra {
            update = value.map { update.set(column, to: $0) } ?? update.set(SQLColumn(column), to: SQLLiteral.null)
        }
        return try await update.where("id", .equal, id).where("status", .equal, from.rawValue).changedOne()
    }

    /// Appends a history line.
    func add(_ line: HistoryModel) async throws {
        try await line.create(on: db)
    }

    private var sql: SQLDatabase { get throws { try db.sqlDatabase } }

    /// The office console's lists, over the excise numbers the office follows.
    func console(of exciseNumbers: [String], limit: Int) -> ConsoleLists { ConsoleLists(db: db, exciseNumbers: exciseNumbers, limit: limit) }

    struct ConsoleLists {
        let db: Database
        let exciseNumbers: [String]
        let limit: Int

        private func list(_ q: QueryBuilder<DocumentModel>) async throws -> [DocumentModel] {
            exciseNumbers.isEmpty ? [] : try await q.filter(\.$exciseNumber ~~ exciseNumbers).limit(limit).all()
        }

        /// Numbers generated (not registered by hand) since `moment`, newest first.
        func generated(since moment: Date) async throws -> [DocumentModel] {
            try await list(DocumentModel.query(on: db).filter(\.$registrationMode == .normal)
                .filter(\.$registeredAt >= moment).sort(\.$registeredAt, .descending))
        }

        /// GAMMA 2 LRNs registered since `moment`, newest first.
        func lrns(since moment: Date) async throws -> [DocumentModel] {
            try await list(DocumentModel.query(on: db).filter(\.$kind == .lrn)
                .filter(\.$registeredAt >= moment).sort(\.$registeredAt, .descending))
        }

        /// Active documents whose cover started before `cutoff`, oldest cover first.
        func active(coverStartBefore cutoff: Date) async throws -> [DocumentModel] {
            try await list(DocumentModel.query(on: db).filter(\.$status == .active)
                .filter(\.$coverStart <= cutoff).sort(\.$coverStart))
        }

        /// Inactive documents, newest first.
        func inactive() async throws -> [DocumentModel] {
            try await list(DocumentModel.query(on: db).filter(\.$status == .inactive).sort(\.$registeredAt, .descending))
        }
    }
}

extension DocumentStore {
    /// The columns a new document is inserted with, in `values(of:)`'s order.
    static let insertedColumns = [
        "id", "number", "kind", "type", "excise_number", "year", "sequence", "transport", "dispatch_date",
        "dispatch_time", "registered_at", "registration_date", "registration_mode", "actor_type", "actor_login", "status",
        "cover_start", "covered_by_episode", "covered_by_alert"]

    static func values(of d: DocumentModel) -> [any SQLExpression] {
        [SQLBind(d.id!), SQLBind(d.number), SQLBind(d.kind.rawValue), SQLBind(d.type.rawValue), SQLBind(d.exciseNumber),
         SQLBind(d.year), SQLBind(d.sequence), SQLBind(d.transport), SQLBind(d.dispatchDate),
         SQLBind(d.dispatchTime), SQLBind(d.registeredAt), SQLBind(d.registrationDate),
         SQLBind(d.registrationMode.rawValue), SQLBind(d.actorType.rawValue), SQLBind(d.actorLogin), SQLBind(d.status.rawValue),
         SQLBind(d.coverStart), SQLBind(d.coveredByEpisode), SQLBind(d.coveredByAlert)]
    }

    /// Multi-row inserts of documents and history lines in plain SQL: the generation hot path, where
    /// Fluent's per-model reflection would cost more than the database work.
    func insert(_ docs: [DocumentModel], _ history: [HistoryModel]) async throws {
        let sql = try sql
        var insertDocs = sql.insert(into: DocumentModel.schema).columns(Self.insertedColumns)
        for d in docs { insertDocs = insertDocs.values(Self.values(of: d)) }
        try await insertDocs.run()
        guard !history.isEmpty else { return }
        var insertHistory = sql.insert(into: HistoryModel.schema).columns("id", "document_id", "at", "action", "actor_type", "actor_login", "details")
        for h in history {
            insertHistory = insertHistory.values(SQLBind(UUID()), SQLBind(h.$document.id), SQLBind(h.at), SQLBind(h.action.rawValue),
                                                 SQLBind(h.actorType.rawValue), SQLBind(h.actorLogin), SQLBind(h.details))
        }
        try await insertHistory.run()
    }
}

extension DocumentDTO {
    init(row: SQLRow) throws {
        self.init(
            number: try row.decode(column: "number", as: String.self),
            kind: try row.decode(column: "kind", as: String.self),
            type: try row.decode(column: "type", as: String.self),
            exciseNumber: try row.decode(column: "excise_number", as: String.self),
            transport: try row.decode(column: "transport", as: String.self),
            dispatchDate: try row.decode(column: "dispatch_date", as: String.self),
            dispatchTime: try row.decode(column: "dispatch_time", as: String.self),
            registeredAt: try row.decode(column: "registered_at", as: Date.self),
            registrationDate: try row.decode(column: "registration_date", as: String.self),
            registrationMode: try row.decode(column: "registration_mode", as: String.self),
            actorType: try row.decode(column: "actor_type", as: String.self),
            actorLogin: try row.decode(column: "actor_login", as: String.self),
            status: try row.decode(column: "status", as: String.self),
            cancellationReason: try row.decode(column: "cancellation_reason", as: String?.self),
            cancellationComment: try row.decode(column: "cancellation_comment", as: String?.self),
            reactivationReason: try row.decode(column: "reactivation_reason", as: String?.self),
            reactivationComment: try row.decode(column: "reactivation_comment", as: String?.self),
            arc: try row.decode(column: "arc", as: String?.self))
    }
}

