import Logging
@testable import Persistence
import Testing

@Suite("Migrations (needs PostgreSQL)")
struct MigratorTests {
    let logger = Logger(label: "test")

    @Test func migratesAnEmptyDatabaseThenChangesNothing() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        let migrator = Migrator(logger: logger)
        let applied = try migrator.migrate(on: connection)
        #expect(applied == Migration.shippedNames)
        #expect(try migrator.migrate(on: connection).isEmpty)
        #expect(try migrator.status(on: connection).isCurrent)
        try migrator.requireCurrent(on: connection)
    }

    @Test func everyTableViewAndColumnHasAComment() throws {
        let connection = try TestDatabase.create().connect()
        let missing = try connection.query("""
            SELECT c.relname || coalesce('.' || a.attname, '') AS object
              FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             WHERE n.nspname = 'calljournal' AND c.relkind IN ('r', 'v')
               AND ((a.attname IS NULL AND obj_description(c.oid, 'pg_class') IS NULL)
                 OR (a.attname IS NOT NULL AND col_description(c.oid, a.attnum) IS NULL)
                 OR obj_description(c.oid, 'pg_class') IS NULL)
            """).cells.compactMap { $0[0] }
        #expect(missing == [])
    }

    @Test func refusesADatabaseWhoseRecordedChecksumDiffers() throws {
        let connection = try TestDatabase.create().connect()
        try connection.query("UPDATE calljournal.schema_migrations SET checksum = 'tampered' WHERE version = 1")
        let migrator = Migrator(logger: logger)
        #expect(throws: MigrationError.self) { try migrator.migrate(on: connection) }
        do {
            try migrator.requireCurrent(on: connection)
            Issue.record("a tampered schema was accepted")
        } catch let error as MigrationError {
            guard case .checksumMismatch(let mismatches) = error else { Issue.record("wrong error \(error)"); return }
            #expect(mismatches.map(\.migration) == ["0001_schema"])
            #expect(error.description.contains("0001_schema"))
        }
    }

    @Test func servingAnOutOfDateSchemaNamesTheCommandToRun() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        let first = Migrator(migrations: Array(Migration.shipped.prefix(1)), logger: logger)
        _ = try first.migrate(on: connection)
        do {
            try Migrator(logger: logger).requireCurrent(on: connection)
            Issue.record("an out-of-date schema was accepted")
        } catch let error as MigrationError {
            #expect(error.description.contains("calljournal migrate"))
            #expect(error.description.contains("0002_directory_notify"))
        }
    }

    @Test func refusesADatabaseMigratedByANewerRelease() throws {
        let connection = try TestDatabase.create().connect()
        try connection.query("""
            INSERT INTO calljournal.schema_migrations (version, name, checksum) VALUES (9999, '9999_future', 'x')
            """)
        #expect(throws: MigrationError.self) { try Migrator(logger: logger).migrate(on: connection) }
    }

    @Test func aFailingMigrationLeavesNothingBehind() throws {
        let connection = try TestDatabase.create(migrated: false).connect()
        let broken = Migration.shipped + [Migration(version: 9998, name: "9998_broken",
                                                    sql: "CREATE TABLE calljournal.half (a int); SELECT 1/0;")]
        #expect(throws: PostgresError.self) { try Migrator(migrations: broken, logger: logger).migrate(on: connection) }
        let half = try connection.query("SELECT to_regclass('calljournal.half') IS NULL AS gone").first
        #expect(try half?.decode("gone", as: Bool.self) == true)
        #expect(try Migrator(logger: logger).status(on: connection).isCurrent)
    }
}

extension Migration {
    static var shippedNames: [String] { shipped.map(\.name) }
}
