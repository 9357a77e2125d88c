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

/// `secours sync`: while online, fetches what the toolkit needs offline.
struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Récupère (en ligne) ce qu'il faut pour travailler hors ligne : numéros d'accise, droits, bureau, dernières séquences, alertes, épisodes.",
        discussion: "L'envoi du journal au service (enregistrement a posteriori) n'est pas encore disponible : enregistrez les numéros du journal sur le site ou par l'API.")

    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await Toolkit.run(output) {
            let journal = try Journal.open(StateFolder.resolve())
            guard let session = try journal.session() else { throw ToolkitError.notLoggedIn }
            let state = try await ServerClient(server: session.server).state(token: session.token, login: session.login)
            let now = Date()
            try journal.replaceSyncedState(state, now: now)
            let pending = try journal.entries().filter { $0.syncState == "pending" }
            var lines = ["Synchronisé avec \(session.server) le \(Toolkit.french(now)) (compte \(state.account.login))."]
            if state.exciseNumbers.isEmpty {
                lines.append("Aucun numéro d'accise sur lequel ce compte peut émettre : demandez des droits à l'administrateur de votre société.")
            }
            for e in state.exciseNumbers {
                let types = e.issuableTypes.compactMap { DocumentType(rawValue: $0)?.label }.joined(separator: ", ")
                lines.append("  \(e.number) (\(e.mode), \(types)) : dernière séquence \(state.year) au service \(e.lastSequence) ; bureau \(e.office.name) <\(e.office.email)>")
            }
            lines.append("Alertes en cours : \(state.alerts.isEmpty ? "aucune" : state.alerts.map { "\($0.reference) (\($0.title))" }.joined(separator: " ; ")).")
            lines.append("Épisodes de secours demandés ou ouverts : \(state.episodes.isEmpty ? "aucun" : state.episodes.map { "\($0.exciseNumber) \($0.service) (\($0.status))" }.joined(separator: " ; ")).")
            if !pending.isEmpty {
                lines.append("""
                    \(pending.count) entrée(s) du journal non envoyée(s) : l'envoi automatique au service n'existe pas encore ; \
                    enregistrez-les a posteriori sur le site (« Enregistrer ») ou par l'API, puis gardez le journal.
                    """)
            }
            struct Out: Encodable { let syncedAt: Date; let server: String; let state: RemoteState; let pendingEntries: Int }
            return Reply(lines.joined(separator: "\n"), Out(syncedAt: now, server: session.server, state: state, pendingEntries: pending.count))
        }
    }
}
