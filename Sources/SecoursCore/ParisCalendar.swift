import Foundation

/// A calendar day in Europe/Paris, the legal time of the procedure.
public struct ParisDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Builds a day only if it exists in the calendar (no 31 February).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= ParisDay.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day `date` falls on in Paris.
    public init(_ date: Date) {
        let c = ParisCalendar.calendar.dateComponents([.year, .month, .day], from: date)
        year = c.year!
        month = c.month!
        day = c.day!
    }

    /// `YYYY-MM-DD`, the form used in the API and stored in the database (sorts as text).
    public var iso: String { "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))" }
    /// `jj/mm/aaaa`, the French form.
    public var french: String { "\(pad(day, 2))/\(pad(month, 2))/\(pad(year, 4))" }
    public var description: String { iso }
    /// The two-digit year that starts a fallback number.
    public var shortYear: Int { year % 100 }

    public static func < (a: ParisDay, b: ParisDay) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// The instant this day begins in Paris (midnight always exists: clocks change at night's end).
    public var start: Date { DispatchMoment(day: self, time: ParisTime(hour: 0, minute: 0)!).date }

    /// The following day.
    public var next: ParisDay {
        if let d = ParisDay(year: year, month: month, day: day + 1) { return d }
        if let d = ParisDay(year: year, month: month + 1, day: 1) { return d }
        return ParisDay(year: year + 1, month: 1, day: 1)!
    }

    /// Reads `YYYY-MM-DD` or `jj/mm/aaaa`.
    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts: [Substring]
        let ymd: Bool
        if t.contains("-") {
            parts = t.split(separator: "-", omittingEmptySubsequences: false)
            ymd = true
        } else {
            parts = t.split(separator: "/", omittingEmptySubsequences: false)
            ymd = false
        }
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else { return nil }
        let (y, m, d) = ymd ? (parts[0], parts[1], parts[2]) : (parts[2], parts[1], parts[0])
        guard y.count == 4, m.count == 2, d.count == 2 else { return nil }
        self.init(year: Int(y)!, month: Int(m)!, day: Int(d)!)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// A wall-clock time in Paris, to the minute.
public struct ParisTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let hour: Int
    public let minute: Int

    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.hour = hour
        self.minute = minute
    }

    public init(_ date: Date) {
        let c = ParisCalendar.calendar.dateComponents([.hour, .minute], from: date)
        hour = c.hour!
        minute = c.minute!
    }

    /// Reads `hh:mm`.
    public init?(text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }) else { return nil }
        self.init(hour: Int(parts[0])!, minute: Int(parts[1])!)
    }

    public var text: String { "\(pad(hour, 2)):\(pad(minute, 2))" }
    public var description: String { text }

    public static func < (a: ParisTime, b: ParisTime) -> Bool { (a.hour, a.minute) < (b.hour, b.minute) }
}

public enum ParisCalendar {
    /// `jj/mm/aaaa à hh:mm` in Paris time, to the minute: the one way pages, history lines,
    /// CSV and PDF write a moment.
    public static func french(_ date: Date) -> String { DispatchMoment(date).french }

    /// The same moment for a page, in the language of the request: `jj/mm/aaaa à hh:mm` in
    /// French, `dd/mm/yyyy at hh:mm` in English. What is stored or written to the record keeps
    /// `french`.
    public static func display(_ date: Date) -> String { DispatchMoment(date).display }

    public static let timeZone = TimeZone(identifier: "Europe/Paris")!
    public static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c
    }()
}

/// When goods leave, in Paris time.
public struct DispatchMoment: Hashable, Sendable {
    public let day: ParisDay
    public let time: ParisTime

    public init(day: ParisDay, time: ParisTime) {
        self.day = day
        self.time = time
    }

    /// Generation (R-GPS-1): the date is today or later and, today, the time is not before now.
    public func isNotBefore(_ now: Date) -> Bool {
        let today = ParisDay(now)
        if day != today { return day > today }
        return time >= ParisTime(now)
    }

    /// Registration a posteriori (R-GPS-2): the goods have already left.
    public func isNotAfter(_ now: Date) -> Bool {
        let today = ParisDay(now)
        if day != today { return day < today }
        return time <= ParisTime(now)
    }
}

private func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, width - s.count)) + s
}

extension DispatchMoment {
    /// The Paris day and minute `date` falls on.
    public init(_ date: Date) {
        self.init(day: ParisDay(date), time: ParisTime(date))
    }

    /// `jj/mm/aaaa à hh:mm`, as the forms and the history write it.
    public var french: String { "\(day.french) à \(time.text)" }

    /// `jj/mm/aaaa à hh:mm`, or `dd/mm/yyyy at hh:mm` in English: a moment shown on a page.
    public var display: String { localized(french, "\(day.french) at \(time.text)") }

    /// The instant this Paris wall-clock time denotes (the earlier one in the autumn overlap).
    public var date: Date {
        var c = DateComponents()
        c.year = day.year
        c.month = day.month
        c.day = day.day
        c.hour = time.hour
        c.minute = time.minute
        return ParisCalendar.calendar.date(from: c)!
    }
}

/// R-DOC-5: an active document not regularised within `days` of the start of its cover (its
/// dispatch, or its reactivation) becomes inactive.
public struct InactivationRule: Sendable, Equatable {
    public let days: Int

    public init(days: Int) { self.days = days }

    /// Documents whose cover started before this instant are overdue at `now`.
    public func cutoff(now: Date) -> Date { now.addingTimeInterval(-Double(days) * 86_400) }

    public func isOverdue(coverStart: Date, now: Date) -> Bool { coverStart < cutoff(now: now) }

    /// When a document whose cover started at `coverStart` becomes overdue.
    public func lapse(coverStart: Date) -> Date { coverStart.addingTimeInterval(Double(days) * 86_400) }
}
