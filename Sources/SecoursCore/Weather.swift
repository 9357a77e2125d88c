import Foundation

/// The online services whose state the weather page shows (R-MET-1).
public enum OnlineService: String, Sendable, Codable, CaseIterable {
    case gamma = "GAMMA"
    case gamma2 = "GAMMA2"
    case gps = "GPS"
    case deltaG = "DELTA-G"
    case deltaX = "DELTA-X"
    case deltaH7 = "DELTA-H7"
    case portal = "PORTAIL"

    public var label: String {
        switch self {
        case .gamma: "GAMMA"
        case .gamma2: "GAMMA 2"
        case .gps: "GPS"
        case .deltaG: "DELTA G"
        case .deltaX: "DELTA X"
        case .deltaH7: "DELTA H7"
        case .portal: localized("Portail douane.gouv.fr", "douane.gouv.fr portal")
        }
    }
}

/// How bad an alert is: red or black (the CID decides, seed 003).
public enum AlertLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case red
    case black

    public var label: String { self == .red ? localized("Alerte rouge", "Red alert") : localized("Alerte noire", "Black alert") }

    public static func < (a: AlertLevel, b: AlertLevel) -> Bool { a == .red && b == .black }
}

/// The state of one service in one transmission mode.
public enum ServiceState: String, Sendable, Codable {
    case normal, red, black

    public var label: String {
        switch self {
        case .normal: "Normal"
        case .red: localized("Alerte rouge", "Red alert")
        case .black: localized("Alerte noire", "Black alert")
        }
    }

    public init(_ level: AlertLevel?) {
        switch level {
        case nil: self = .normal
        case .red?: self = .red
        case .black?: self = .black
        }
    }
}

/// What an alert covers: services × transmission modes.
public struct AlertCoverage: Sendable, Equatable {
    public let services: [OnlineService]
    public let modes: [TransmissionMode]

    public init(services: [OnlineService], modes: [TransmissionMode]) {
        self.services = OnlineService.allCases.filter(services.contains)
        self.modes = TransmissionMode.allCases.filter(modes.contains)
    }

    public func covers(_ service: OnlineService, _ mode: TransmissionMode) -> Bool {
        services.contains(service) && modes.contains(mode)
    }

    /// Stored form: codes joined by commas.
    public var storedServices: String { services.map(\.rawValue).joined(separator: ",") }
    public var storedModes: String { modes.map(\.rawValue).joined(separator: ",") }

    public init(storedServices: String, storedModes: String) {
        self.init(services: storedServices.split(separator: ",").compactMap { OnlineService(rawValue: String($0)) },
                  modes: storedModes.split(separator: ",").compactMap { TransmissionMode(rawValue: String($0)) })
    }
}

/// The weather: each service and mode with the worst level of the current alerts covering it.
public struct Weather: Sendable {
    public struct Current: Sendable {
        public let level: AlertLevel
        public let coverage: AlertCoverage
        public init(level: AlertLevel, coverage: AlertCoverage) {
            self.level = level
            self.coverage = coverage
        }
    }

    public let current: [Current]

    public init(current: [Current]) { self.current = current }

    public func state(_ service: OnlineService, _ mode: TransmissionMode) -> ServiceState {
        ServiceState(current.filter { $0.coverage.covers(service, mode) }.map(\.level).max())
    }
}

/// A new alert as the CID publishes it (R-MET-2): level, what it covers, a description, and when
/// the fault began (now when not given; not in the future, not more than 30 days back).
public struct AlertRequest: Decodable, Sendable {
    public var level: String?
    public var services: [String]?
    public var modes: [String]?
    public var title: String?
    public var description: String?
    public var startedAt: Date?

    public init(level: String?, services: [String]?, modes: [String]?, title: String?, description: String?, startedAt: Date? = nil) {
        self.level = level
        self.services = services
        self.modes = modes
        self.title = title
        self.description = description
        self.startedAt = startedAt
    }

    public struct Valid: Sendable {
        public let level: AlertLevel
        public let coverage: AlertCoverage
        public let title: String
        public let description: String
        public let startedAt: Date
    }

    public static let maxTitle = 200
    public static let maxText = 4_000

