import LogKeys
public import Logging

/// Applies the shipped migrations to a database and reports where it stands.
///
/// Each migration runs in its own transaction together with its row in
/// `calljournal.schema_migrations` (version, name, SHA-256 of the SQL, time, role), so a crash
/// leaves either all of a migration or none of it. A session advisory lock keeps two daemons
/// from migrating at once. The checksum is computed by PostgreSQL (`sha256()`), so a DBA can
/// check it with the same function.
public struct Migrator: Sendable {
    public let migrations: [Migration]
    private let logger: Logger

    /// A migrator over the migrations shipped in this binary.
    public init(logger: Logger) {
        self.init(migrations: Migration.shipped, logger: logger)
    }

    /// A migrator over the given migrations (tests use it to simulate a tampered file).
    public init(migrations: [Migration], logger: Logger) {
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    static let lockKey: Int64 = 0x63_61_6c_6c_6a_72_6e // "calljrn"

    static let createLedger = """
        CREATE SCHEMA IF NOT EXISTS calljournal;
        CREATE TABLE IF NOT EXISTS calljournal.schema_migrations (
            version     integer PRIMARY KEY,
            name        text NOT NULL,
            checksum    text NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now(),
            applied_by  text NOT NULL DEFAULT current_user
        );
        COMMENT ON TABLE calljournal.schema_migrations IS 'Schema migrations applied by calljournal migrate, one row per file.';
        COMMENT ON COLUMN calljournal.schema_migrations.version IS 'Migration number (the NNNN of NNNN_name.sql).';
        COMMENT ON COLUMN calljournal.schema_migrations.name IS 'Migration file name without .sql.';
        COMMENT ON COLUMN calljournal.schema_migrations.checksum IS 'Hex SHA-256 of the SQL text as applied; calljournal refuses a database whose checksum differs from the shipped file.';
        COMMENT ON COLUMN calljournal.schema_migrations.applied_at IS 'When the migration was applied.';
        COMMENT ON COLUMN calljournal.schema_migrations.applied_by IS 'Database role that applied it.';
        """

    /// Reads the ledger and compares it with the shipped migrations. Does not change anything.
    public func status(on connection: PostgresConnection) throws -> MigrationStatus {
        let exists = try connection.query("SELECT to_regclass('calljournal.schema_migrations') IS NOT NULL AS present")
        var recorded: [Int: String] = [:]
        if try exists.first?.decode("present", as: Bool.self) == true {
            for row in try connection.query("SELECT version, checksum FROM calljournal.schema_migrations") {
                recorded[try row.decode("version", as: Int.self)] = try row.decode("checksum", as: String.self)
            }
        }
        let checksums = try shippedChecksums(on: connection)
        var status = MigrationStatus(applied: [], pending: [], changed: [], unknownVersions: [])
        for migration in migrations {
            guard let checksum = recorded[migration.version] else { status.pending.append(migration); continue }
            status.applied.append(migration)
            let shipped = checksums[migration.version] ?? ""
            if checksum != shipped {
                status.changed.append(.init(migration: migration.name, recorded: checksum, shipped: shipped))
            }
        }
        let known = Set(migrations.map(\.version))
        status.unknownVersions = recorded.keys.filter { !known.contains($0) }.sorted()
        return status
    }

    /// Applies every pending migration in order; returns the names applied (empty when current).
    /// Refuses, changing nothing, when an applied migration's checksum differs or the database is newer.
    @discardableResult
    public func migrate(on connection: PostgresConnection) throws -> [String] {
        try connection.query("SELECT pg_advisory_lock($1)", Self.lockKey)
        defer { _ = try? connection.query("SELECT pg_advisory_unlock($1)", Self.lockKey) }
        try connection.transaction { try connection.execute(script: Self.createLedger, operation: "create calljournal.schema_migrations") }
        let status = try status(on: connection)
        try Self.refuseUnusable(status, newestShipped: migrations.last?.version ?? 0)
        var applied: [String] = []
        for migration in status.pending {
            try connection.transaction {
                try connection.execute(script: migration.sql, operation: "apply migration \(migration.name)")
                try connection.query(
                    """
                    INSERT INTO calljournal.schema_migrations (version, name, checksum)
                    VALUES ($1, $2, encode(sha256(convert_to($3, 'UTF8')), 'hex'))
                    """,
                    migration.version, migration.name, migration.sql
                )
            }
            logger.info("applied migration", metadata: [LogKey.migration: "\(migration.name)"])
            applied.append(migration.name)
        }
        return applied
    }

    /// Throws unless the schema is exactly current (what `serve` requires without auto-migrate).
    public func requireCurrent(on connection: PostgresConnection) throws {
        let status = try status(on: connection)
        try Self.refuseUnusable(status, newestShipped: migrations.last?.version ?? 0)
        if !status.pending.isEmpty { throw MigrationError.schemaOutOfDate(pending: status.pending.map(\.name)) }
    }

    static func refuseUnusable(_ status: MigrationStatus, newestShipped: Int) throws {
        if !status.changed.isEmpty { throw MigrationError.checksumMismatch(status.changed) }
        if !status.unknownVersions.isEmpty {
            throw MigrationError.databaseIsNewer(versions: status.unknownVersions, newestShipped: newestShipped)
        }
    }

    private func shippedChecksums(on connection: PostgresConnection) throws -> [Int: String] {
        guard !migrations.isEmpty else { return [:] }
        let rows = try connection.query(
            "SELECT encode(sha256(convert_to(sql, 'UTF8')), 'hex') AS checksum FROM unnest($1::text[]) WITH ORDINALITY AS m(sql, n) ORDER BY n",
            migrations.map(\.sql)
        )
        return Dictionary(uniqueKeysWithValues: zip(migrations.map(\.version), try rows.map { try $0.decode("checksum", as: String.self) }))
    }
}
