import Foundation
import Testing
@testable import SecoursCore

/// The lease's rules (R-NUM-8, R-NUM-9), decided in SecoursCore for the service and the toolkit.
@Suite("Offline leases and sequence jumps")
struct ToolkitLeaseTests {
    let a = UUID()
    let b = UUID()

    @Test func aJournalIsCurrentRetriedOrACopy() {
        // the journal that made the last renewal
        #expect(ToolkitLease.verdict(service: 3, attempt: a, journal: .init(counter: 3, attempt: nil)) == .current)
        // the same journal, whose last answer was lost: it still holds the attempt it sent
        #expect(ToolkitLease.verdict(service: 4, attempt: a, journal: .init(counter: 3, attempt: a)) == .retried)
        // a copy taken before that renewal, or a backup: behind, with no attempt or another one
        #expect(ToolkitLease.verdict(service: 4, attempt: a, journal: .init(counter: 3, attempt: nil)) == .diverged)
        #expect(ToolkitLease.verdict(service: 4, attempt: a, journal: .init(counter: 3, attempt: b)) == .diverged)
        #expect(ToolkitLease.verdict(service: 5, attempt: a, journal: .init(counter: 3, attempt: a)) == .diverged)
        // ahead of the service (a restored service database): not this service's journal either
        #expect(ToolkitLease.verdict(service: 2, attempt: nil, journal: .init(counter: 3, attempt: nil)) == .diverged)
    }

    @Test func theSizeFollowsPastOutagesWithinBounds() {
        #expect(ToolkitLease.size(fromUsage: []) == ToolkitLease.defaultSize)
        #expect(ToolkitLease.size(fromUsage: [0, 0]) == ToolkitLease.defaultSize)
        #expect(ToolkitLease.size(fromUsage: [2, 3]) == ToolkitLease.defaultSize) // a quiet outage never shrinks it
        #expect(ToolkitLease.size(fromUsage: [4, 30, 12]) == 45)
        #expect(ToolkitLease.size(fromUsage: [1_000]) == ToolkitLease.sizedFromHistory.upperBound)
    }

    @Test func aTopUpAddsOnlyWhatWasUsed() {
        #expect(ToolkitLease.topUp(size: 20, remaining: 20) == 0)
        #expect(ToolkitLease.topUp(size: 20, remaining: 17) == 3)
        #expect(ToolkitLease.topUp(size: 10, remaining: 15) == 0) // a smaller size gives nothing back
    }

    @Test func aReleaseStepsTheSequenceBackWhereNothingWasIssuedAbove() {
        // lease 1–20, 1–3 used, nothing issued above: back to 3, no hole
        let none = ToolkitLease.release(segments: [1...20], used: [1, 2, 3], counter: 20, floor: 3)
        #expect(none.counter == 3 && none.holes.isEmpty && none.returned == 17)
        // 21 was generated above the lease: 4–20 stay holes, explained
        let above = ToolkitLease.release(segments: [1...20], used: [1, 2, 3], counter: 21, floor: 21)
        #expect(above.counter == 21 && above.holes == [4...20] && above.returned == 0)
        // a lease in two segments around a generated number: the top one goes back, the bottom stays a hole
        let split = ToolkitLease.release(segments: [2...21, 23...24], used: [2, 3], counter: 24, floor: 22)
        #expect(split.counter == 22 && split.holes == [4...21] && split.returned == 2)
        // another open lease above pins the counter
        let pinned = ToolkitLease.release(segments: [1...5], used: [], counter: 10, floor: 10)
        #expect(pinned.counter == 10 && pinned.holes == [1...5])
        // nothing used, nothing issued: the counter goes back to where it was before the lease
        #expect(ToolkitLease.release(segments: [1...20], used: [], counter: 20, floor: 0) == .init(counter: 0, holes: [], returned: 20))
    }

    @Test func rangesReadAsPeopleWriteThem() {
        #expect(ToolkitLease.text(ToolkitLease.merged([5...5, 1...3, 4...4, 9...12])) == "1–5, 9–12")
        #expect(ToolkitLease.text([]) == "")
    }

    @Test func aJumpIsQuestionedBeyondTheThreshold() {
        #expect(SequenceJump.unused(sequence: 31, lastUsed: 30, threshold: 50) == nil)
        #expect(SequenceJump.unused(sequence: 81, lastUsed: 30, threshold: 50) == nil) // 50 left unused: at the threshold
        #expect(SequenceJump.unused(sequence: 82, lastUsed: 30, threshold: 50) == 51)
        #expect(SequenceJump.unused(sequence: 9031, lastUsed: 30, threshold: 50) == 9000)
        #expect(SequenceJump.unused(sequence: 5, lastUsed: 30, threshold: 50) == nil) // filling a hole below
        let error = SequenceJump.error(number: "26FR007328E0001090311", unused: 9000, lastUsed: 30)
        #expect(error.code == "sequence_jump_unconfirmed" && error.kind == .conflict && error.fields.map(\.field) == ["number"])
    }

    @Test func anOutageMustNameAKnownServiceAndExciseNumbers() {
        func outage(service: String = "GAMMA", excise: [String] = ["FR007328E0001"]) -> ToolkitPush.Outage {
            .init(localID: 1, service: service, reason: "r", startedAt: Date(timeIntervalSince1970: 0), endedAt: Date(timeIntervalSince1970: 60),
                  endNote: nil, attempts: [], exciseNumbers: excise)
        }
        let now = Date(timeIntervalSince1970: 3600)
        #expect(throws: Never.self) { try outage().validate(now: now) }
        for bad in [outage(service: "AAA"), outage(service: "gamma"), outage(excise: []), outage(excise: ["FR00"])] {
            #expect(throws: SecoursError.self) { try bad.validate(now: now) }
        }
    }

    @Test func aDeviceNameIsCountedInCodePoints() {
        let composed = String(repeating: "é", count: 64) // 64 code points
        let decomposed = String(repeating: "e\u{0301}", count: 33) // 33 characters, 66 code points
        #expect(throws: Never.self) { try ToolkitSync.Device(id: a, name: composed).validName() }
        #expect(throws: SecoursError.self) { try ToolkitSync.Device(id: a, name: decomposed).validName() }
        #expect(throws: SecoursError.self) { try ToolkitSync.Device(id: a, name: "poste\u{0007}").validName() }
    }
}
