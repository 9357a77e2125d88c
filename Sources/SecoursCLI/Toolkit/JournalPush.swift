import Foundation
import SecoursCore

/// The first step of `secours sync` and `secours logout`: the journal's entries and ended outages
/// pushed in batches, each answer written to the journal before the next batch, every call
/// carrying the journal's lease proof.
enum JournalPush {
    struct Counts: Encodable {
        var registered = 0
        var alreadyRegistered = 0
        var conflict = 0
        var notYetDeparted = 0
    }

    struct Summary {
        var counts = Counts()
        var episodes: [ToolkitPushResult.Outage] = []
        var refusedCommunications = 0
        var sent = 0
        /// The service's words when it saw a second journal on this laptop's lease.
        var duplicateJournal: String?

        /// What the user reads of the push.
        var lines: [String] {
            var lines: [String] = []
            if sent > 0 || !episodes.isEmpty {
                lines.append("Journal envoyé : \(counts.registered) enregistré(s) a posteriori, \(counts.alreadyRegistered) déjà connu(s) du service, \(counts.conflict) en conflit, \(counts.notYetDeparted) en attente du départ.")
            }
            if refusedCommunications > 0 { lines.append("\(refusedCommunications) communication(s) au bureau refusée(s) : voir « secours journal ».") }
            for e in episodes {
                let what = switch e.outcome {
                case .created: "devenue l'épisode de secours"
                case .attached: "jointe comme preuve à l'épisode en cours"
                case .already: "déjà reçue : épisode"
                }
                lines.append("Coupure \(e.localID) pour \(e.exciseNumber) : \(what) \(e.episodeID.uuidString.lowercased()).")
            }
            return lines
        }
    }

    static func run(journal: Journal, client: ServerClient, session: Journal.Session, device: ToolkitSync.Device, progress: Bool) async throws(ToolkitError) -> Summary {
        let entries = try journal.entriesToPush()
        var outages = try journal.outagesToPush()
        var summary = Summary()
        let showProgress = entries.count > ToolkitSync.maxEntriesPerPush && progress
        // At least one call, even with nothing to send: it proves which journal this is, so that a
        // copied journal is caught before anything else.
        repeat {
            let slice = Array(entries[summary.sent..<min(summary.sent + ToolkitSync.maxEntriesPerPush, entries.count)])
            let theseOutages = Array(outages.prefix(ToolkitSync.maxOutagesPerPush))
            outages.removeFirst(theseOutages.count)
            let result = try await client.push(ToolkitPush(device: device, lease: try journal.leaseProof(), entries: slice, outages: theseOutages),
                                               token: session.token, login: session.login)
            try journal.applyPush(result, outages: theseOutages.map(\.localID), now: Date())
            for e in result.entries {
                switch e.outcome {
                case .registered: summary.counts.registered += 1
                case .alreadyRegistered: summary.counts.alreadyRegistered += 1
                case .conflict: summary.counts.conflict += 1
                case .notYetDeparted: summary.counts.notYetDeparted += 1
                }
                if e.communication == .refused { summary.refusedCommunications += 1 }
            }
            summary.duplicateJournal = result.duplicateJournal ?? summary.duplicateJournal
            summary.episodes += result.outages
            summary.sent += slice.count
            if showProgress { FileHandle.standardError.write(Data("Envoi du journal : \(summary.sent)/\(entries.count)\n".utf8)) }
        } while summary.sent < entries.count || !outages.isEmpty
        return summary
    }
}