    public func validate(now: Date) throws(SecoursError) -> Valid {
        var f = FormFields()
        let level = self.level.flatMap { AlertLevel(rawValue: $0.trimmingCharacters(in: .whitespaces).lowercased()) }
        if level == nil { f.fail("level", localized("Choisissez le niveau d'alerte : rouge ou noire.", "Choose the alert level: red or black.")) }
        var services: [OnlineService] = []
        for s in self.services ?? [] {
            if let v = OnlineService(rawValue: s.trimmingCharacters(in: .whitespaces).uppercased()) { services.append(v) } else {
                let known = OnlineService.allCases.map(\.rawValue).joined(separator: ", ")
                f.fail("services", localized("Service « \(s) » inconnu (\(known)).", "Unknown service “\(s)” (\(known))."))
            }
        }
        if (self.services ?? []).isEmpty { f.fail("services", localized("Indiquez au moins un service concerné.", "Give at least one service affected.")) }
        var modes: [TransmissionMode] = []
        for m in self.modes ?? [] {
            if let v = TransmissionMode(rawValue: m.trimmingCharacters(in: .whitespaces).uppercased()) { modes.append(v) } else {
                f.fail("modes", localized("Mode « \(m) » inconnu (DTI, DTI+, EDI).", "Unknown mode “\(m)” (DTI, DTI+, EDI)."))
            }
        }
        if (self.modes ?? []).isEmpty { f.fail("modes", localized("Indiquez au moins un mode de transmission concerné.",
                                                                  "Give at least one transmission mode affected.")) }
        let title = f.text(self.title, field: "title", max: Self.maxTitle, missing: localized("Un titre est requis.", "A title is required."),
                           tooLong: localized("Le titre compte \(Self.maxTitle) caractères au plus.", "The title has at most \(Self.maxTitle) characters."))
        let description = f.text(self.description, field: "description", max: Self.maxText, missing: localized("Décrivez le dysfonctionnement constaté.",
                                                                                                               "Describe the malfunction observed."),
                                 tooLong: localized("La description compte \(Self.maxText) caractères au plus.",
                                                    "The description has at most \(Self.maxText) characters."))
        let started = startedAt ?? now
        if started > now.addingTimeInterval(60) { f.fail("startedAt", localized("Le début de l'alerte ne peut pas être dans le futur.",
                                                                                "The start of the alert cannot be in the future.")) }
        if started < now.addingTimeInterval(-30 * 86_400) { f.fail("startedAt", localized("Le début de l'alerte remonte à 30 jours au plus.",
                                                                                          "The start of the alert goes back 30 days at most.")) }
        guard f.errors.isEmpty, let level else { throw .invalid(f.errors) }
        return Valid(level: level, coverage: AlertCoverage(services: services, modes: modes), title: title, description: description, startedAt: started)
    }

    /// Ending an alert from the page (R-MET): the CID ticks, in the same form, that the weather
    /// goes back to green and that operators are no longer covered by the alert; the closing
    /// message stays optional and bounded. Both are checked at once; the API ends an alert
    /// without this confirmation.
    public static func endingText(_ text: String?, confirmed: Bool) throws(SecoursError) -> String? {
        var f = FormFields()
        if !confirmed { f.fail("confirm", Messages.Weather.endNotConfirmed) }
        let t = f.text(text, field: "text", max: maxText, tooLong: Messages.Weather.endClosingTooLong(maxText))
        guard f.errors.isEmpty else { throw .invalid(f.errors) }
        return t.isEmpty ? nil : t
    }

    /// An information bulletin (BIP) or an end-of-alert message: required text, bounded.
    public static func bulletinText(_ text: String?, required: Bool) throws(SecoursError) -> String? {
        try FormFields.note(text, field: "text", max: maxText, required: required, missing: localized("Le texte du bulletin est requis.",
                                                                                                      "The text of the bulletin is required."),
                            tooLong: localized("Le bulletin compte \(maxText) caractères au plus.", "The bulletin has at most \(maxText) characters."))
    }
}

/// A reference people can quote, from the Paris day: letters, `AAMMJJ`, `-`, and the ordinal of
/// the record that day (`AL261122-01` for an alert, `DA261122-001` for an assistance request).
public struct DayReference: Sendable {
    public let letters: String
    public let digits: Int

    public static let alert = DayReference(letters: "AL", digits: 2)
    public static let assistanceRequest = DayReference(letters: "DA", digits: 3)

    /// What every reference of `day` starts with (`AL261122-`).
    public func prefix(_ day: ParisDay) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return letters + two(day.shortYear) + two(day.month) + two(day.day) + "-"
    }

    public func make(day: ParisDay, ordinal: Int) -> String {
        let n = String(ordinal)
        return prefix(day) + String(repeating: "0", count: max(0, digits - n.count)) + n
    }
}
