import Foundation

/// What the offline toolkit and the service exchange when a laptop syncs (R-API-2, R-NUM-8): one
/// set of types, read and written by both sides.
///
/// A sync is three calls, in this order: the journal is pushed (registration a posteriori, the
/// communications to the office, the outages as episodes with their evidence), then the device's
/// lease is renewed in place (`ToolkitLease`), then the state is pulled. Every call carries the
/// journal's lease proof, so that a copied journal is caught at its first sync.
public enum ToolkitSync {
    /// Entries per push: the toolkit sends a long journal in several calls, showing progress.
    public static let maxEntriesPerPush = 500
    public static let maxOutagesPerPush = 50
    /// The longest device name kept, in Unicode code points (as JSON Schema's `maxLength` counts).
    public static let maxDeviceName = 64
    /// The most excise numbers one outage names.
    public static let maxOutageExciseNumbers = 100

    /// Where a journal entry stands on the service: one set of states for the journal, the
    /// commands and the push's answers.
    public enum EntryState: String, Codable, Sendable, CaseIterable {
        /// Made offline, not yet sent (or sent and not answered).
        case pending
        /// Its goods have not left yet: registered at a later sync.
        case waiting
        /// The service refused it: kept in the journal with the service's reason.
        case conflict
        /// The service holds it.
        case registered

        /// Still to be sent at the next sync.
        public var isUnsent: Bool { self == .pending || self == .waiting }
    }

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
            // Code points, not characters as a person sees them, and the one rule on texts: the
            // contract's `maxLength` and pattern say the same, so both refuse the same names.
            guard TextInput.isFilledField(name, limit: ToolkitSync.maxDeviceName) else {
                throw .invalid(field: "device.name", message: localized("Le nom du poste compte 1 à \(ToolkitSync.maxDeviceName) caractères imprimables.",
                                                                        "The device name has 1 to \(ToolkitSync.maxDeviceName) printable characters."))
            }
            return name.trimmingCharacters(in: .whitespacesAndNewlines)
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

        /// The outage's own checks: a known service, at least one excise number, an end after its
        /// start, neither in the future, bounded texts.
        public func validate(now: Date) throws(SecoursError) {
            guard OnlineService(rawValue: service) != nil else {
                throw .invalid(field: "outages.service", message: localized(
                    "La panne \(localID) nomme un service inconnu (« \(service.prefix(40)) ») : \(OnlineService.allCases.map(\.rawValue).joined(separator: ", ")).",
                    "Outage \(localID) names an unknown service (“\(service.prefix(40))”): \(OnlineService.allCases.map(\.rawValue).joined(separator: ", "))."))
            }
            guard !exciseNumbers.isEmpty, exciseNumbers.count <= ToolkitSync.maxOutageExciseNumbers else {
                throw .invalid(field: "outages.exciseNumbers", message: localized(
                    "La panne \(localID) doit nommer de 1 à \(ToolkitSync.maxOutageExciseNumbers) numéros d'accise : sans eux, elle ne peut devenir un épisode.",
                    "Outage \(localID) must name 1 to \(ToolkitSync.maxOutageExciseNumbers) excise numbers: without them it cannot become an episode."))
            }
            for e in exciseNumbers {
                do { _ = try ExciseNumber(parsing: e) } catch {
                    throw .invalid(field: "outages.exciseNumbers", message: localized("La panne \(localID) : numéro d'accise invalide : \(error.message)",
                                                                                      "Outage \(localID): invalid excise number: \(error.message)"))
                }
            }
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
    /// Where the journal stands on its lease: a copied journal is caught here.
    public let lease: ToolkitLease.Proof
    public let entries: [Entry]
    public let outages: [Outage]

    public init(device: ToolkitSync.Device, lease: ToolkitLease.Proof, entries: [Entry], outages: [Outage]) {
        self.device = device
        self.lease = lease
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

        /// What the journal keeps of it.
        public var journalState: ToolkitSync.EntryState {
            switch outcome {
            case .registered, .alreadyRegistered: .registered
            case .conflict: .conflict
            case .notYetDeparted: .waiting
            }
        }
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
    /// Set when the service saw a second journal on this device's lease (at this push or an
    /// earlier one): what happened and what to do, in the caller's language.
    public let duplicateJournal: String?

    public init(entries: [Entry], outages: [Outage], duplicateJournal: String? = nil) {
        self.entries = entries
        self.outages = outages
        self.duplicateJournal = duplicateJournal
    }
}

// MARK: Reservations

/// One segment of a device's lease (R-NUM-8): sequences (CRAPS, per excise number and year) or
/// GAMMA 2 LRN serials (per excise number). While it is open nobody else is given or may register
/// a number inside it. It closes when every number of it is registered (`used`), or when its lease
/// is given back (`retired`, `year-ended`): then the numbers not used either go back to the
/// sequence (`returned`) or, where something above them was issued, stay holes (`unused`),
/// explained by this record. A revoked or duplicated device's segments never close.
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
    /// Why the segment was taken: `reserved` (a new lease) or `renewed` (a top-up).
    public let event: ToolkitLease.Event
    public let reservedAt: Date
    public let releasedAt: Date?
    /// How it ended: used, retired, year-ended, revoked or duplicated (the last two keep it open).
    public let ended: ToolkitLease.Event?
    /// On release: how many numbers of the segment the service holds, the ranges that stay holes,
    /// and how many went back to the sequence.
    public let used: Int?
    public let unused: String?
    public let returned: Int?

    public init(id: UUID, kind: DocumentKind, exciseNumber: String, year: Int?, first: Int, last: Int, deviceID: UUID, deviceName: String,
                login: String, event: ToolkitLease.Event, reservedAt: Date, releasedAt: Date?, ended: ToolkitLease.Event?,
                used: Int?, unused: String?, returned: Int?) {
        self.id = id
        self.kind = kind
        self.exciseNumber = exciseNumber
        self.year = year
        self.first = first
        self.last = last
        self.deviceID = deviceID
        self.deviceName = deviceName
        self.login = login
        self.event = event
        self.reservedAt = reservedAt
        self.releasedAt = releasedAt
        self.ended = ended
        self.used = used
        self.unused = unused
        self.returned = returned
    }

    public var range: ClosedRange<Int> { first...last }
    public func contains(_ sequence: Int) -> Bool { range.contains(sequence) }
}

/// How far a device's journal used one open segment: the highest number it made in it. The
/// journal uses its segments in order, so everything below is used too.
public struct ToolkitSegmentUse: Codable, Sendable, Equatable {
    public let id: UUID
    public let highest: Int

