import Persistence

extension PostgresConnectionSettings {
    /// Reads `postgres.url` and `postgres.statement_timeout_ms` over these settings; the password is the daemon's
    /// (a secret, see ``DaemonConfiguration/Postgres``).
    mutating func read(_ keys: inout ConfigurationKeys) {
        connectionString = keys.string("postgres.url") ?? connectionString
        statementTimeout = keys.milliseconds("postgres.statement_timeout_ms", 1 ... 86_400_000) ?? statementTimeout
    }
}
