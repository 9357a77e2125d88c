/// Who may do what beyond a move on one document: alerts, episodes, assistance requests,
/// communications, the console, the toolkit, imports and administration. The server gathers the
/// facts (the account, and where needed whether a record is of its office or company); this is
/// the one place that decides.
extension Access {
    /// The account asking, as the rules see it.
    public struct Actor: Sendable, Equatable {
        public let role: Role
        /// An operator who administers its company's accounts and rights.
        public let companyAdmin: Bool
        /// Whether the account is attached to an office (officers).
        public let hasOffice: Bool

        public init(role: Role, companyAdmin: Bool = false, hasOffice: Bool = false) {
            self.role = role
            self.companyAdmin = companyAdmin
            self.hasOffice = hasOffice
        }
    }

    public enum Action: Sendable, Equatable {
        /// Publish an alert, add a bulletin, end it (R-MET-2): the CID's alone.
        case manageAlerts
        /// Create offices, companies, accounts and excise numbers: the CID's alone.
        case administerAccounts
        /// Replace an account's rights on an excise number: the CID, or an operator who
        /// administers its company (`sameCompany`: the excise number and the account are its own).
        case administerRights(sameCompany: Bool)
        /// Communicate a manual number to the office before departure (R-OFF-2).
        case communicateNumbers
        /// File a self-triggered assistance request (R-DIAG-3), or close one.
        case requestAssistance
        /// Keep the offline toolkit's state and push its journal (R-NUM-8).
        case syncToolkit
        /// Follow the office's console (R-OFF-1).
        case openConsole
        /// Revoke an offline device (stolen, lost): the CID, or an officer of an office where the
        /// device holds numbers (R-NUM-8).
        case revokeDevice(sameOffice: Bool)
        /// Declare an episode on an excise number: its office, or an account that may issue on it.
        case declareEpisode(Facts)
        /// Authorise or refuse a request to the office: the officers of the episode's office.
        case decideEpisode(sameOffice: Bool)
        /// Add evidence to an episode and close it: the operator's side or its office; the CID
        /// only reads.
        case actOnEpisode(sameOffice: Bool)
        /// Import documents in DTI mode without a toolkit device: DTI numbers are keyed in by
        /// hand, so a file of them comes from the toolkit, an EDI provider or the CID.
        case importForDTIWithoutDevice
    }

    public static func allows(_ action: Action, _ actor: Actor) -> Bool {
        let role = actor.role
        switch action {
        case .manageAlerts, .administerAccounts:
            return role == .cid
        case let .administerRights(sameCompany):
            return role == .cid || (role == .operator && actor.companyAdmin && sameCompany)
        case .communicateNumbers, .requestAssistance, .syncToolkit:
            return role.holdsRights
        case .openConsole:
            return role == .officer && actor.hasOffice
        case let .revokeDevice(sameOffice):
            return role == .cid || (role == .officer && sameOffice)
        case let .declareEpisode(facts):
            if role == .officer { return facts.sameOffice }
            return role.holdsRights && DocumentType.allCases.contains { allows(.issue($0), facts) }
        case let .decideEpisode(sameOffice):
            return role == .officer && sameOffice
        case let .actOnEpisode(sameOffice):
            return role.holdsRights || (role == .officer && sameOffice)
        case .importForDTIWithoutDevice:
            return role == .edi || role == .cid
        }
    }

    /// Whether the account may administer rights at all (before any record is looked up).
    public static func administersRights(_ actor: Actor) -> Bool {
        allows(.administerRights(sameCompany: true), actor)
    }

    /// Whether a record of another company is hidden from the account (it answers « not found »).
    public static func seesOtherCompanies(_ role: Role) -> Bool {
        role == .cid
    }

    /// Which excise numbers an account sees, and with which rights (R-ACC-2/3/4).
    public enum Reach: Sendable, Equatable {
        /// Every excise number, with every right: the CID and GAMMA's system account.
        case everything
        /// The excise numbers attached to the account's office, with every right: officers.
        case office
        /// The excise numbers it holds rights on, with those rights: operators and EDI providers.
        case rightsHeld
    }

    public static func reach(_ role: Role) -> Reach {
        switch role {
        case .cid, .system: .everything
        case .officer: .office
        case .operator, .edi: .rightsHeld
        }
    }

    /// Whose fallback records (episodes, assistance requests, communications) an account sees.
    public enum RecordReach: Sendable, Equatable {
        /// All of them: the CID.
        case all
        /// Those of its office: officers.
        case office
        /// Those of the excise numbers it may issue on: operators and EDI providers.
        case issuableExciseNumbers
        /// None: GAMMA's system account.
        case none
    }

    public static func recordReach(_ role: Role) -> RecordReach {
        switch role {
        case .cid: .all
        case .officer: .office
        case .operator, .edi: .issuableExciseNumbers
        case .system: .none
        }
    }

    /// An officer who generates for an operator phoning in authorises the fallback by doing so
    /// (the service opens an office-authorised episode when none covers the generation).
    public static func generationAuthorisesEpisode(_ role: Role) -> Bool {
        role == .officer
    }

    /// The CID is told when an excise number does not exist; everyone else only that it is
    /// outside their scope, so as not to reveal which numbers exist.
    public static func learnsUnknownExciseNumbers(_ role: Role) -> Bool {
        role == .cid
    }

    /// The navigation an account is offered: each entry shown only to those who may use it.
    public struct Navigation: Sendable, Equatable, Encodable {
        public let console: Bool
        public let communicate: Bool
        public let assistance: Bool
        public let alerts: Bool
        public let administration: Bool
        /// Which short menu the account gets: an operator's (operators and EDI providers, who
        /// issue on their own excise numbers), an officer's (the office's console first), or the
        /// CID's (the weather of the online services first).
        public let operatorMenu: Bool
        public let officerMenu: Bool
        public let cidMenu: Bool

        public init(_ actor: Actor) {
            console = Access.allows(.openConsole, actor)
            communicate = Access.allows(.communicateNumbers, actor)
            assistance = Access.allows(.requestAssistance, actor)
            alerts = Access.allows(.manageAlerts, actor)
            administration = Access.allows(.administerAccounts, actor)
            operatorMenu = actor.role.holdsRights
            officerMenu = actor.role == .officer
            cidMenu = actor.role == .cid
        }
    }
}

extension Role {
    /// Whether the account holds rights per excise number (operators and EDI providers); other
    /// roles act by their office or for everyone.
    public var holdsRights: Bool {
        self == .operator || self == .edi
    }

    /// Only an operator's account may administer its company.
    public var mayAdministerCompany: Bool {
        self == .operator
    }
}

extension Role {
    /// What a new account of this role is attached to.
    public enum Attachment: Sendable, Equatable {
        /// An operator works for one company.
        case company
        /// An EDI provider may be attached to a company (its own), or to none.
        case optionalCompany
        /// An officer belongs to one office.
        case office
        /// The CID and GAMMA's system account act for everyone.
        case none
    }

    public var attachment: Attachment {
        switch self {
        case .operator: .company
        case .edi: .optionalCompany
        case .officer: .office
        case .cid, .system: .none
        }
    }
}

extension Access {
    /// Whether an episode is declared by its own office (an officer of the excise number's
    /// office): no notice is sent to the office, and it may rest on the office's authorisation.
    public static func declaresAsOffice(_ facts: Facts) -> Bool {
        facts.role == .officer && facts.sameOffice
    }
}
