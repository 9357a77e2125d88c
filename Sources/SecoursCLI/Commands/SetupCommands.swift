#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Foundation
import SecoursCore

/// `secours login`: while online, stores a token and the service's address in the state folder.
struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Se connecte au service (en ligne) et garde le jeton sur ce poste pour « secours sync ».",
        discussion: "Le mot de passe est demandé sans être affiché, ou lu dans SECOURS_PASSWORD. Dossier d'état : SECOURS_HOME, sinon $XDG_DATA_HOME/secours, sinon ~/.local/share/secours.")

    @Option(name: .long, help: "Adresse du service, par exemple https://secours.example.fr.") var server: String
    @Option(name: .long, help: "Identifiant du compte.") var login: String
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await Toolkit.run(output) {
            let base = try ServerClient.base(server)
            let login = self.login.trimmingCharacters(in: .whitespaces)
            guard !login.isEmpty else { throw ToolkitError.invalidOption("--login", "L'identifiant est obligatoire.") }
            guard let password = Password.read(prompt: "Mot de passe de \(login) sur \(base) : ") else { throw ToolkitError.noPassword }
            let token = try await ServerClient(server: base).token(login: login, password: password)
            let folder = StateFolder.resolve()
            let journal = try Journal.open(folder, create: true)
            try journal.saveSession(.init(server: base, login: login, token: token.token, expiresAt: token.expiresAt), now: Date())
            struct Out: Encodable { let server: String; let login: String; let expiresAt: Date; let stateFolder: String }
            return Reply("""
                Connecté à \(base) en tant que \(login) ; jeton valable jusqu'au \(Toolkit.french(token.expiresAt)).
                État gardé dans \(folder.path). Lancez maintenant « secours sync ».
                """, Out(server: base, login: login, expiresAt: token.expiresAt, stateFolder: folder.path))
        }
    }
}

/// Reads a password: `SECOURS_PASSWORD`, else from the terminal with echo turned off.
enum Password {
    static func read(prompt: String) -> String? {
        if let p = ProcessInfo.processInfo.environment["SECOURS_PASSWORD"], !p.isEmpty { return p }
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        _ = prompt.withCString { write(fd, $0, strlen($0)) }
        var saved = termios()
        let hasTerminal = tcgetattr(fd, &saved) == 0
        if hasTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(fd, TCSAFLUSH, &quiet)
        }
        defer {
            if hasTerminal { tcsetattr(fd, TCSAFLUSH, &saved) }
            _ = "\n".withCString { write(fd, $0, 1) }
        }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while readByte(fd, &byte), byte != UInt8(ascii: "\n") { bytes.append(byte) }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.isEmpty ? nil : text
    }
}

private func readByte(_ fd: Int32, _ byte: inout UInt8) -> Bool {
    #if canImport(Glibc)
    return Glibc.read(fd, &byte, 1) == 1
    #else
    return Darwin.read(fd, &byte, 1) == 1
    #endif
}

