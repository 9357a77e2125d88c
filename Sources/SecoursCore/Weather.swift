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
        case .portal: "Portail douane.gouv.fr"
        }
    }
}

/// How bad an alert is: red or black (the CID decides, seed 003).
public enum AlertLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case red
    case black

    public var label: String { self == .red ? "Alerte rouge" : "Alerte noire" }

    public static func < (a: AlertLevel, b: AlertLevel) -> Bool { a == .red && b == .black }
}

/// The state of one service in one transmission mode.
public enum ServiceState: String, Sendable, Codable {
    case normal, red, black

    public var label: String {
        switch self {
        case .normal: "Normal"
        case .red: "Alerte rouge"
        case .black: "Alerte noire"
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
        var errors: [SecoursError.FieldError] = []
        let level = self.level.flatMap { AlertLevel(rawValue: $0.trimmingCharacters(in: .whitespaces).lowercased()) }
        if level == nil { errors.append(.init(field: "level", message: "Niveau d'alerte requis : red (rouge) ou black (noire).")) }
        var services: [OnlineService] = []
        for s in self.services ?? [] {
            if let v = OnlineService(rawValue: s.trimmingCharacters(in: .whitespaces).uppercased()) { services.append(v) } else {
                errors.append(.init(field: "services", message: "Service « \(s) » inconnu (\(OnlineService.allCases.map(\.rawValue).joined(separator: ", ")))."))
            }
        }
        if (self.services ?? []).isEmpty { errors.append(.init(field: "services", message: "Indiquez au moins un service concerné.")) }
        var modes: [TransmissionMode] = []
        for m in self.modes ?? [] {
            if let v = TransmissionMode(rawValue: m.trimmingCharacters(in: .whitespaces).uppercased()) { modes.append(v) } else {
                errors.append(.init(field: "modes", message: "Mode « \(m) » inconnu (DTI, DTI+, EDI)."))
            }
        }
        if (self.modes ?? []).isEmpty { errors.append(.init(field: "modes", message: "Indiquez au moins un mode de transmission concerné.")) }
        let title = (self.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { errors.append(.init(field: "title", message: "Un titre est requis.")) }
        if title.count > Self.maxTitle { errors.append(.init(field: "title", message: "Le titre compte \(Self.maxTitle) caractères au plus.")) }
        let description = (self.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if description.isEmpty { errors.append(.init(field: "description", message: "Décrivez le dysfonctionnement constaté.")) }
        if description.count > Self.maxText { errors.append(.init(field: "description", message: "La description compte \(Self.maxText) caractères au plus.")) }
        let started = startedAt ?? now
        if started > now.addingTimeInterval(60) { errors.append(.init(field: "startedAt", message: "Le début de l'alerte ne peut pas être dans le futur.")) }
        if started < now.addingTimeInterval(-30 * 86_400) { errors.append(.init(field: "startedAt", message: "Le début de l'alerte remonte à 30 jours au plus.")) }
        guard errors.isEmpty, let level else { throw .invalid(errors) }
        return Valid(level: level, coverage: AlertCoverage(services: services, modes: modes), title: title, description: description, startedAt: started)
    }

    /// An information bulletin (BIP) or an end-of-alert message: required text, bounded.
    public static func bulletinText(_ text: String?, required: Bool) throws(SecoursError) -> String? {
        let t = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty {
            if required { throw .invalid(field: "text", message: "Le texte du bulletin est requis.") }
            return nil
        }
        guard t.count <= maxText else { throw .invalid(field: "text", message: "Le bulletin compte \(maxText) caractères au plus.") }
        return t
    }
}

/// A reference operators can quote: `AL` + date `AAMMJJ` (Paris) + `-` + the alert's number that day.
public enum AlertReference {
    public static func make(day: ParisDay, ordinal: Int) -> String {
        let yy = day.shortYear, mm = day.month, dd = day.day
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "AL\(two(yy))\(two(mm))\(two(dd))-\(two(ordinal))"
    }
}
