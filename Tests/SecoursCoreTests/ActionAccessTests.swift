import Testing
@testable import SecoursCore

@Suite("Who may do what beyond document moves (R-ACC, R-MET-2, R-DIAG, R-OFF)")
struct ActionAccessTests {
    let operatorAdmin = Access.Actor(role: .operator, companyAdmin: true)
    let plainOperator = Access.Actor(role: .operator)
    let edi = Access.Actor(role: .edi)
    let officer = Access.Actor(role: .officer, hasOffice: true)
    let officerWithoutOffice = Access.Actor(role: .officer)
    let cid = Access.Actor(role: .cid)
    let system = Access.Actor(role: .system)

    var everyone: [Access.Actor] { [operatorAdmin, plainOperator, edi, officer, officerWithoutOffice, cid, system] }

    func allowed(_ action: Access.Action) -> Set<String> {
        Set(everyone.filter { Access.allows(action, $0) }.map { "\($0.role.rawValue)\($0.companyAdmin ? "+admin" : "")\($0.role == .officer && !$0.hasOffice ? "-office" : "")" })
    }

    @Test func alertsAndAdministrationAreTheCIDs() {
        #expect(allowed(.manageAlerts) == ["cid"])
        #expect(allowed(.administerAccounts) == ["cid"])
    }

    @Test func rightsAreAdministeredByTheCIDOrTheCompanysAdministrator() {
        #expect(allowed(.administerRights(sameCompany: true)) == ["cid", "operator+admin"])
        #expect(allowed(.administerRights(sameCompany: false)) == ["cid"])
        #expect(Access.administersRights(operatorAdmin) && !Access.administersRights(plainOperator) && !Access.administersRights(edi))
    }

    @Test func theOperatorsSideCommunicatesRequestsAssistanceAndSyncs() {
        for action in [Access.Action.communicateNumbers, .requestAssistance, .syncToolkit] {
            #expect(allowed(action) == ["operator+admin", "operator", "edi"], "\(action)")
        }
    }

    @Test func theConsoleIsForAnOfficerOfAnOffice() {
        #expect(allowed(.openConsole) == ["officer"])
    }

    @Test func episodes() {
        let issuer = Access.Facts(role: .operator, rights: [.issueDAA], sameOffice: false)
        let searcher = Access.Facts(role: .operator, rights: [.searchDAA], sameOffice: false)
        #expect(Access.allows(.declareEpisode(issuer), plainOperator))
        #expect(!Access.allows(.declareEpisode(searcher), plainOperator), "searching is not enough to declare")
        #expect(Access.allows(.declareEpisode(Access.Facts(role: .officer, rights: [], sameOffice: true)), officer))
        #expect(!Access.allows(.declareEpisode(Access.Facts(role: .officer, rights: [], sameOffice: false)), officer))
        #expect(!Access.allows(.declareEpisode(Access.Facts(role: .cid, rights: [], sameOffice: false)), cid), "the CID only reads episodes")
        #expect(allowed(.decideEpisode(sameOffice: true)) == ["officer", "officer-office"])
        #expect(allowed(.decideEpisode(sameOffice: false)) == [])
        #expect(allowed(.actOnEpisode(sameOffice: false)) == ["operator+admin", "operator", "edi"])
        #expect(allowed(.actOnEpisode(sameOffice: true)) == ["operator+admin", "operator", "edi", "officer", "officer-office"])
    }

    @Test func importsInDTIWithoutADevice() {
        #expect(allowed(.importForDTIWithoutDevice) == ["edi", "cid"])
    }

    @Test func reachOfEachRole() {
        #expect(Role.allCases.map(Access.reach) == [.rightsHeld, .office, .everything, .rightsHeld, .everything])
        #expect(Role.allCases.map(Access.recordReach) == [.issuableExciseNumbers, .office, .all, .issuableExciseNumbers, .none])
        #expect(Role.allCases.filter(\.holdsRights) == [.operator, .edi])
        #expect(Role.allCases.map(\.attachment) == [.company, .office, .none, .optionalCompany, .none])
    }

    @Test func navigationOffersOnlyWhatTheAccountMayUse() {
        #expect(Access.Navigation(plainOperator) == .init(plainOperator))
        let op = Access.Navigation(plainOperator), off = Access.Navigation(officer), c = Access.Navigation(cid)
        #expect(op.communicate && op.assistance && !op.console && !op.alerts && !op.administration)
        #expect(off.console && !off.communicate && !off.assistance && !off.alerts)
        #expect(c.alerts && c.administration && !c.console && !c.communicate)
    }
}
