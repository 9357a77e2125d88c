import Testing
@testable import SecoursCore

@Suite struct LanguageTests {
    @Test func aChoiceWinsOverTheBrowser() {
        #expect(Language.negotiate(choice: "en", acceptLanguage: "fr-FR,fr;q=0.9") == .en)
        #expect(Language.negotiate(choice: "fr", acceptLanguage: "en-GB") == .fr)
        // A choice we do not speak is no choice.
        #expect(Language.negotiate(choice: "de", acceptLanguage: "en") == .en)
    }

    @Test func theBrowsersBestLanguageWeSpeakIsTaken() {
        #expect(Language.negotiate(choice: nil, acceptLanguage: "en-US,en;q=0.9") == .en)
        #expect(Language.negotiate(choice: nil, acceptLanguage: "de-DE, en;q=0.5, fr;q=0.8") == .fr)
        #expect(Language.negotiate(choice: nil, acceptLanguage: "de-DE, en;q=0.5") == .en)
        #expect(Language.negotiate(choice: nil, acceptLanguage: "fr;q=0.3, EN-gb;q=0.7") == .en)
        // Equal weights: the first one listed.
        #expect(Language.negotiate(choice: nil, acceptLanguage: "en;q=0.5, fr;q=0.5") == .en)
    }

    @Test func frenchWhenNothingUsableIsSaid() {
        #expect(Language.negotiate(choice: nil, acceptLanguage: nil) == .fr)
        #expect(Language.negotiate(choice: nil, acceptLanguage: "") == .fr)
        #expect(Language.negotiate(choice: nil, acceptLanguage: "de, es;q=0.8") == .fr)
        #expect(Language.negotiate(choice: nil, acceptLanguage: "*") == .fr)
        // q=0 means "not this one"; a weight that is not a number in [0, 1] counts as 0.
        #expect(Language.negotiate(choice: nil, acceptLanguage: "en;q=0") == .fr)
        #expect(Language.negotiate(choice: nil, acceptLanguage: "en;q=abc, de") == .fr)
        #expect(Language.negotiate(choice: nil, acceptLanguage: "en;q=2") == .fr)
        #expect(Language.negotiate(choice: nil, acceptLanguage: ";;,, ;q=1") == .fr)
    }

    @Test func aTextIsPickedInTheLanguageOfTheTask() async {
        #expect(localized("bonjour", "hello") == "bonjour")
        Language.$current.withValue(.en) {
            #expect(localized("bonjour", "hello") == "hello")
        }
        await Language.$current.withValue(.en) {
            // A child task keeps the language.
            let inChild = await Task { localized("bonjour", "hello") }.value
            #expect(inChild == "hello")
        }
    }
}
