import Foundation

/// What the offline toolkit and the service exchange when a laptop syncs (R-API-2, R-NUM-8): one
/// set of types, read and written by both sides.
///
/// A sync is three calls, in this order: the journal is pushed (registration a posteriori, the
/// communications to the office, the outages as episodes with their evidence), then the device's
/// settled reservations are released and fresh ones taken, then the state is pulled.
public enum ToolkitSync {
    /// Sequences (and LRN serials) reserved per excise number at each sync, unless the toolkit
    /// asks for another size within `blockSizes`.
    public static let defaultBlockSize = 20
    public static let blockSizes = 1...500
    /// Entries per push: the toolkit sends a long journal in several calls, showing progress.
    public static let maxEntriesPerPush = 500
    public static let maxOutagesPerPush = 50
    /// The longest device name kept.
    public static let maxDeviceName = 64

    /// The device as it names itself: an id made at login, and the computer's name for people.
    public struct Device: Codable, Sendable, Equatable {
        public let id: UUID
        public let name: String

        public init(id: UUID, name: String) {
            self.id = id
            self.name = name
        }

        /// The name as the service keeps it: trimmed, control characters refused, bounded.
        public func validName() throws(SecoursError) -> String {
            let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty, name.count <= ToolkitSync.maxDeviceName, !name.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
                throw .invalid(field: "device.name", message: localized("Le nom du poste compte 1 à \(ToolkitSync.maxDeviceName) caractères imprimables.",
                                                                        "The device name has 1 to \(ToolkitSync.maxDeviceName) printable characters."))
            }
            return name
        }
    }
}

// MARK: Push

/// `POST /api/v1/toolkit/push`: journal entries and ended outages of one device.
public struct ToolkitPush: Codable, Sendable {
    /// A number made offline, with its movement data, as the journal holds it.
    public struct Entry: Codable, Sendable, Equatable {
        public let number: String
        public let type: String
        public let exciseNumber: String
        public let transport: String?
        public let dispatchDate: String
        public let dispatchTime: String
        /// When the journal stored it.
        public let madeAt: Date
        /// When a message to the office first listed it (`secours message`), if one did.
        public let communicatedAt: Date?

        public init(number: String, type: String, exciseNumber: String, transport: String?, dispatchDate: String, dispatchTime: String,
                    madeAt: Date, communicatedAt: Date?) {
            self.number = number
            self.type = type
            self.exciseNumber = exciseNumber
            self.transport = transport
            self.dispatchDate = dispatchDate
            self.dispatchTime = dispatchTime
            self.madeAt = madeAt
            self.communicatedAt = communicatedAt
        }

        /// The registration a posteriori this entry asks for.
        public var registration: RegistrationRequest {
            RegistrationRequest(number: number, type: type, exciseNumber: exciseNumber, transport: transport,
                                dispatchDate: dispatchDate, dispatchTime: dispatchTime)
        }

        /// True when the entry's dispatch is still to come: it cannot be registered yet (R-GPS-2
        /// registers departures that happened) and waits in the journal.
        public func departsAfter(_ now: Date) -> Bool {
            guard let day = ParisDay(text: dispatchDate), let time = ParisTime(text: dispatchTime) else { return false }
            return !DispatchMoment(day: day, time: time).isNotAfter(now)
        }
    }

    /// An ended outage of the journal: the proof of good faith (seed 001, step 2).
    public struct Outage: Codable, Sendable, Equatable {
        public struct Attempt: Codable, Sendable, Equatable {
            public let at: Date
            public let channel: String
            public let note: String?

            public init(at: Date, channel: String, note: String?) {
                self.at = at
                self.channel = channel
                self.note = note
            }
        }

        /// The journal's id of the outage: with the device, what makes a second push of it a no-op.
        public let localID: Int64
        public let service: String
        public let reason: String
        public let startedAt: Date
        public let endedAt: Date
        public let endNote: String?
        public let attempts: [Attempt]
        /// The excise numbers the device made numbers on during the outage.
        public let exciseNumbers: [String]

