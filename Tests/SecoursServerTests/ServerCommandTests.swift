import Testing
@testable import SecoursServer

@Suite("secours-server command line")
struct ServerCommandTests {
    @Test func serveOptionsParse() throws {
        let command = try SecoursServerCommand.parseAsRoot(["serve", "--hostname", "0.0.0.0", "--port", "9090", "--database", "/tmp/x.sqlite", "--demo"])
        let serve = try #require(command as? Serve)
        #expect(serve.hostname == "0.0.0.0" && serve.port == 9090 && serve.demo)
        #expect(serve.db.database == "/tmp/x.sqlite")
    }

    @Test func unknownOptionIsAnError() {
        #expect(throws: (any Error).self) { try SecoursServerCommand.parseAsRoot(["serve", "--colour", "bleu"]) }
        #expect(throws: (any Error).self) { try SecoursServerCommand.parseAsRoot(["serve", "--port", "huit"]) }
    }
}
