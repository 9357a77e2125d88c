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
/// outages), renews this laptop's lease of numbers in place (only as many as were used: syncing
/// spends no number), then fetches what the toolkit needs offline. Run again after a cut, it
/// finishes the job: the service recognises what it already holds.
struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "En ligne : envoie le journal au service, complète la réserve de numéros du poste, puis récupère ce qu'il faut pour travailler hors ligne.",
        discussion: """
            La réserve de numéros de ce poste n'est pas rendue à chaque synchronisation : elle est complétée d'autant de numéros qu'il en a \
            utilisés, si bien que synchroniser ne laisse aucun trou dans la séquence. Sa taille suit l'usage passé du poste pendant ses \
            coupures (\(ToolkitLease.defaultSize) sans historique, --reserve pour la choisir). \
            Sortie 0 : tout est enregistré. Sortie 2 : des entrées restent en conflit ou attendent leur départ (voir « secours journal »), \
            ou le journal est en double. Sortie 1 : erreur (réseau, session) ; rien n'est perdu, relancez « secours sync ».
            """)

    @Option(name: .long, help: "Numéros gardés en réserve par numéro d'accise, pour les numéros manuels comme pour les LRN (défaut : selon l'usage passé du poste).")
    var reserve: Int?
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await Toolkit.run(output) {
            if let reserve, !ToolkitLease.sizes.contains(reserve) {
                throw ToolkitError.invalidOption("--reserve", "Entre \(ToolkitLease.sizes.lowerBound) et \(ToolkitLease.sizes.upperBound).")
            }
            let journal = try Journal.open(StateFolder.resolve())
            guard let session = try journal.session() else { throw ToolkitError.notLoggedIn }
            let client = ServerClient(server: session.server)
            let device = try journal.device()

            // 1. Push, in batches; each answer is written to the journal before the next batch.
            let pushed = try await JournalPush.run(journal: journal, client: client, session: session, device: device, progress: !output.json)

            // 2. The lease, renewed in place (not when a second journal was seen on it: frozen).
            var reply: ToolkitReservationReply?
            if pushed.duplicateJournal == nil {
                let year = try journal.syncInfo()?.year ?? ParisDay(Date()).year
                let request = ToolkitReservationRequest(device: device, lease: try journal.beginRenewal(), size: try reserve ?? journal.leaseSize(),
                                                        used: try journal.segmentUse(),
                                                        release: try journal.pastYearSegmentsSettled(before: max(year, ParisDay(Date()).year)))
                reply = try await client.reserve(request, token: session.token, login: session.login)
                try journal.endRenewal(reply!)
            }

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
            let conflicts = journalEntries.filter { $0.syncState == .conflict }
            let waiting = journalEntries.filter { $0.syncState.isUnsent }
            let blocks = try journal.blocks()
            var lines = ["Synchronisé avec \(session.server) le \(Toolkit.french(now)) (compte \(state.account.login), poste « \(device.name) »).", tokenLine]
            if let duplicate = pushed.duplicateJournal { lines.append("ATTENTION : \(duplicate)") }
            lines += pushed.lines
            for r in reply?.released ?? [] { lines.append(ToolkitText.released(r)) }
            if state.exciseNumbers.isEmpty {
                lines.append("Aucun numéro d'accise sur lequel ce compte peut émettre : demandez des droits à l'administrateur de votre société.")
            }
            for e in state.exciseNumbers {
                let types = e.issuableTypes.compactMap { DocumentType(rawValue: $0)?.label }.joined(separator: ", ")
                lines.append("  \(e.number) (\(e.mode), \(types)) : \(ToolkitText.reserve(blocks.filter { $0.exciseNumber == e.number })) ; bureau \(e.office.name) <\(e.office.email)>")
            }
            lines.append("Alertes en cours : \(state.alerts.isEmpty ? "aucune" : state.alerts.map { "\($0.reference) (\($0.title))" }.joined(separator: " ; ")).")
            lines.append("Épisodes de secours demandés ou ouverts : \(state.episodes.isEmpty ? "aucun" : state.episodes.map { "\($0.exciseNumber) \($0.service) (\($0.status))" }.joined(separator: " ; ")).")
            if !conflicts.isEmpty {
                lines.append("\(conflicts.count) entrée(s) en conflit :")
                lines += conflicts.prefix(20).map { "  \($0.number) : \($0.syncDetail ?? "")" }
                lines.append(ToolkitText.conflictHint)
            }
            if !waiting.isEmpty { lines.append("\(waiting.count) entrée(s) attendent leur départ : elles seront enregistrées à une prochaine synchronisation.") }
            struct Held: Encodable { let exciseNumber: String; let kind: DocumentKind; let year: Int?; let first: Int; let last: Int; let remaining: Int }
            struct Out: Encodable {
                let syncedAt: Date; let server: String; let device: ToolkitSync.Device
                let pushed: JournalPush.Counts; let episodes: [ToolkitPushResult.Outage]
                let reservations: [ToolkitReservation]; let held: [Held]; let released: [ToolkitReservation]
                let duplicateJournal: String?
                let state: ToolkitState; let conflicts: [Journal.Entry]; let waitingEntries: Int; let complete: Bool
            }
            let complete = conflicts.isEmpty && waiting.isEmpty && pushed.duplicateJournal == nil
            return Reply(lines.joined(separator: "\n"),
                         Out(syncedAt: now, server: session.server, device: device, pushed: pushed.counts, episodes: pushed.episodes,
                             reservations: reply?.open ?? [],
                             held: blocks.map { Held(exciseNumber: $0.exciseNumber, kind: $0.kind, year: $0.year, first: $0.first, last: $0.last, remaining: $0.remaining) },
                             released: reply?.released ?? [], duplicateJournal: pushed.duplicateJournal, state: state,
                             conflicts: conflicts, waitingEntries: waiting.count, complete: complete),
                         status: complete ? 0 : 2)
        }
    }
}

