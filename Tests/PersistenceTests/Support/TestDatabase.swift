import Foundation
import Logging
import Persistence
import Testing

/// A throwaway database on the PostgreSQL server the `PG*` variables point at (scripts/test starts one with
/// pg_virtualenv). Each test gets its own database, so tests run in parallel without seeing each other's rows.
struct TestDatabase: Sendable {
    let name: String
    let settings: PostgresConnectionSettings

    /// Creates an empty database, migrated unless `migrated` is false. Fails the test with a clear message when no
    /// server is reachable.
    static func create(migrated: Bool = true, function: String = #function) throws -> TestDatabase {
        let admin: PostgresConnection
        do {
            admin = try PostgresConnection.connect(PostgresConnectionSettings(connectionString: "dbname=postgres"))
        } catch {
            Issue.record("""
                these tests need PostgreSQL: run them through scripts/test (which starts a throwaway server with \
                pg_virtualenv), or set PGHOST/PGPORT/PGUSER to a server where this user may CREATE DATABASE. \
                Connecting failed: \(error)
                """)
            throw error
        }
        let name = "cj_" + function.prefix { $0.isLetter || $0.isNumber }.lowercased().prefix(30) + "_"
            + UUID().uuidString.prefix(8).lowercased()
        try admin.execute(script: "CREATE DATABASE \(admin.quoteIdentifier(name))")
        let database = TestDatabase(name: name, settings: PostgresConnectionSettings(connectionString: "dbname=\(name)"))
        if migrated {
            let connection = try database.connect()
            _ = try Migrator(logger: Logger(label: "test")).migrate(on: connection)
        }
        return database
    }

    func connect() throws -> PostgresConnection {
        try PostgresConnection.connect(settings)
    }

    /// The connection string a subprocess (`calljournal --database-url`) uses.
    var connectionString: String { settings.connectionString }
}
