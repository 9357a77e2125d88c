import Fluent
import SecoursCore
import SQLKit

/// The counts behind the state gauges of `/metrics`, read in one round of plain queries.
struct MetricsStore {
    let db: Database

    struct State {
        /// Episodes by status (every status listed, zero included).
        var episodes: [(String, Int)]
        var currentAlerts: Int
        var openAssistanceRequests: Int
        /// PostgreSQL: this database's server connections by state (all processes); empty on SQLite.
        var connections: [(String, Int)]
    }

    func read() async throws -> State {
        let sql = db as! SQLDatabase
        var byStatus: [String: Int] = [:]
        for row in try await sql.raw("SELECT status, COUNT(*) AS n FROM episodes GROUP BY status").all() {
            byStatus[try row.decode(column: "status", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        let episodes = EpisodeStatus.allCases.map { ($0.rawValue, byStatus[$0.rawValue] ?? 0) }
        let alerts = try await sql.raw("SELECT COUNT(*) AS n FROM alerts WHERE ended_at IS NULL").first()?.decode(column: "n", as: Int.self) ?? 0
        let assistance = try await sql.raw("SELECT COUNT(*) AS n FROM assistance_requests WHERE closed_at IS NULL").first()?
            .decode(column: "n", as: Int.self) ?? 0
        var connections: [(String, Int)] = []
        if sql.dialect.name != "sqlite" {
            for row in try await sql.raw("""
                SELECT COALESCE(state, 'unknown') AS state, COUNT(*) AS n FROM pg_stat_activity
                WHERE datname = current_database() AND backend_type = 'client backend' GROUP BY 1 ORDER BY 1
                """).all() {
                connections.append((try row.decode(column: "state", as: String.self), try row.decode(column: "n", as: Int.self)))
            }
        }
        return State(episodes: episodes, currentAlerts: alerts, openAssistanceRequests: assistance, connections: connections)
    }
}
