import SecoursCLI

/// The `secours` executable: the root command of SecoursCLI, nothing else. (`@main` is what
/// selects the asynchronous entry point of swift-argument-parser on Linux.)
@main
struct Entry: AsyncParsableCommand {
    static let configuration = SecoursCommand.configuration
}
