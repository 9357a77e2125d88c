import Foundation

/// A calendar month, `YYYY-MM`.
public struct Month: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (2000...2999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    public init(_ day: ParisDay) {
        year = day.year
        month = day.month
    }

    /// Reads `YYYY-MM` or `mm/aaaa`.
    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts = t.contains("-") ? t.split(separator: "-").map(String.init) : t.split(separator: "/").reversed().map(String.init)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        self.init(year: y, month: m)
    }

    public var iso: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }
    public var description: String { iso }
    public var first: ParisDay { ParisDay(year: year, month: month, day: 1)! }
    public var next: Month { month == 12 ? Month(year: year + 1, month: 1)! : Month(year: year, month: month + 1)! }

    public var label: String {
        let names = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
        return "\(names[month - 1]) \(year)"
    }

    public static func < (a: Month, b: Month) -> Bool { (a.year, a.month) < (b.year, b.month) }
}

/// One line of the DRM report (R-OFF-2, seed 001: « le premier numéro et le dernier numéro
/// utilisés dans le cadre de la procédure de secours doivent être indiqués sur la DRM »): for an
/// excise number and a month of dispatch, the first and last fallback numbers and the counts.
public struct DRMRow: Sendable, Equatable {
    public let exciseNumber: String
    public let month: Month
    public var first: String
    public var last: String
    public var byType: [DocumentType: Int]
    public var byStatus: [Status: Int]

    public var total: Int { byType.values.reduce(0, +) }

    public init(exciseNumber: String, month: Month, first: String, last: String, byType: [DocumentType: Int] = [:], byStatus: [Status: Int] = [:]) {
        self.exciseNumber = exciseNumber
        self.month = month
        self.first = first
        self.last = last
        self.byType = byType
        self.byStatus = byStatus
    }

    /// Folds counted groups (one per excise number, type and status, with their smallest and
    /// largest numbers) into one row per excise number. Within a year, numbers of one excise
    /// number sort in sequence order, so the smallest is the first used.
    public static func fold(month: Month, groups: [(exciseNumber: String, type: DocumentType, status: Status, count: Int, first: String, last: String)]) -> [DRMRow] {
        var rows: [String: DRMRow] = [:]
        for g in groups {
            var row = rows[g.exciseNumber] ?? DRMRow(exciseNumber: g.exciseNumber, month: month, first: g.first, last: g.last)
            row.first = min(row.first, g.first)
            row.last = max(row.last, g.last)
            row.byType[g.type, default: 0] += g.count
            row.byStatus[g.status, default: 0] += g.count
            rows[g.exciseNumber] = row
        }
        return rows.values.sorted { $0.exciseNumber < $1.exciseNumber }
    }
}
