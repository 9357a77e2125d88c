import SecoursCLI

/// The `secours` executable: the root command of SecoursCLI, nothing else. (`@main` is what
/// selects the asynchronous entry point of swift-argument-parser on Linux.)
@main
struct Entry: AsyncParsableCommand {
    static let configuration = SecoursCommand.configuration

    /// Before any thread starts: the allocator setting of the server (see `limitMallocArenas`).
    static func main() async {
        limitMallocArenas()
        await SecoursCommand.main()
    }
}
