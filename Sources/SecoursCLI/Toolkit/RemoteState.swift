import Foundation

/// What `GET /api/v1/toolkit/state` answers: everything the toolkit needs to work offline. The
/// toolkit reads it with its own type (it never needs the server module to make a number).
struct RemoteState: Codable, Sendable, Equatable {
    struct Account: Codable, Sendable, Equatable {
        let login: String
        let email: String
        let role: String
    }

    struct Company: Codable, Sendable, Equatable {
        let siren: String
        let name: String
        let address: String
    }

    struct Office: Codable, Sendable, Equatable {
        let code: String
        let name: String
        let email: String
    }

    struct ExciseNumber: Codable, Sendable, Equatable {
        let number: String
        let mode: String
        let rights: [String]
        let issuableTypes: [String]
        let company: Company
        let office: Office
        /// The last sequence used this year (`RemoteState.year`), generated or manual.
        let lastSequence: Int
    }

    struct Alert: Codable, Sendable, Equatable {
        let reference: String
        let level: String
        let title: String
        let services: [String]
        let modes: [String]
        let startedAt: Date
    }

    struct Episode: Codable, Sendable, Equatable {
        let id: String
        let exciseNumber: String
        let service: String
        let basis: String
        let status: String
        let reason: String
        let requestedAt: Date
        let startedAt: Date?
    }

    let account: Account
    let serverTime: Date
    /// The Europe/Paris year the sequences are of.
    let year: Int
    let exciseNumbers: [ExciseNumber]
    let alerts: [Alert]
    let episodes: [Episode]
}
