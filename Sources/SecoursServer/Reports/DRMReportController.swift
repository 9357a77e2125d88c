import Fluent
import Foundation
import SecoursCore
import SecoursForms
import SQLKit
import Vapor

/// The DRM report (R-OFF-2): for each excise number and month of dispatch, the first and last
/// fallback numbers and the counts by type and status, within the caller's scope. JSON, CSV and
/// PDF from `GET /api/v1/reports/drm`, and the page « Relevé DRM ».
struct DRMReportController {
    struct Query {
        let month: Month
        let exciseNumber: String?
        let format: String?
    }

    static func query(_ req: Request) throws -> Query {
        var month = Month(ParisDay(req.application.secours.now()))
        var excise: String?
        var format: String?
        for (name, value) in try req.querySource.read(req.queryPairs, known: ["month", "exciseNumber", "format"]) {
            let v = value.trimmingCharacters(in: .whitespaces)
            switch name {
            case "month":
                guard let m = Month(text: v) else { throw SecoursError.invalid(field: "month", message: Messages.Reports.invalidMonth) }
                month = m
            case "exciseNumber":
                do { excise = try ExciseNumber(parsing: v).value } catch { throw SecoursError.invalid(field: "exciseNumber", message: Messages.Documents.exciseNumberQuery(error.message)) }
            default: // format
                guard ["json", "csv", "pdf"].contains(v) else { throw SecoursError.invalid(field: "format", message: Messages.Reports.invalidFormat) }
                format = v
            }
        }
        return Query(month: month, exciseNumber: excise, format: format)
    }

    /// The rows, within the scope (documents the caller may see), by month of dispatch.
    static func rows(_ req: Request, _ q: Query) async throws -> [DRMRow] {
        try await DRMStore(db: req.db, principal: req.principal()).rows(month: q.month, exciseNumber: q.exciseNumber)
    }

    struct RowDTO: Content {
        let exciseNumber: String
        let month: String
        /// `craps` or `lrn`: each kind has its own line.
        let kind: String
        /// For the page only (left out of the JSON when nil).
        let kindLabel: String?
        let first: String
        let last: String
        let total: Int
        let byType: [String: Int]
        let byStatus: [String: Int]
        /// R-NUM-8: numbers of a laptop's reserve given back this month that stay unused (omitted when none).
        let reservedUnused: [String]?
        /// The same, as one text for the page.
        let reservedUnusedText: String?

        init(_ r: DRMRow, page: Bool = false) {
            exciseNumber = r.exciseNumber
            month = r.month.iso
            kind = r.kind.rawValue
            kindLabel = page ? r.kind.shortLabel : nil
            first = r.first
            last = r.last
            total = r.total
            byType = Dictionary(uniqueKeysWithValues: DocumentType.allCases.map { ($0.rawValue, r.byType[$0] ?? 0) })
            byStatus = Dictionary(uniqueKeysWithValues: Status.allCases.map { ($0.rawValue, r.byStatus[$0] ?? 0) })
            reservedUnused = r.reservedUnused.isEmpty ? nil : r.reservedUnused
            reservedUnusedText = page && !r.reservedUnused.isEmpty ? r.reservedUnused.joined(separator: " ; ") : nil
        }
    }

    static func csv(_ rows: [DRMRow]) -> String {
        let header: [String] = Messages.Documents.drmColumns + Status.allCases.map(\.label) + [Messages.Documents.natureColumn]
        return DocumentCSV.table(header, rows.flatMap { r -> [[String]] in
            let counts: [String] = Status.allCases.map { String(r.byStatus[$0] ?? 0) }
            let head: [String] = [r.exciseNumber, r.month.iso, r.first, r.last, String(r.total), String(r.byType[.dae] ?? 0), String(r.byType[.dsa] ?? 0)]
            // One line « numéros réservés non utilisés » per hole, under its row.
            let holes = r.reservedUnused.map { text -> [String] in
                [r.exciseNumber, r.month.iso, text, "", "", "", ""] + Status.allCases.map { _ in "" } + ["\(Messages.ToolkitLease.drmNature) (\(r.kind.label))"]
            }
            return (r.total > 0 ? [head + counts + [r.kind.label]] : []) + holes
        })
    }

    static func pdf(_ req: Request, _ q: Query, _ rows: [DRMRow]) throws -> Response {
        let now = req.application.secours.now()
        let login = try req.principal().login
        let scope = q.exciseNumber.map { Messages.Reports.scopeExciseNumber($0) } ?? Messages.Reports.scopeAll(login: login)
        let bytes = try DRMReportPDF.render(month: q.month, rows: rows, scope: scope, printedAt: ParisCalendar.display(now))
        return FormsController.response(bytes, filename: "drm-secours-\(q.month.iso)\(q.exciseNumber.map { "-" + $0 } ?? "").pdf", disposition: "inline", cache: "no-store")
    }

    static func respond(_ req: Request, _ q: Query, _ rows: [DRMRow], json: () throws -> Response) throws -> Response {
        if q.format == "csv" || (q.format == nil && req.acceptsCSV) {
            return DocumentCSV.response(csv(rows), filename: "drm-secours-\(q.month.iso).csv")
        }
        if q.format == "pdf" || (q.format == nil && req.preferredMediaType.map { $0.type == "application" && $0.subType == "pdf" } == true) {
            return try pdf(req, q, rows)
        }
        return try json()
    }

    /// `GET /api/v1/reports/drm?month=2026-11&exciseNumber=…` (JSON, `format=csv|pdf` or `Accept`).
    func api(req: Request) async throws -> Response {
        let q = try Self.query(req)
        let rows = try await Self.rows(req, q)
        return try Self.respond(req, q, rows) {
            let body = try JSONEncoder().encode(rows.map { RowDTO($0) })
            var headers = HTTPHeaders()
            headers.contentType = .json
            return Response(status: .ok, headers: headers, body: .init(data: body))
        }
    }

    struct PageContent: Encodable {
        let month: String
        let monthLabel: String
        let exciseNumbers: [Option]
        let rows: [RowDTO]
        let csv: String
        let pdf: String
        let action: String
    }

    /// The page « Relevé DRM », with its CSV and PDF links.
    func html(req: Request) async throws -> Response {
        let q = try Self.query(req)
        if q.format == "csv" || q.format == "pdf" { return try Self.respond(req, q, try await Self.rows(req, q)) { throw Abort(.notAcceptable) } }
        let rows = try await Self.rows(req, q)
        let visible = try await Scope(db: req.db, principal: req.principal()).visibleExciseNumbers().map(\.model.number).sorted()
        var params = "month=\(q.month.iso)"
        if let e = q.exciseNumber { params += "&exciseNumber=\(e)" }
        let content = PageContent(
            month: q.month.iso, monthLabel: q.month.label,
            exciseNumbers: visible.map { Option(value: $0, label: $0, selected: $0 == q.exciseNumber) }, rows: rows.map { RowDTO($0, page: true) },
            csv: SiteURL.drm.path + "?" + params + "&format=csv", pdf: SiteURL.drm.path + "?" + params + "&format=pdf", action: SiteURL.drm.path)
        return try await req.view.render("drm", Page(req, title: Messages.Reports.pageTitle, content: content)).encodeResponse(for: req)
    }
}
