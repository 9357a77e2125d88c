import Fluent
import SQLKit
import Vapor

extension Database {
    /// The database as SQL, for the stores' statements (both drivers are SQL databases).
    var sqlDatabase: SQLDatabase {
        get throws {
            guard let sql = self as? SQLDatabase else { throw Abort(.internalServerError, reason: "SQL database required") }
            return sql
        }
    }
}

extension Database {
    /// SQLite only: WAL lets readers work while one writer commits; the mode is kept in the file.
    func useWriteAheadLog() async throws {
        try await sqlDatabase.raw("PRAGMA journal_mode=WAL").run()
    }
}

extension SQLUpdateBuilder {
    /// The compare-and-set idiom, written once: this `UPDATE … WHERE <expected>` applied with
    /// `RETURNING id`, and whether exactly one row changed (the stores' status moves, ends, closes).
    func changedOne() async throws -> Bool {
        try await returning("id").all().count == 1
    }
}

extension QueryBuilder {
    /// The query narrowed to the fallback records a principal sees (`Scope.Records`), given the
    /// model's office and excise number columns; nil when it sees none.
    func within(_ records: Scope.Records, office: KeyPath<Model, FieldProperty<Model, UUID>>,
                exciseNumber: KeyPath<Model, FieldProperty<Model, String>>) -> QueryBuilder<Model>? {
        switch records {
        case .all: self
        case let .office(id): filter(office == id)
        case let .exciseNumbers(numbers): filter(exciseNumber ~~ numbers)
        case .none: nil
        }
    }
}

extension Array {
    /// The array in slices of at most `size`: a statement's binds stay under the drivers' limits.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
