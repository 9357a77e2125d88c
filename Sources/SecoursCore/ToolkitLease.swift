import Foundation

/// R-NUM-8: a laptop's reserve of numbers is a lease, renewed in place.
///
/// The lease of one device on one (kind, excise number, year) is the set of its open segments.
/// A sync tops it up to its size with the numbers that follow the service's counter, only as
/// numbers are used, and gives nothing back: syncing spends no number. It is given back when the
/// laptop is retired (`secours logout`) or its year ends, after the journal is pushed; a revoked
/// laptop, or one whose journal was copied, keeps it for ever, since its numbers may be on paper.
public enum ToolkitLease {
    /// What a journal says of its lease at every sync: how many renewals it has seen, and the
    /// renewal it has asked for and not yet heard the answer to.
    ///
    /// Two journals that share a lease (a disk image copied to a second laptop, a journal
    /// restored from an old backup) cannot both follow one counter: the first to sync moves it,
    /// and the second is caught at its first sync (`verdict`).
    public struct Proof: Codable, Sendable, Equatable {
        public let counter: Int
        public let attempt: UUID?

        public init(counter: Int, attempt: UUID?) {
            self.counter = counter
            self.attempt = attempt
        }

        public static let counters = 0...1_000_000_000
    }

    /// How a journal's proof compares with what the service recorded of the device.
    public enum Verdict: String, Sendable, Equatable {
        /// The journal is the one the service last renewed.
        case current
        /// The journal's last renewal reached the service but its answer did not reach the
        /// journal (a sync cut half way): the same attempt is answered again.
        case retried
        /// Another journal moved the lease since: this one is a copy, or restored from a backup.
        case diverged
    }

    /// `service`: the device's counter and last attempt on the service.
    public static func verdict(service counter: Int, attempt: UUID?, journal: Proof) -> Verdict {
        if journal.counter == counter { return .current }
        if journal.counter + 1 == counter, let a = journal.attempt, a == attempt { return .retried }
        return .diverged
    }

    /// A device as the service knows it.
    public enum DeviceStatus: String, Codable, Sendable, CaseIterable {
        /// Syncs and renews its lease.
        case active
        /// Retired by its user (`secours logout`): its lease was given back.
        case retired
        /// Revoked by the office or the CID (stolen, lost): its lease is kept for ever.
        case revoked
        /// Two journals were seen on its lease: the lease is kept for ever, nothing is renewed.
        case duplicated
    }

    /// Why a segment of a lease was taken, or how it ended.
    public enum Event: String, Codable, Sendable, CaseIterable {
        /// The first numbers of a lease.
        case reserved
        /// A top-up: as many numbers as the device used since.
        case renewed
        /// Every number of the segment is registered on the service.
        case used
        /// Given back when the device was retired.
        case retired
        /// Given back because its year ended.
        case yearEnded = "year-ended"
        /// Kept for ever: the device was revoked.
        case revoked
        /// Kept for ever: two journals were seen on the lease.
        case duplicated
    }

    /// The numbers a device keeps at hand on each excise number when it has no history: enough
    /// for a morning of dispatches.
    public static let defaultSize = 10
    /// The bounds of a lease's size, whoever chooses it.
    public static let sizes = 1...500
    /// The bounds of a size computed from the device's own history: never below the default, so
    /// that a quiet first outage does not leave the next one short.
    public static let sizedFromHistory = defaultSize...100

    /// The size of a lease from what the device used in its past outages: half as much again as
    /// the most numbers it made on one excise number in one outage, bounded; `defaultSize` with no
    /// history. `usage`: numbers made per outage (or per day made outside any recorded outage).
    public static func size(fromUsage usage: [Int]) -> Int {
        guard let most = usage.max(), most > 0 else { return defaultSize }
        let wanted = (most * 3 + 1) / 2
        return min(max(wanted, sizedFromHistory.lowerBound), sizedFromHistory.upperBound)
    }

    /// How many numbers a top-up adds: what the lease lacks to reach its size.
    public static func topUp(size: Int, remaining: Int) -> Int { max(0, size - remaining) }

    /// What releasing a lease does to the sequence.
    public struct Release: Sendable, Equatable {
        /// The service's counter after the release.
        public let counter: Int
        /// Unused numbers of the lease at or below that counter: holes, explained by the log.
        public let holes: [ClosedRange<Int>]
        /// Unused numbers above it: given back to the sequence, no hole.
        public let returned: Int
    }

    /// `segments`: the lease's numbers; `used`: those of them issued; `counter`: the service's
    /// counter now; `floor`: the highest number that must stay below the counter whatever this
    /// lease does — issued, held in another lease, or a hole an earlier release explained.
    /// The sequence steps back to `floor` when nothing above the lease was issued; what lies
    /// between an issued number and the lease stays a hole.
    public static func release(segments: [ClosedRange<Int>], used: Set<Int>, counter: Int, floor: Int) -> Release {
        let newCounter = min(counter, floor)
        var holes: [ClosedRange<Int>] = []
        var returned = 0
        for s in segments.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            for n in s where !used.contains(n) {
                if n > newCounter {
                    returned += 1
                } else if let last = holes.last, last.upperBound == n - 1 {
                    holes[holes.count - 1] = last.lowerBound...n
                } else {
                    holes.append(n...n)
                }
            }
        }
        return Release(counter: newCounter, holes: holes, returned: returned)
    }

    /// `3–7, 9` for ranges of numbers.
    public static func text(_ ranges: [ClosedRange<Int>]) -> String {
        ranges.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)–\($0.upperBound)" }.joined(separator: ", ")
    }

    /// Merged ranges: `[1...3, 4...6, 9...9]` reads `1–6, 9`.
    public static func merged(_ ranges: [ClosedRange<Int>]) -> [ClosedRange<Int>] {
        var out: [ClosedRange<Int>] = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, r.lowerBound <= last.upperBound + 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }
}

/// R-NUM-9: a manual number whose sequence lies far beyond the last one used is questioned
/// before it moves the year's sequence there (`…09031…` typed for `…00031…`).
public enum SequenceJump {
    /// The default of the setting: a day's dispatches of a busy depot.
    public static let defaultThreshold = 50
    public static let thresholds = 1...99_999

    /// The numbers a registration at `sequence` would leave unused after `lastUsed`, when more
    /// than `threshold`; nil when the number follows closely enough.
    public static func unused(sequence: Int, lastUsed: Int, threshold: Int) -> Int? {
        let gap = sequence - lastUsed - 1
        return gap > threshold ? gap : nil
    }

    public static func error(number: String, unused: Int, lastUsed: Int) -> SecoursError {
        SecoursError(kind: .conflict, code: "sequence_jump_unconfirmed",
                     message: localized("Le numéro \(number) laisse \(unused) numéros inutilisés après le dernier utilisé (\(lastUsed)) : vérifiez-le, puis confirmez s'il est juste.",
                                        "Number \(number) leaves \(unused) numbers unused after the last one used (\(lastUsed)): check it, then confirm if it is right."),
                     fields: [.init(field: "number", message: localized("Ce numéro laisse \(unused) numéros inutilisés : confirmez.",
                                                                         "This number leaves \(unused) numbers unused: confirm."))])
    }
}
