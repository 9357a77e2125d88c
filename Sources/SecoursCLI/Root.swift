@_exported import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SecoursCore

/// `secours`: the offline toolkit, and the door to the service. `serve` and `migrate` are run
/// by the `secours-server` executable installed beside this one: the toolkit
/// does not carry the web service, so that a command typed in a hurry starts at once.
@available(macOS 10.15, *)
public struct SecoursCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "secours",
        abstract: "Secours – procédure de secours EMCS/GAMM@.",
        version: SecoursVersion.current,
        subcommands: [ServerHandOver.Serve.self, ServerHandOver.Migrate.self, Verify.self, Login.self, Sync.self, Logout.self, Number.self, LRN.self,
                      Form.self, Message.self, Outage.self, JournalCommand.self]
    )

    public init() {}
}

/// Offline check of a number (R-NUM-7): says what kind of number it is, or exactly what is wrong.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Vérifie un numéro (CRAPS généré ou manuel, LRN GAMMA 2, ARC, numéro d'accise), sans réseau.")

    @Argument(help: "Le numéro à vérifier.") var number: String

    func run() throws {
        let report = NumberReport.describe(number)
        print(report.text)
        if !report.valid { throw ExitCode(1) }
    }
}

/// The service's commands, run by `secours-server` beside this executable with the same arguments.
public enum ServerHandOver {
    /// The subcommands that belong to `secours-server`.
    public static let commands: Set<String> = ["serve", "migrate"]

    /// `secours serve …` becomes `secours-server serve …` in the same process (`exec`): same
    /// process id, same signals, same exit status. Returns only on failure, with the reason.
    public static func run(_ arguments: [String]) -> String {
        let server = serverExecutable()
        guard FileManager.default.isExecutableFile(atPath: server) else {
            return "« secours-server » est introuvable à côté de « secours » (\(server)). Installez les deux ensemble ; " +
                "depuis les sources, « swift build » construit les deux."
        }
        let argv = ([server] + arguments).map { strdup($0) } + [nil]
        execv(server, argv)
        return "Impossible de lancer \(server) : \(String(cString: strerror(errno)))."
    }

    /// The path of `secours-server` in the folder of the running executable.
    static func serverExecutable() -> String {
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        return URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent("secours-server").path
    }

    /// The entries of `secours --help`; `secours serve …` is handed over before any parsing, so
    /// these run only if the hand-over is bypassed (a test parsing the root command).
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve", abstract: "Démarre le service web et l'API (« secours serve --help » pour ses options).")
        @Argument(parsing: .captureForPassthrough) var arguments: [String] = []
        func run() throws { throw ValidationError(ServerHandOver.run(["serve"] + arguments)) }
    }

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate", abstract: "Applique les migrations de la base puis s'arrête (« secours migrate --help »).")
        @Argument(parsing: .captureForPassthrough) var arguments: [String] = []
        func run() throws { throw ValidationError(ServerHandOver.run(["migrate"] + arguments)) }
    }
}
