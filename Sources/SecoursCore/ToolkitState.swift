import Foundation

/// What `GET /api/v1/toolkit/state` answers and `secours sync` keeps: everything the offline
/// toolkit needs to work with no network. One definition, written by the service and read by the
/// toolkit.
public struct ToolkitState: Codable, Sendable, Equatable {
    public struct Account: Codable, Sendable, Equatable {
        public let login: String
        public let email: String
        public let role: String

        public init(login: String, email: String, role: String) {
            self.login = login
            self.email = email
            self.role = role
        }
    }

    public struct Company: Codable, Sendable, Equatable {
        public let siren: String
        public let name: String
        public let address: String

        public init(siren: String, name: String, address: String) {
            self.siren = siren
            self.name = name
            self.address = address
        }
    }

    public struct Office: Codable, Sendable, Equatable {
        public let code: String
        public let name: String
        public let email: String

        public init(code: String, name: String, email: String) {
            self.code = code
            self.name = name
            self.email = email
        }
    }

    public struct ExciseNumber: Codable, Sendable, Equatable {
        public let number: String
        public let mode: String
        public let rights: [String]
        public let issuableTypes: [String]
        public let company: Company
        public let office: Office
        /// The last sequence used this year (`ToolkitState.year`), generated, manual or reserved.
        public let lastSequence: Int

        public init(number: String, mode: String, rights: [String], issuableTypes: [String], company: Company, office: Office, lastSequence: Int) {
            self.number = number
            self.mode = mode
            self.rights = rights
            self.issuableTypes = issuableTypes
            self.company = company
            self.office = office
            self.lastSequence = lastSequence
        }
    }

    public struct Alert: Codable, Sendable, Equatable {
        public let reference: String
        public let level: String
        public let title: String
        public let services: [String]
        public let modes: [String]
        public let startedAt: Date

        public init(reference: String, level: String, title: String, services: [String], modes: [String], startedAt: Date) {
            self.reference = reference
            self.level = level
            self.title = title
            self.services = services
            self.modes = modes
            self.startedAt = startedAt
        }
    }

    public struct Episode: Codable, Sendable, Equatable {
        public let id: UUID
        public let exciseNumber: String
        public let service: String
        public let basis: String
        public let status: String
        public let reason: String
        public let requestedAt: Date
        public let startedAt: Date?

        public init(id: UUID, exciseNumber: String, service: String, basis: String, status: String, reason: String, requestedAt: Date, startedAt: Date?) {
            self.id = id
            self.exciseNumber = exciseNumber
            self.service = service
            self.basis = basis
            self.status = status
            self.reason = reason
            self.requestedAt = requestedAt
            self.startedAt = startedAt
        }
    }

    public let account: Account
    public let serverTime: Date
    /// The Europe/Paris year of `serverTime`, the year of `lastSequence`.
    public let year: Int
    public let exciseNumbers: [ExciseNumber]
    public let alerts: [Alert]
    public let episodes: [Episode]

    public init(account: Account, serverTime: Date, year: Int, exciseNumbers: [ExciseNumber], alerts: [Alert], episodes: [Episode]) {
        self.account = account
        self.serverTime = serverTime
        self.year = year
        self.exciseNumbers = exciseNumbers
        self.alerts = alerts
        self.episodes = episodes
    }
}
