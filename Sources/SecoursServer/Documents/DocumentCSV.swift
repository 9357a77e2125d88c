import Foundation
import SecoursCore
import Vapor

/// CSV export of search results: `;`-separated with a UTF-8 byte order mark, as spreadsheets set
/// up for French expect; every field quoted. Headers and statuses, modes, actors, reasons and
/// kinds are in the request's language (`Messages.Documents.csvColumns`, the vocabularies'
/// labels): the file is read by people; programs read the JSON.
enum DocumentCSV {
    static func render(_ docs: [DocumentDTO]) -> String {
        let iso = ISO8601DateFormatter()
        func label<V: RawRepresentable>(_ type: V.Type, _ raw: String?, _ text: (V) -> String) -> String where V.RawValue == String {
            guard let raw else { return "" }
            return V(rawValue: raw).map(text) ?? raw
        }
        return table(Messages.Documents.csvColumns, docs.map { d in
            [d.number, d.type, d.exciseNumber, d.transport, d.dispatchDate, d.dispatchTime, iso.string(from: d.registeredAt),
             label(RegistrationMode.self, d.registrationMode, \.label), label(ActorType.self, d.actorType, \.label), d.actorLogin,
             label(Status.self, d.status, \.label), label(CancellationReason.self, d.cancellationReason, \.label),
             label(ReactivationReason.self, d.reactivationReason, \.label), d.arc ?? "", label(DocumentKind.self, d.kind, \.label)]
        })
    }

    /// A header line and rows, every field quoted.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var out = "\u{FEFF}" + header.joined(separator: ";") + "\r\n"
        for fields in rows { out += fields.map(quote).joined(separator: ";") + "\r\n" }
        return out
    }

    /// The file as a download.
    static func response(_ csv: String, filename: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        return Response(status: .ok, headers: headers, body: .init(string: csv))
    }

    /// Quotes a field, doubling quotes, and defuses spreadsheet formulas (a leading = + - @).
    static func quote(_ s: String) -> String {
        var v = s
        if let first = v.first, "=+-@".contains(first) { v = "'" + v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension Request {
    /// The query string as ordered name/value pairs (repeated names kept), percent-decoded.
    var queryPairs: [(name: String, value: String)] {
        guard let query = url.query, !query.isEmpty else { return [] }
        return query.split(separator: "&").map { part in
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            return (decode(kv[0]), kv.count > 1 ? decode(kv[1]) : "")
        }
    }

    /// The type the `Accept` header prefers: the highest quality, the first of equals (a client
    /// generated from the OpenAPI document lists every documented type, JSON first).
    var preferredMediaType: HTTPMediaType? {
        headers.accept.enumerated().max { a, b in
            (a.element.q ?? 1, -a.offset) < (b.element.q ?? 1, -b.offset)
        }?.element.mediaType
    }

    /// Whether the `Accept` header prefers CSV (a `format` parameter, read with the rest of the
    /// query, takes precedence).
    var acceptsCSV: Bool { preferredMediaType.map { $0.type == "text" && $0.subType == "csv" } ?? false }

    /// API parameters are read strictly, a page's form leniently (`QuerySource`).
    var querySource: QuerySource { APIURL.owns(url.path) ? .api : .form }
}