    public init(id: UUID, highest: Int) {
        self.id = id
        self.highest = highest
    }
}

/// `POST /api/v1/toolkit/reservations`: renews the device's lease in place — on every excise
/// number the account may issue on, tops up this year's sequences and the LRN serials to the
/// lease's size with as many numbers as were used — and gives back the segments of past years
/// named in `release` (their journal entries all settled).
public struct ToolkitReservationRequest: Codable, Sendable {
    public let device: ToolkitSync.Device
    public let lease: ToolkitLease.Proof
    /// Numbers kept at hand per excise number; the toolkit sizes it from its past outages.
    public let size: Int?
    /// What the journal made in its open segments, including numbers not registered yet.
    public let used: [ToolkitSegmentUse]
    public let release: [UUID]

    public static let maxItems = 1_000

    public init(device: ToolkitSync.Device, lease: ToolkitLease.Proof, size: Int?, used: [ToolkitSegmentUse], release: [UUID]) {
        self.device = device
        self.lease = lease
        self.size = size
        self.used = used
        self.release = release
    }

    public func validSize() throws(SecoursError) -> Int {
        let size = size ?? ToolkitLease.defaultSize
        guard ToolkitLease.sizes.contains(size) else {
            throw .invalid(field: "size", message: localized("Taille de réserve entre \(ToolkitLease.sizes.lowerBound) et \(ToolkitLease.sizes.upperBound).",
                                                             "Reservation size between \(ToolkitLease.sizes.lowerBound) and \(ToolkitLease.sizes.upperBound)."))
        }
        guard release.count <= Self.maxItems else {
            throw .invalid(field: "release", message: localized("Au plus 1 000 réserves à rendre par appel.", "At most 1,000 reservations to give back per call."))
        }
        guard used.count <= Self.maxItems else {
            throw .invalid(field: "used", message: localized("Au plus 1 000 réserves décrites par appel.", "At most 1,000 reservations described per call."))
        }
        guard ToolkitLease.Proof.counters.contains(lease.counter) else {
            throw .invalid(field: "lease.counter", message: localized("Compteur de réserve invalide.", "Invalid lease counter."))
        }
        return size
    }
}

/// `POST /api/v1/toolkit/retire`: the laptop is retired (`secours logout`), its journal pushed:
/// its lease is given back.
public struct ToolkitRetireRequest: Codable, Sendable {
    public let device: ToolkitSync.Device
    public let lease: ToolkitLease.Proof

    public init(device: ToolkitSync.Device, lease: ToolkitLease.Proof) {
        self.device = device
        self.lease = lease
    }
}

public struct ToolkitReservationReply: Codable, Sendable, Equatable {
    /// The device's open segments after the call.
    public let open: [ToolkitReservation]
    /// The segments this call closed, with what was used of them.
    public let released: [ToolkitReservation]
    /// The journal's new proof, to keep for the next sync.
    public let lease: ToolkitLease.Proof

    public init(open: [ToolkitReservation], released: [ToolkitReservation], lease: ToolkitLease.Proof) {
        self.open = open
        self.released = released
        self.lease = lease
    }
}

/// A device as the office reads it: who syncs it, its status and its open lease.
public struct ToolkitDeviceRecord: Codable, Sendable, Equatable {
    public let id: UUID
    public let name: String
    public let login: String
    public let status: ToolkitLease.DeviceStatus
    public let statusReason: String?
    public let statusAt: Date?
    public let statusBy: String?
    public let firstSeenAt: Date
    public let lastSyncAt: Date
    /// Open segments, merged per kind and excise number: `FR007328E0001 séquences 2026 : 1–20`.
    public let open: [String]

    public init(id: UUID, name: String, login: String, status: ToolkitLease.DeviceStatus, statusReason: String?, statusAt: Date?, statusBy: String?,
                firstSeenAt: Date, lastSyncAt: Date, open: [String]) {
        self.id = id
        self.name = name
        self.login = login
        self.status = status
        self.statusReason = statusReason
        self.statusAt = statusAt
        self.statusBy = statusBy
        self.firstSeenAt = firstSeenAt
        self.lastSyncAt = lastSyncAt
        self.open = open
    }
}

/// `POST /api/v1/toolkit/devices/{id}/revoke`: the office or the CID revokes a laptop.
public struct ToolkitRevokeRequest: Codable, Sendable {
    public let reason: String

    public init(reason: String) { self.reason = reason }

    public static let maxReason = 500

    public func validReason() throws(SecoursError) -> String {
        let r = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard r.count >= 3, TextInput.isFilledField(reason, limit: Self.maxReason) else {
            throw .invalid(field: "reason", message: localized("Le motif compte 3 à \(Self.maxReason) caractères (poste volé, perdu…).",
                                                               "The reason has 3 to \(Self.maxReason) characters (stolen, lost laptop…)."))
        }
        return r
    }
}
