import ArgumentParser
import SecoursServer

/// The `secours-server` executable: the web service and its database commands (`serve`,
/// `migrate`), usually reached as `secours serve …`.
@main
struct Entry: AsyncParsableCommand {
    static let configuration = SecoursServerCommand.configuration

    /// Before any thread starts: the allocator setting of the server (see `limitMallocArenas`).
    static func main() async {
        limitMallocArenas()
        await SecoursServerCommand.main()
    }
}
