import Fluent
import Foundation
import Testing
import VaporTesting
@testable import SecoursServer

@Suite("Several processes starting on one database")
struct StartupTests {
    /// Two servers starting together on a fresh database: each waits for the other's migrations
    /// instead of failing on a half-created schema.
    @Test(arguments: TestDatabase.available)
    func concurrentFirstStartsMigrateOnce(_ db: TestDatabase) async throws {
        let scratch = try await ScratchDatabase.make(db)
        var settings = Settings()
        settings.database = scratch.location
        settings.bcryptCost = 4
        settings.inactivationInterval = 0
        settings.bootstrapAdmin = ("admin", "cle-du-chai-2026")
        // On SQLite both make or read `<database>.seal-key` at once; PostgreSQL needs a key given.
        if case .postgres = scratch.location { settings.sealKey = SealKeySecret(testSealKey) }
        do {
            async let a = makeApplication(settings, environment: .testing)
            async let b = makeApplication(settings, environment: .testing)
            let (first, second) = try await (a, b)
            let applied = try await first.db.query(MigrationLog.self).count()
            #expect(applied == Migrations.all.count)
            #expect(try await second.db.query(MigrationLog.self).count() == applied)
            #expect(try await UserModel.query(on: first.db).filter(\.$login == "admin").count() == 1)
            try await first.asyncShutdown()
            try await second.asyncShutdown()
        } catch {
            await scratch.cleanup()
            throw error
        }
        await scratch.cleanup()
    }
}
