import Fluent
import Foundation
import SecoursCore
import SQLKit
import Vapor

/// `GET /api/v1/alerts` (public) and the CID's `POST /api/v1/alerts…`.
struct AlertsAPIController {
    struct Board: Content {
        struct Cell: Content {
            let service: String
            let mode: String
            let state: String
        }
        /// Every service in every mode.
        let weather: [Cell]
        let current: [AlertDTO]
        /// The most recent ended alerts, newest first.
        let past: [AlertDTO]
    }

    func board(req: Request) async throws -> Board {
        let (current, past) = try await AlertService(db: req.db).board()
        let weather = AlertService.weather(current)
        let cells = OnlineService.allCases.flatMap { s in
            TransmissionMode.allCases.map { m in Board.Cell(service: s.rawValue, mode: m.rawValue, state: weather.state(s, m).rawValue) }
        }
        return Board(weather: cells, current: current.map(AlertDTO.init), past: past.map(AlertDTO.init))
    }

    /// `GET /api/v1/alerts/{reference}`: one alert, public like the board (where `Location` points).
    func show(req: Request) async throws -> AlertDTO {
        AlertDTO(try await AlertService(db: req.db).entry(try req.parameters.require("reference")))
    }

    func publish(req: Request) async throws -> Response {
        let now = req.application.secours.now()
        let principal = try req.principal()
        try principal.require(.manageAlerts)
        let valid = try req.content.decode(AlertRequest.self).validate(now: now)
        let entry = try await AlertService(db: req.db).publish(valid, by: principal, now: now)
        await req.application.secours.alertsChanged()
        let response = try await AlertDTO(entry).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: APIURL.alert(entry.alert.reference).path)
        return response
    }

    struct TextBody: Content { let text: String? }

    func addBulletin(req: Request) async throws -> Response {
        let principal = try req.principal()
        try principal.require(.manageAlerts)
        let body = try req.content.decode(TextBody.self)
        let entry = try await AlertService(db: req.db).addBulletin(req.parameters.require("reference"), text: body.text, by: principal,
                                                                   now: req.application.secours.now())
        return try await AlertDTO(entry).encodeResponse(status: .created, for: req)
    }

    func end(req: Request) async throws -> AlertDTO {
        let principal = try req.principal()
        try principal.require(.manageAlerts)
        let body = try req.optionalContent(TextBody.self) ?? TextBody(text: nil)
        let ended = try await AlertService(db: req.db).end(req.parameters.require("reference"), text: body.text, by: principal,
                                                           now: req.application.secours.now())
        await req.application.secours.alertsChanged()
        return AlertDTO(ended)
    }
}
