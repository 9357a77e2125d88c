import Foundation
import SecoursCLI
#if canImport(Glibc)
import Glibc
#endif

/// The `secours` executable: the root command of SecoursCLI. `secours serve|migrate`
/// is handed over to `secours-server` before any parsing. (`@main` is what selects the
/// asynchronous entry point of swift-argument-parser on Linux.)
@main
struct Entry: AsyncParsableCommand {
    static let configuration = SecoursCommand.configuration

    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, ServerHandOver.commands.contains(first) {
            FileHandle.standardError.write(Data((ServerHandOver.run(arguments) + "\n").utf8))
            Glibc.exit(1)
        }
        await SecoursCommand.main()
    }
}