        public init(localID: Int64, service: String, reason: String, startedAt: Date, endedAt: Date, endNote: String?,
                    attempts: [Attempt], exciseNumbers: [String]) {
            self.localID = localID
            self.service = service
            self.reason = reason
            self.startedAt = startedAt
            self.endedAt = endedAt
            self.endNote = endNote
            self.attempts = attempts
            self.exciseNumbers = exciseNumbers
        }

        /// The outage's own checks: an end after its start, neither in the future, bounded texts.
        public func validate(now: Date) throws(SecoursError) {
            guard startedAt <= endedAt, endedAt <= now.addingTimeInterval(ToolkitPush.clockSkew) else {
                throw .invalid(field: "outages", message: localized("La panne \(localID) doit finir après son début, et pas dans le futur.",
                                                                    "Outage \(localID) must end after its start, and not in the future."))
            }
            guard attempts.count <= 200, (reason.count + (endNote?.count ?? 0)) <= EpisodeRequest.maxText,
                  attempts.allSatisfy({ $0.channel.count <= 64 && ($0.note?.count ?? 0) <= EpisodeRequest.maxText }) else {
                throw .invalid(field: "outages", message: localized("La panne \(localID) a des textes trop longs (2 000 caractères au plus, 200 tentatives).",
                                                                    "Outage \(localID) has texts that are too long (2,000 characters at most, 200 attempts)."))
            }
        }
    }

    /// How far ahead of the service's clock a laptop's clock may be before its times are refused.
    public static let clockSkew: TimeInterval = 300

    public let device: ToolkitSync.Device
    public let entries: [Entry]
    public let outages: [Outage]

    public init(device: ToolkitSync.Device, entries: [Entry], outages: [Outage]) {
        self.device = device
        self.entries = entries
        self.outages = outages
    }

    /// The request's own bounds; each entry is then checked on its own.
    public func validate() throws(SecoursError) -> String {
        let name = try device.validName()
        guard entries.count <= ToolkitSync.maxEntriesPerPush else {
            throw .invalid(field: "entries", message: localized("Au plus \(ToolkitSync.maxEntriesPerPush) entrées par envoi.",
                                                                "At most \(ToolkitSync.maxEntriesPerPush) entries per push."))
        }
        guard outages.count <= ToolkitSync.maxOutagesPerPush else {
            throw .invalid(field: "outages", message: localized("Au plus \(ToolkitSync.maxOutagesPerPush) pannes par envoi.",
                                                                "At most \(ToolkitSync.maxOutagesPerPush) outages per push."))
        }
        guard Set(entries.map(\.number)).count == entries.count else {
            throw .invalid(field: "entries", message: localized("Un numéro figure deux fois dans l'envoi.", "A number appears twice in the push."))
        }
        return name
    }
}

/// What the service did with each entry and outage of a push.
public struct ToolkitPushResult: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable {
        /// Registered a posteriori by this push.
        case registered
        /// Already on the service with the same data (an earlier push, or the web): done.
        case alreadyRegistered = "already-registered"
        /// The number exists with other data, its sequence is taken or reserved, or it is
        /// invalid: kept in the journal with the service's reason.
        case conflict
        /// The dispatch is still to come: registered at a later sync.
        case notYetDeparted = "not-yet-departed"
    }

    public enum CommunicationOutcome: String, Codable, Sendable {
        case communicated
        case alreadyCommunicated = "already-communicated"
        case refused
    }

    public struct Entry: Codable, Sendable, Equatable {
        public let number: String
        public let outcome: Outcome
        public let code: String?
        public let message: String?
        public let communication: CommunicationOutcome?
        public let communicationMessage: String?

        public init(number: String, outcome: Outcome, code: String? = nil, message: String? = nil,
                    communication: CommunicationOutcome? = nil, communicationMessage: String? = nil) {
            self.number = number
            self.outcome = outcome
            self.code = code
            self.message = message
            self.communication = communication
            self.communicationMessage = communicationMessage
        }

        /// True when the journal has nothing more to send for this entry.
        public var isSettled: Bool { outcome == .registered || outcome == .alreadyRegistered }
    }

    public enum OutageOutcome: String, Codable, Sendable {
        /// A closed episode was made from the outage, its attempts as evidence.
        case created
        /// An episode already requested or open for that excise number and service got the outage
        /// as evidence.
        case attached
        /// Pushed before: nothing done.
        case already
    }

    public struct Outage: Codable, Sendable, Equatable {
        public let localID: Int64
        public let exciseNumber: String
        public let episodeID: UUID
        public let outcome: OutageOutcome

        public init(localID: Int64, exciseNumber: String, episodeID: UUID, outcome: OutageOutcome) {
            self.localID = localID
            self.exciseNumber = exciseNumber
            self.episodeID = episodeID
            self.outcome = outcome
        }
    }

    public let entries: [Entry]
    public let outages: [Outage]

    public init(entries: [Entry], outages: [Outage]) {
        self.entries = entries
        self.outages = outages
    }
}

