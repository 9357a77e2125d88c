/// Who may do what on an excise number (R-ACC-2/3/4). The server gathers the facts (rights
/// held, same office); this is the one place that decides.
public enum Access {
    public struct Facts: Sendable, Equatable {
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

extension Access {
    /// Who may move a document of this type (R-GPS-3/4/5): cancelling needs the issuing right;
    /// reactivating is for the office of attachment (and the CID); reintegrating needs the issuing
    /// right, or is reported by GAMMA itself. Inactivation is the service's alone.
    public static func allows(_ move: StatusMove, of type: DocumentType, _ facts: Facts) -> Bool {
        switch move {
        case .cancel: allows(.issue(type), facts)
        case .reactivate: facts.role == .cid || (facts.role == .officer && facts.sameOffice)
        case .reintegrate: facts.role == .system || allows(.issue(type), facts)
        case .inactivate: false
        }
    }
}
