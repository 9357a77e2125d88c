import Testing
@testable import SecoursCLI

@Suite("secours command line")
struct CommandTests {
    @Test func serveOptionsParse() throws {
        let command = try SecoursCommand.parseAsRoot(["serve", "--hostname", "0.0.0.0", "--port", "9090", "--database", "/tmp/x.sqlite", "--demo"])
        let serve = try #require(command as? Serve)
        #expect(serve.hostname == "0.0.0.0" && serve.port == 9090 && serve.demo)
        #expect(serve.db.database == "/tmp/x.sqlite")
    }

    @Test func unknownOptionIsAnError() {
        #expect(throws: (any Error).self) { try SecoursCommand.parseAsRoot(["serve", "--colour", "bleu"]) }
        #expect(throws: (any Error).self) { try SecoursCommand.parseAsRoot(["serve", "--port", "huit"]) }
    }

    @Test func verifyParsesItsArgument() throws {
        let command = try SecoursCommand.parseAsRoot(["verify", "16GB00000000000192223"])
        #expect((command as? Verify)?.number == "16GB00000000000192223")
    }
}
