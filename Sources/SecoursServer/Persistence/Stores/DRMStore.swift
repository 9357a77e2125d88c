import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// The DRM report's reads (R-OFF-2): documents grouped by excise number, kind, type and status
/// for a month of dispatch, within what the principal may see.
struct DRMStore {
    let db: Database
    let principal: Principal

    /// The rows, within the scope (documents the caller may see), by month of dispatch.
    func rows(month: Month, exciseNumber: String?) async throws -> [DRMRow] {
        guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError) }
        let scope = try await DocumentSearch(db: db, principal: principal).scopeClause()
        var condition: SQLQueryString = "(\(scope)) AND documents.dispatch_date >= \(bind: month.first.iso) AND documents.dispatch_date < \(bind: month.next.first.iso)"
        if let excise = exciseNumber { condition = condition + " AND documents.excise_number = \(bind: excise)" }
        // CRAPS groups take their first and last numbers as text (year, then sequence); LRN groups
        // their smallest and largest serials, whose numbers are read next (one per serial).
        let result = try await sql.raw("""
            SELECT documents.excise_number AS excise, documents.kind AS kind, documents.type AS type, documents.status AS status,
                   COUNT(*) AS n, MIN(documents.number) AS first, MAX(documents.number) AS last,
                   MIN(documents.sequence) AS first_sequence, MAX(documents.sequence) AS last_sequence
            FROM documents WHERE \(condition) GROUP BY documents.excise_number, documents.kind, documents.type, documents.status
            """).all()
        var groups: [DRMRow.Group] = []
        var lrnSerials: [String: Set<Int>] = [:]
        for r in result {
            guard let kind = DocumentKind(rawValue: try r.decode(column: "kind", as: String.self)),
                  let type = DocumentType(rawValue: try r.decode(column: "type", as: String.self)),
                  let status = Status(rawValue: try r.decode(column: "status", as: String.self)) else { continue }
            let excise = try r.decode(column: "excise", as: String.self)
            let firstSequence = try r.decode(column: "first_sequence", as: Int.self), lastSequence = try r.decode(column: "last_sequence", as: Int.self)
            if kind == .lrn { lrnSerials[excise, default: []].formUnion([firstSequence, lastSequence]) }
            groups.append(DRMRow.Group(exciseNumber: excise, kind: kind, type: type, status: status, count: try r.decode(column: "n", as: Int.self),
                                       first: try r.decode(column: "first", as: String.self), firstSequence: firstSequence,
                                       last: try r.decode(column: "last", as: String.self), lastSequence: lastSequence))
        }
        var lrnNumbers: [String: String] = [:]
        for (excise, serials) in lrnSerials.sorted(by: { $0.key < $1.key }) {
            for row in try await sql.raw("""
                SELECT number, sequence FROM documents WHERE kind = 'lrn' AND excise_number = \(bind: excise) AND sequence IN (\(binds: serials.sorted()))
                """).all() {
                lrnNumbers["\(excise)/\(try row.decode(column: "sequence", as: Int.self))"] = try row.decode(column: "number", as: String.self)
            }
        }
        groups = groups.map { g in
            guard g.kind == .lrn else { return g }
            return DRMRow.Group(exciseNumber: g.exciseNumber, kind: g.kind, type: g.type, status: g.status, count: g.count,
                                first: lrnNumbers["\(g.exciseNumber)/\(g.firstSequence)"] ?? g.first, firstSequence: g.firstSequence,
                                last: lrnNumbers["\(g.exciseNumber)/\(g.lastSequence)"] ?? g.last, lastSequence: g.lastSequence)
        }
        // R-NUM-8: the reserves given back this month whose unused numbers stay holes.
        let holes = try await ReservationStore(db: db).holes(try await Scope(db: db, principal: principal).records(), exciseNumber: exciseNumber,
                                                             from: month.first.start, to: month.next.first.start)
        return DRMRow.adding(holes.map { h in
            (h.exciseNumber, h.kind, Messages.ToolkitLease.drmHole(ranges: h.unused ?? "", device: h.deviceName, login: h.login,
                                                                    at: h.releasedAt ?? month.first.start, ended: h.ended ?? .retired))
        }, to: DRMRow.fold(month: month, counted: groups), month: month)
    }
}
