import Fluent
import Foundation
import SecoursCore
import SQLKit
import Testing
import VaporTesting
@testable import SecoursServer

/// The typed model columns can only read values SecoursCore knows; the database refuses any other
/// (M021_KnownValues), so no stored row can turn a read into a 500.
@Suite("Vocabulary columns hold known values only")
struct KnownValuesTests {
    /// Each checked column's frozen list is exactly its vocabulary today: a case added to an enum
    /// without a migration that widens the check fails here.
    @Test func theFrozenListsAreTheVocabularies() {
        // The latest migration that sets a column's list is the one in force.
        func values(_ table: String, _ column: String) -> [String] {
            (M023_ToolkitLease.columns + M021_KnownValues.columns).first { $0.table == table && $0.column == column }?.values ?? []
        }
        #expect(values("documents", "kind") == DocumentKind.allCases.map(\.rawValue))
        #expect(values("documents", "type") == DocumentType.allCases.map(\.rawValue))
        #expect(values("documents", "registration_mode") == RegistrationMode.allCases.map(\.rawValue))
        #expect(values("documents", "actor_type") == ActorType.allCases.map(\.rawValue))
        #expect(values("documents", "status") == Status.allCases.map(\.rawValue))
        #expect(values("document_history", "action") == HistoryAction.allCases.map(\.rawValue))
        #expect(values("document_history", "actor_type") == ActorType.allCases.map(\.rawValue))
        #expect(values("episodes", "service") == OnlineService.allCases.map(\.rawValue))
        #expect(values("episodes", "basis") == EpisodeBasis.allCases.map(\.rawValue))
        #expect(values("episodes", "status") == EpisodeStatus.allCases.map(\.rawValue))
        #expect(values("episode_events", "kind") == EpisodeEvent.allCases.map(\.rawValue))
        #expect(values("episode_events", "actor_type") == ActorType.allCases.map(\.rawValue))
        #expect(values("assistance_requests", "service") == OnlineService.allCases.map(\.rawValue))
        #expect(values("communications", "type") == DocumentType.allCases.map(\.rawValue))
        #expect(values("office_notices", "kind") == OfficeNoticeKind.allCases.map(\.rawValue))
        #expect(values("users", "role") == Role.allCases.map(\.rawValue))
        #expect(values("rights", "right") == Right.allCases.map(\.rawValue))
        #expect(values("excise_numbers", "mode") == TransmissionMode.allCases.map(\.rawValue))
        #expect(values("alerts", "level") == AlertLevel.allCases.map(\.rawValue))
        #expect(values("reservations", "kind") == DocumentKind.allCases.map(\.rawValue))
        #expect(values("devices", "status") == ToolkitLease.DeviceStatus.allCases.map(\.rawValue))
        #expect(Set(values("reservations", "event") + values("reservations", "ended")) == Set(ToolkitLease.Event.allCases.map(\.rawValue)))
    }

    @Test(arguments: TestDatabase.available)
    func anUnknownValueIsRefusedAndChangesNothing(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let sql = app.db as! SQLDatabase
            let token = try await app.token("marie.laurent")
            let generated = try await app.generate(token)
            #expect(generated.status == .created)
            let number = try #require(generated.object["number"] as? String)
            func status() async throws -> String? {
                try await sql.raw("SELECT status FROM documents WHERE number = \(bind: number)").first()?.decode(column: "status", as: String.self)
            }
            // An update to a status no model knows is refused; the row keeps its status.
            await #expect(throws: (any Error).self) {
                try await sql.raw("UPDATE documents SET status = 'lost' WHERE number = \(bind: number)").run()
            }
            #expect(try await status() == "active")
            // A known one passes: the check refuses the unknown only.
            try await sql.raw("UPDATE documents SET status = 'inactive' WHERE number = \(bind: number)").run()
            #expect(try await status() == "inactive")
            // An insert with an unknown role is refused; no account is added.
            let accounts = try await UserModel.query(on: app.db).count()
            await #expect(throws: (any Error).self) {
                try await sql.raw("""
                    INSERT INTO users (id, login, email, password_hash, role, company_admin)
                    VALUES (\(bind: UUID()), 'intrus', 'intrus@exemple.invalid', 'x', 'superuser', false)
                    """).run()
            }
            #expect(try await UserModel.query(on: app.db).count() == accounts)
            // Every vocabulary read through the typed models still works on the demo data.
            #expect(try await EpisodeModel.query(on: app.db).count() >= 1)
            #expect(try await DocumentModel.query(on: app.db).filter(\.$number == number).first()?.status == .inactive)
        }
    }

    /// A database that already holds an unknown value is not migrated past M021: the migration
    /// names the table, the column and the value, on both databases alike, and adds nothing.
    @Test(arguments: TestDatabase.available)
    func anUnknownStoredValueStopsTheMigration(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let sql = app.db as! SQLDatabase
            let migration = M021_KnownValues()
            try await migration.revert(on: app.db)
            try await sql.raw("UPDATE users SET role = 'superuser' WHERE login = 'paul.martin'").run()
            do {
                try await migration.prepare(on: app.db)
                Issue.record("the migration went through an unknown role")
            } catch let error as M021_KnownValues.UnknownValues {
                #expect(error.column.table == "users" && error.column.column == "role" && error.values == ["superuser"])
                #expect(error.description.contains("users.role") && error.description.contains("superuser"))
            }
            // Nothing was added: the unknown value can still be written.
            try await sql.raw("UPDATE users SET role = 'superuser' WHERE login = 'marie.laurent'").run()
            // Mended, the migration goes through and the check is back.
            try await sql.raw("UPDATE users SET role = 'operator' WHERE role = 'superuser'").run()
            try await migration.prepare(on: app.db)
            await #expect(throws: (any Error).self) {
                try await sql.raw("UPDATE users SET role = 'superuser' WHERE login = 'paul.martin'").run()
            }
        }
    }
}
