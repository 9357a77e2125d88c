import Testing
@testable import SecoursCore

@Suite("The episode status machine (R-DIAG-2, R-DIAG-3)")
struct EpisodeMachineTests {
    /// Every (status, move) pair: where it leads, or nil when refused.
    static let expected: [EpisodeStatus: [EpisodeMove: EpisodeStatus]] = [
        .requested: [.openBySilence: .open, .authorise: .open, .refuse: .refused, .end: .closed],
        .open: [.end: .closed, .closeWithAssistanceRequest: .closed],
        .refused: [:],
        .closed: [:],
    ]

    @Test(arguments: EpisodeStatus.allCases)
    func everyMoveFromEveryStatus(_ status: EpisodeStatus) {
        for move in EpisodeMove.allCases {
            let after = try? status.applying(move)
            #expect(after == Self.expected[status]?[move], "\(status.rawValue) + \(move.rawValue)")
        }
    }

    @Test func theOfficeAnswersOnlyAPendingRequest() throws {
        for status in [EpisodeStatus.open, .refused, .closed] {
            #expect(throws: SecoursError.self) { try status.applying(.authorise) }
            do {
                _ = try status.applying(.refuse)
                Issue.record("refusing a \(status.rawValue) episode was accepted")
            } catch {
                #expect(error.code == "episode_not_pending")
                #expect(error.kind == .conflict)
                #expect(error.message.contains(status.label.lowercased()))
            }
        }
        // An episode opened by the office's silence says why it no longer waits for an answer.
        do {
            _ = try EpisodeStatus.open.applying(.authorise, basis: .officeSilence)
            Issue.record("authorising an episode opened by silence was accepted")
        } catch {
            #expect(error.message.contains("faute de réponse dans le délai"))
        }
    }

    @Test func anEpisodeOverCannotEndAgain() {
        for status in [EpisodeStatus.refused, .closed] {
            do {
                _ = try status.applying(.end)
                Issue.record("ending a \(status.rawValue) episode was accepted")
            } catch {
                #expect(error.code == "episode_over")
            }
        }
    }

    @Test func movesSetTheirStartEndAndBasis() {
        #expect(EpisodeMove.openBySilence.basis == .officeSilence && EpisodeMove.openBySilence.starts)
        #expect(EpisodeMove.authorise.starts && !EpisodeMove.authorise.ends && EpisodeMove.authorise.basis == nil)
        #expect(EpisodeMove.refuse.ends && !EpisodeMove.refuse.starts)
        #expect(EpisodeMove.end.ends && EpisodeMove.closeWithAssistanceRequest.ends)
        #expect(EpisodeMove.allCases.map(\.event) == [.openedBySilence, .authorised, .refused, .closed, .closed])
        // The move's `from` is exactly the statuses it applies from.
        for move in EpisodeMove.allCases {
            #expect(move.from == Set(EpisodeStatus.allCases.filter { (try? $0.applying(move)) != nil }))
        }
    }

    @Test func howAnEpisodeBegins() {
        let asked = EpisodeStart(basis: .officeAuthorisation, declaredByOffice: false)
        #expect(asked.status == .requested && asked.event == .requested)
        #expect(EpisodeStart(basis: .officeAuthorisation, declaredByOffice: true).status == .open)
        #expect(EpisodeStart(basis: .officeAuthorisation, declaredByOffice: true).event == .authorised)
        for basis in EpisodeBasis.allCases where basis != .officeAuthorisation {
            for office in [false, true] {
                let start = EpisodeStart(basis: basis, declaredByOffice: office)
                #expect(start.status == .open && start.event == .opened, "\(basis.rawValue)")
            }
        }
    }
}
