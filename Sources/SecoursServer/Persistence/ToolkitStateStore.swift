import Fluent
import Foundation
import SQLKit
import Vapor

/// What the offline toolkit takes away before an outage, read in one query per kind of fact.
struct ToolkitStateStore {
    let db: Database

    struct ExciseDetails {
        let number: String
        let companySiren: String
        let companyName: String
        let companyAddress: String
        let officeCode: String
        let officeName: String
        let officeEmail: String
        /// The last sequence of `year`, generated or manual (R-NUM-4); 0 when none.
        let lastSequence: Int
    }

    /// Company, office of attachment and the year's last sequence of each excise number given.
    func details(of numbers: [String], year: Int) async throws -> [String: ExciseDetails] {
        guard !numbers.isEmpty else { return [:] }
        guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError, reason: "SQL database required") }
        let rows = try await sql.raw("""
            SELECT e.number, c.siren, c.name AS company_name, c.address, o.code, o.name AS office_name, o.email,
                   COALESCE(s.last_used, 0) AS last_used
            FROM excise_numbers e
            JOIN companies c ON c.id = e.company_id
            JOIN offices o ON o.id = e.office_id
            LEFT JOIN sequences s ON s.excise_number = e.number AND s.year = \(bind: year)
            WHERE e.number IN (\(binds: numbers))
            """).all()
        var out: [String: ExciseDetails] = [:]
        for row in rows {
            let d = ExciseDetails(number: try row.decode(column: "number", as: String.self),
                                  companySiren: try row.decode(column: "siren", as: String.self),
                                  companyName: try row.decode(column: "company_name", as: String.self),
                                  companyAddress: try row.decode(column: "address", as: String.self),
                                  officeCode: try row.decode(column: "code", as: String.self),
                                  officeName: try row.decode(column: "office_name", as: String.self),
                                  officeEmail: try row.decode(column: "email", as: String.self),
                                  lastSequence: try row.decode(column: "last_used", as: Int.self))
            out[d.number] = d
        }
        return out
    }

    /// The account's e-mail address (the sender of the toolkit's messages to the office).
    func email(ofAccount id: UUID) async throws -> String {
        guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError, reason: "SQL database required") }
        return try await sql.raw("SELECT email FROM users WHERE id = \(bind: id)").first()?.decode(column: "email", as: String.self) ?? ""
    }
}
