/// One versioned schema change: a plain SQL file `Sources/Persistence/Migrations/NNNN_name.sql`,
/// compiled into the binary at build time.
public struct Migration: Sendable, Equatable {
    /// The number before the underscore: migrations apply in this order.
    public let version: Int
    /// The file name without `.sql`, e.g. `0001_schema`.
    public let name: String
    /// The SQL text, run in one transaction.
    public let sql: String
}

/// Where the database stands against the migrations shipped in this binary.
public struct MigrationStatus: Sendable, Equatable {
    /// Shipped migrations already recorded in `calljournal.schema_migrations`.
    public var applied: [Migration]
    /// Shipped migrations not applied yet, in order.
    public var pending: [Migration]
    /// Applied migrations whose recorded checksum differs from the shipped file.
    public var changed: [ChecksumMismatch]
    /// Versions recorded in the database that this binary does not ship (a newer calljournal
    /// migrated it).
    public var unknownVersions: [Int]

    /// True when the schema is exactly what this binary expects.
    public var isCurrent: Bool { pending.isEmpty && changed.isEmpty && unknownVersions.isEmpty }

    public struct ChecksumMismatch: Sendable, Equatable {
        public var migration: String
        public var recorded: String
        public var shipped: String
    }
}

/// Why the schema cannot be used or migrated.
public enum MigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An applied migration's file changed since: the database may not match what the code expects.
    case checksumMismatch([MigrationStatus.ChecksumMismatch])
    /// The database was migrated by a newer calljournal.
    case databaseIsNewer(versions: [Int], newestShipped: Int)
    /// `serve` found pending migrations and `postgres.auto_migrate` is off.
    case schemaOutOfDate(pending: [String])

    public var description: String {
        switch self {
        case .checksumMismatch(let mismatches):
            let names = mismatches.map { "\($0.migration) (recorded \($0.recorded.prefix(12))…, shipped \($0.shipped.prefix(12))…)" }
            return "the database recorded different contents for applied migration(s) \(names.joined(separator: ", ")); "
                + "refusing to continue: restore the original migration files or repair calljournal.schema_migrations by hand"
        case .databaseIsNewer(let versions, let newest):
            return "the database has migration(s) \(versions.map(String.init).joined(separator: ", ")) newer than this "
                + "calljournal knows (newest shipped: \(newest)); upgrade calljournal"
        case .schemaOutOfDate(let pending):
            return "the database schema is out of date (pending: \(pending.joined(separator: ", "))); "
                + "run `calljournal migrate`, or set postgres.auto_migrate: true"
        }
    }
}