/// `secours sync`: while online, pushes the journal (registration a posteriori, communications,
/// outages), gives back the blocks of numbers it no longer needs and takes fresh ones, then
/// fetches what the toolkit needs offline. Run again after a cut, it finishes the job: the service
/// recognises what it already holds.
struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "En ligne : envoie le journal au service, renouvelle la réserve de numéros du poste, puis récupère ce qu'il faut pour travailler hors ligne.",
        discussion: """
            Sortie 0 : tout est enregistré. Sortie 2 : des entrées restent en conflit ou attendent leur départ (voir « secours journal »). \
            Sortie 1 : erreur (réseau, session) ; rien n'est perdu, relancez « secours sync ».
            """)

    @Option(name: .long, help: "Numéros réservés par numéro d'accise, pour les numéros manuels comme pour les LRN (défaut \(ToolkitSync.defaultBlockSize)).")
    var reserve: Int?
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await Toolkit.run(output) {
            if let reserve, !ToolkitSync.blockSizes.contains(reserve) {
                throw ToolkitError.invalidOption("--reserve", "Entre \(ToolkitSync.blockSizes.lowerBound) et \(ToolkitSync.blockSizes.upperBound).")
            }
            let journal = try Journal.open(StateFolder.resolve())
            guard let session = try journal.session() else { throw ToolkitError.notLoggedIn }
            let client = ServerClient(server: session.server)
            let device = try journal.device()

            // 1. Push, in batches; each answer is written to the journal before the next batch.
            let entries = try journal.entriesToPush()
            var outages = try journal.outagesToPush()
            var counts: [ToolkitPushResult.Outcome: Int] = [:]
            var episodes: [ToolkitPushResult.Outage] = []
            var refusedCommunications = 0
            var sent = 0
            let progress = entries.count > ToolkitSync.maxEntriesPerPush && !output.json
            for batch in stride(from: 0, to: max(entries.count, outages.isEmpty ? 0 : 1), by: ToolkitSync.maxEntriesPerPush) {
                let slice = Array(entries[batch..<min(batch + ToolkitSync.maxEntriesPerPush, entries.count)])
                let theseOutages = Array(outages.prefix(ToolkitSync.maxOutagesPerPush))
                outages.removeFirst(theseOutages.count)
                let result = try await client.push(ToolkitPush(device: device, entries: slice, outages: theseOutages), token: session.token, login: session.login)
                try journal.applyPush(result, outages: theseOutages.map(\.localID), now: Date())
                for e in result.entries {
                    counts[e.outcome, default: 0] += 1
                    if e.communication == .refused { refusedCommunications += 1 }
                }
                episodes += result.outages
                sent += slice.count
                if progress { FileHandle.standardError.write(Data("Envoi du journal : \(sent)/\(entries.count)\n".utf8)) }
            }

            // 2. Blocks: give back those the service now holds, take fresh ones.
            let release = try journal.settledBlocks()
            let reply = try await client.reserve(ToolkitReservationRequest(device: device, size: reserve, release: release),
                                                 token: session.token, login: session.login)
            try journal.replaceBlocks(reply.open)

            // 3. Pull.
            let state = try await client.state(token: session.token, login: session.login)
            let now = Date()
            try journal.replaceSyncedState(state, now: now)

            // 4. A fresh token, so that the laptop stays signed in for the longest outage the
            // service allows; the old one is no longer good. A refusal leaves the old one.
            var tokenLine: String
            do {
                let fresh = try await client.refresh(token: session.token, login: session.login)
                try journal.saveSession(.init(server: session.server, login: session.login, token: fresh.token, expiresAt: fresh.expiresAt), now: now)
                tokenLine = "Jeton renouvelé, valable jusqu'au \(Toolkit.french(fresh.expiresAt))."
            } catch {
                tokenLine = "Jeton non renouvelé (\((error as? ToolkitError)?.message ?? String(describing: error))) : il reste valable jusqu'au \(Toolkit.french(session.expiresAt))."
            }

            let journalEntries = try journal.entries()
            let conflicts = journalEntries.filter { $0.syncState == "conflict" }
            let waiting = journalEntries.filter { $0.syncState == "waiting" || $0.syncState == "pending" }
            var lines = ["Synchronisé avec \(session.server) le \(Toolkit.french(now)) (compte \(state.account.login), poste « \(device.name) »).", tokenLine]
            if !entries.isEmpty || !episodes.isEmpty {
                lines.append("Journal envoyé : \(counts[.registered] ?? 0) enregistré(s) a posteriori, \(counts[.alreadyRegistered] ?? 0) déjà connu(s) du service, \(counts[.conflict] ?? 0) en conflit, \(counts[.notYetDeparted] ?? 0) en attente du départ.")
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
            for r in reply.released {
                lines.append("Réserve rendue \(r.exciseNumber) \(r.kind == .lrn ? "LRN" : "séquences \(r.year ?? 0)") \(r.first)–\(r.last) : \(r.used ?? 0) utilisé(s)\(r.unused.map { $0.isEmpty ? "" : ", non utilisés \($0)" } ?? "").")
            }
            if state.exciseNumbers.isEmpty {
                lines.append("Aucun numéro d'accise sur lequel ce compte peut émettre : demandez des droits à l'administrateur de votre société.")
            }
            for e in state.exciseNumbers {
                let types = e.issuableTypes.compactMap { DocumentType(rawValue: $0)?.label }.joined(separator: ", ")
                let blocks = reply.open.filter { $0.exciseNumber == e.number }
                    .map { $0.kind == .lrn ? "LRN \($0.first)–\($0.last)" : "séquences \($0.first)–\($0.last)" }.joined(separator: ", ")
                lines.append("  \(e.number) (\(e.mode), \(types)) : dernière séquence \(state.year) au service \(e.lastSequence) ; réservé à ce poste : \(blocks.isEmpty ? "rien" : blocks) ; bureau \(e.office.name) <\(e.office.email)>")
            }
            lines.append("Alertes en cours : \(state.alerts.isEmpty ? "aucune" : state.alerts.map { "\($0.reference) (\($0.title))" }.joined(separator: " ; ")).")
            lines.append("Épisodes de secours demandés ou ouverts : \(state.episodes.isEmpty ? "aucun" : state.episodes.map { "\($0.exciseNumber) \($0.service) (\($0.status))" }.joined(separator: " ; ")).")
            if !conflicts.isEmpty {
                lines.append("\(conflicts.count) entrée(s) en conflit :")
                lines += conflicts.prefix(20).map { "  \($0.number) : \($0.syncDetail ?? "")" }
                lines.append(ToolkitText.conflictHint)
            }
            if !waiting.isEmpty { lines.append("\(waiting.count) entrée(s) attendent leur départ : elles seront enregistrées à une prochaine synchronisation.") }
            struct Counts: Encodable { let registered: Int; let alreadyRegistered: Int; let conflict: Int; let notYetDeparted: Int }
            struct Out: Encodable {
                let syncedAt: Date; let server: String; let device: ToolkitSync.Device
                let pushed: Counts; let episodes: [ToolkitPushResult.Outage]
                let reservations: [ToolkitReservation]; let released: [ToolkitReservation]
                let state: ToolkitState; let conflicts: [Journal.Entry]; let waitingEntries: Int; let complete: Bool
            }
            let complete = conflicts.isEmpty && waiting.isEmpty
            return Reply(lines.joined(separator: "\n"),
                         Out(syncedAt: now, server: session.server, device: device,
                             pushed: Counts(registered: counts[.registered] ?? 0, alreadyRegistered: counts[.alreadyRegistered] ?? 0,
                                            conflict: counts[.conflict] ?? 0, notYetDeparted: counts[.notYetDeparted] ?? 0),
                             episodes: episodes, reservations: reply.open, released: reply.released, state: state,
                             conflicts: conflicts, waitingEntries: waiting.count, complete: complete),
                         status: complete ? 0 : 2)
        }
    }
}
