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

    /// « novembre 2026 », or “November 2026” in English.
    public var label: String {
        let names = Language.current == .en
            ? ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
            : ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
        return "\(names[month - 1]) \(year)"
    }

    public static func < (a: Month, b: Month) -> Bool { (a.year, a.month) < (b.year, b.month) }
}

/// One line of the DRM report (R-OFF-2, seed 001: « le premier numéro et le dernier numéro
/// utilisés dans le cadre de la procédure de secours doivent être indiqués sur la DRM »): for an
/// excise number, a month of dispatch and a kind of number, the first and last fallback numbers
/// and the counts. CRAPS numbers (GAMMA) and LRNs (GAMMA 2) follow sequences of their own, so each
/// kind has its own line: an LRN is never the first or last CRAPS number.
public struct DRMRow: Sendable, Equatable {
    public let exciseNumber: String
    public let month: Month
    public let kind: DocumentKind
    public var first: String
    public var last: String
    public var byType: [DocumentType: Int]
    public var byStatus: [Status: Int]
    /// R-NUM-8: the numbers of a laptop's reserve given back this month that stay unused (a hole
    /// in the sequence), each with why: « numéros réservés non utilisés ».
    public var reservedUnused: [String] = []

    public var total: Int { byType.values.reduce(0, +) }

    /// Adds the holes a released reserve left to the row of its excise number and kind, or to a
    /// row of their own when no number of that kind was used this month.
    public static func adding(_ holes: [(exciseNumber: String, kind: DocumentKind, text: String)], to rows: [DRMRow], month: Month) -> [DRMRow] {
        var rows = rows
        for h in holes {
            if let i = rows.firstIndex(where: { $0.exciseNumber == h.exciseNumber && $0.kind == h.kind }) {
                rows[i].reservedUnused.append(h.text)
            } else {
                var row = DRMRow(exciseNumber: h.exciseNumber, month: month, kind: h.kind, first: "—", last: "—")
                row.reservedUnused = [h.text]
                rows.append(row)
            }
        }
        return rows.sorted { ($0.exciseNumber, $0.kind == .lrn ? 1 : 0) < ($1.exciseNumber, $1.kind == .lrn ? 1 : 0) }
    }

    public init(exciseNumber: String, month: Month, kind: DocumentKind = .craps, first: String, last: String,
                byType: [DocumentType: Int] = [:], byStatus: [Status: Int] = [:]) {
        self.exciseNumber = exciseNumber
        self.month = month
        self.kind = kind
        self.first = first
        self.last = last
        self.byType = byType
        self.byStatus = byStatus
    }

    /// Counted documents of one excise number, kind, type and status, with their first and last
    /// numbers and those numbers' sequences (the annual sequence, or the LRN serial).
    public struct Group: Sendable {
        public let exciseNumber: String
        public let kind: DocumentKind
        public let type: DocumentType
        public let status: Status
        public let count: Int
        public let first: String
        public let firstSequence: Int
        public let last: String
        public let lastSequence: Int

        public init(exciseNumber: String, kind: DocumentKind, type: DocumentType, status: Status, count: Int,
                    first: String, firstSequence: Int, last: String, lastSequence: Int) {
            self.exciseNumber = exciseNumber
            self.kind = kind
            self.type = type
            self.status = status
            self.count = count
            self.first = first
            self.firstSequence = firstSequence
            self.last = last
            self.lastSequence = lastSequence
        }
    }

    /// Folds counted CRAPS groups (one per excise number, type and status, with their smallest
    /// and largest numbers) into one row per excise number. Within a year, numbers of one excise
    /// number sort in sequence order, so the smallest is the first used.
    public static func fold(month: Month, groups: [(exciseNumber: String, type: DocumentType, status: Status, count: Int, first: String, last: String)]) -> [DRMRow] {
        fold(month: month, counted: groups.map {
            Group(exciseNumber: $0.exciseNumber, kind: .craps, type: $0.type, status: $0.status, count: $0.count,
                  first: $0.first, firstSequence: 0, last: $0.last, lastSequence: 0)
        })
    }

    /// Folds counted groups into one row per excise number and kind, CRAPS before LRN. CRAPS
    /// numbers compare as text (year, then sequence); LRNs by serial, since the serial is
    /// continuous per operator whatever the date, and a longer serial would sort first as text.
    public static func fold(month: Month, counted groups: [Group]) -> [DRMRow] {
        struct Key: Hashable { let excise: String; let kind: DocumentKind }
        var rows: [Key: DRMRow] = [:]
        var ranks: [Key: (first: Int, last: Int)] = [:]
        for g in groups {
            let key = Key(excise: g.exciseNumber, kind: g.kind)
            var row = rows[key] ?? DRMRow(exciseNumber: g.exciseNumber, month: month, kind: g.kind, first: g.first, last: g.last)
            var rank = ranks[key] ?? (g.firstSequence, g.lastSequence)
            switch g.kind {
            case .craps:
                row.first = min(row.first, g.first)
                row.last = max(row.last, g.last)
            case .lrn:
                if g.firstSequence < rank.first { (row.first, rank.first) = (g.first, g.firstSequence) }
                if g.lastSequence > rank.last { (row.last, rank.last) = (g.last, g.lastSequence) }
            }
            row.byType[g.type, default: 0] += g.count
            row.byStatus[g.status, default: 0] += g.count
            rows[key] = row
            ranks[key] = rank
        }
        return rows.values.sorted { ($0.exciseNumber, $0.kind == .craps ? 0 : 1) < ($1.exciseNumber, $1.kind == .craps ? 0 : 1) }
    }
}