/// `secours logout`: the laptop is retired. Its journal is pushed first; once the service holds
/// every number it made, its lease is given back (where nothing above it was issued, the sequence
/// steps back and no hole remains) and the session is closed. The journal keeps its entries;
/// `secours login` starts again as a new device with a lease of its own.
struct Logout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "En ligne : envoie le journal, rend au service la réserve de numéros de ce poste, puis ferme la session.",
        discussion: """
            À faire quand le poste est retiré (remplacé, rendu, réinstallé). Refusé tant qu'une entrée du journal n'est pas enregistrée \
            au service (en attente du départ ou en conflit) : ses numéros sont peut-être sur papier. Un poste perdu ou volé ne se retire \
            pas : demandez à votre bureau de le révoquer.
            """)

    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await Toolkit.run(output) {
            let journal = try Journal.open(StateFolder.resolve())
            guard let session = try journal.session() else { throw ToolkitError.notLoggedIn }
            let client = ServerClient(server: session.server)
            let device = try journal.device()
            let pushed = try await JournalPush.run(journal: journal, client: client, session: session, device: device, progress: !output.json)
            struct Out: Encodable { let device: ToolkitSync.Device; let pushed: JournalPush.Counts; let released: [ToolkitReservation]; let frozen: Bool }
            if let duplicate = pushed.duplicateJournal {
                // Two journals on one lease: it stays frozen on the service whatever is done here,
                // so this computer may leave it and start again with a lease of its own.
                try journal.retireDevice()
                let lines = pushed.lines + ["ATTENTION : \(duplicate)", ToolkitText.frozenLeaseLeft(device.name)]
                return Reply(lines.joined(separator: "\n"), Out(device: device, pushed: pushed.counts, released: [], frozen: true))
            }
            let unsettled = try journal.unsettledEntries()
            guard unsettled.isEmpty else { throw ToolkitError.unsettledJournal(unsettled.map(\.number)) }
            let reply = try await client.retire(ToolkitRetireRequest(device: device, lease: try journal.leaseProof()), token: session.token, login: session.login)
            try journal.retireDevice()
            var lines = pushed.lines
            lines += reply.released.map(ToolkitText.released)
            if reply.released.isEmpty { lines.append("Ce poste ne détenait aucun numéro réservé.") }
            lines.append("Session fermée sur ce poste (« \(device.name) »). Le journal garde ses entrées ; « secours login » reprend avec une nouvelle réserve.")
            return Reply(lines.joined(separator: "\n"), Out(device: device, pushed: pushed.counts, released: reply.released, frozen: false))
        }
    }
}
