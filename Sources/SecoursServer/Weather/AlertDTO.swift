import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

struct AlertDTO: Content {
    struct Bulletin: Content {
        let at: Date
        let text: String
        /// The message published with the end of the alert.
        let closing: Bool
    }

    let reference: String
    let level: String
    let services: [String]
    let modes: [String]
    let title: String
    let description: String
    let startedAt: Date
    let endedAt: Date?
    let publishedAt: Date
    /// Newest first.
    let bulletins: [Bulletin]

    init(_ e: AlertService.Entry) {
        let coverage = e.alert.coverage
        reference = e.alert.reference
        level = e.alert.level.rawValue
        services = coverage.services.map(\.rawValue)
        modes = coverage.modes.map(\.rawValue)
        title = e.alert.title
        description = e.alert.description
        startedAt = e.alert.startedAt
        endedAt = e.alert.endedAt
        publishedAt = e.alert.publishedAt
        bulletins = e.bulletins.reversed().map { Bulletin(at: $0.at, text: $0.text, closing: $0.closing) }
    }
}
