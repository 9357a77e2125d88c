/// Who may do what on an excise number (R-ACC-2/3/4). The server gathers the facts (rights
/// held, same office); this is the one place that decides.
public enum Access {
    public struct Facts: Sendable {
        public let role: Role
        /// Rights the account holds on this excise number (operators and EDI providers).
        public let rights: Set<Right>
        /// Whether the excise number is attached to the account's office (officers).
        public let sameOffice: Bool

        public init(role: Role, rights: Set<Right>, sameOffice: Bool) {
            self.role = role
            self.rights = rights
            self.sameOffice = sameOffice
        }
    }

    public static func allows(_ needed: Right, _ facts: Facts) -> Bool {
        switch facts.role {
        case .cid: true
        // An officer acts for the operators of its office, e.g. one who phones in.
        case .officer: facts.sameOffice
        case .operator, .edi: facts.rights.contains(needed)
        // GAMMA reads documents to reintegrate them; it never issues.
        case .system: needed == .searchDAA || needed == .searchDSA
        }
    }

    /// Whether the account can see at least one kind of document of this excise number.
    public static func seesAnything(_ facts: Facts) -> Bool {
        allows(.searchDAA, facts) || allows(.searchDSA, facts) || allows(.issueDAA, facts) || allows(.issueDSA, facts)
    }
}