// MARK: Reservations

/// A block of sequences (CRAPS, per excise number and year) or of GAMMA 2 LRN serials (per excise
/// number) held by one device (R-NUM-8). While it is open nobody else is given or may register a
/// number inside it; when released, what the device did not use stays a gap, explained by it.
public struct ToolkitReservation: Codable, Sendable, Equatable {
    public let id: UUID
    public let kind: DocumentKind
    public let exciseNumber: String
    /// The year of the sequences; none for LRN serials, which run on across years.
    public let year: Int?
    public let first: Int
    public let last: Int
    public let deviceID: UUID
    public let deviceName: String
    public let login: String
    public let reservedAt: Date
    public let releasedAt: Date?
    /// On release: how many numbers of the block the service holds, and the ranges it does not.
    public let used: Int?
    public let unused: String?

    public init(id: UUID, kind: DocumentKind, exciseNumber: String, year: Int?, first: Int, last: Int, deviceID: UUID, deviceName: String,
                login: String, reservedAt: Date, releasedAt: Date?, used: Int?, unused: String?) {
        self.id = id
        self.kind = kind
        self.exciseNumber = exciseNumber
        self.year = year
        self.first = first
        self.last = last
        self.deviceID = deviceID
        self.deviceName = deviceName
        self.login = login
        self.reservedAt = reservedAt
        self.releasedAt = releasedAt
        self.used = used
        self.unused = unused
    }

    public func contains(_ sequence: Int) -> Bool { (first...last).contains(sequence) }

    /// `3–7, 9` for the numbers of `first...last` not in `used`.
    public static func ranges(of block: ClosedRange<Int>, excluding used: Set<Int>) -> String {
        var parts: [String] = []
        var start: Int?
        for n in block.lowerBound...(block.upperBound + 1) {
            let free = n <= block.upperBound && !used.contains(n)
            if free, start == nil { start = n }
            if !free, let s = start {
                parts.append(s == n - 1 ? "\(s)" : "\(s)–\(n - 1)")
                start = nil
            }
        }
        return parts.joined(separator: ", ")
    }
}

/// `POST /api/v1/toolkit/reservations`: release the blocks given, then hold a block of each kind
/// on every excise number the account may issue on, where the device holds none.
public struct ToolkitReservationRequest: Codable, Sendable {
    public let device: ToolkitSync.Device
    public let size: Int?
    public let release: [UUID]

    public init(device: ToolkitSync.Device, size: Int?, release: [UUID]) {
        self.device = device
        self.size = size
        self.release = release
    }

    public func validSize() throws(SecoursError) -> Int {
        let size = size ?? ToolkitSync.defaultBlockSize
        guard ToolkitSync.blockSizes.contains(size) else {
            throw .invalid(field: "size", message: localized("Taille de réserve entre \(ToolkitSync.blockSizes.lowerBound) et \(ToolkitSync.blockSizes.upperBound).",
                                                             "Reservation size between \(ToolkitSync.blockSizes.lowerBound) and \(ToolkitSync.blockSizes.upperBound)."))
        }
        guard release.count <= 1_000 else { throw .invalid(field: "release", message: localized("Au plus 1 000 réserves à libérer par appel.",
                                                                                                "At most 1,000 reservations to release per call.")) }
        return size
    }
}

public struct ToolkitReservationReply: Codable, Sendable, Equatable {
    /// The device's open blocks after the call.
    public let open: [ToolkitReservation]
    /// The blocks this call released, with what was used of them.
    public let released: [ToolkitReservation]

    public init(open: [ToolkitReservation], released: [ToolkitReservation]) {
        self.open = open
        self.released = released
    }
}
