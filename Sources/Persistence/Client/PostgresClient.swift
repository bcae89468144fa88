import LogKeys
public import Logging

/// One PostgreSQL session with reconnect, run on a dedicated thread.
///
/// `withConnection` hands the body a live connection, opening one if needed. When a statement
/// fails because the connection was lost, the connection is dropped and the next call opens a
/// new one. Reconnect attempts are spaced by capped exponential backoff with jitter: a call made
/// before the next attempt is due fails at once with the last error instead of hammering the
/// server, so callers (the journal writer, the directory) decide what to do meanwhile.
public actor PostgresClient {
    private nonisolated let executor: ThreadExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public nonisolated let settings: PostgresConnectionSettings
    private let logger: Logger
    private var connection: PostgresConnection?
    private var failures = 0
    private var lastError: PostgresError?
    private var nextAttempt: ContinuousClock.Instant?
    private let backoff: Backoff

    /// Backoff between reconnect attempts.
    public struct Backoff: Sendable {
        public var initial: Duration
        public var maximum: Duration
        public init(initial: Duration = .milliseconds(250), maximum: Duration = .seconds(15)) {
            self.initial = initial
            self.maximum = maximum
        }
    }

    public init(settings: PostgresConnectionSettings, name: String = "postgres", backoff: Backoff = Backoff(), logger: Logger) {
        self.settings = settings
        self.backoff = backoff
        self.logger = logger
        executor = ThreadExecutor(name: "calljournal-\(name)")
    }

    /// Runs `body` with a live connection on this client's thread.
    public func withConnection<T: Sendable>(_ body: sending (PostgresConnection) throws -> T) throws -> T {
        let connection = try liveConnection()
        do {
            return try body(connection)
        } catch let error as PostgresError where error.isConnectionFailure || !connection.isConnected {
            drop(connection, because: error)
            throw error
        }
    }

    /// Opens the connection now if it is not open (for start-up checks).
    public func connect() throws(PostgresError) {
        _ = try liveConnection()
    }

    /// True while a connection is open and healthy.
    public var isConnected: Bool { connection?.isConnected ?? false }

    /// Closes the connection; the next call reconnects.
    public func close() {
        connection = nil
    }

    private func liveConnection() throws(PostgresError) -> PostgresConnection {
        if let connection, connection.isConnected { return connection }
        if let connection { drop(connection, because: nil) }
        if let nextAttempt, let lastError, ContinuousClock.now < nextAttempt { throw lastError }
        do {
            let fresh = try PostgresConnection.connect(settings)
            if failures > 0 {
                let target = fresh.target
                logger.notice("PostgreSQL connection restored", metadata: [LogKey.target: "\(target)", LogKey.failedAttempts: "\(failures)"])
            }
            failures = 0
            lastError = nil
            nextAttempt = nil
            connection = fresh
            return fresh
        } catch {
            if failures == 0 {
                logger.error("cannot connect to PostgreSQL; retrying with backoff", metadata: [LogKey.error: "\(error)"])
            }
            failures += 1
            lastError = error
            nextAttempt = ContinuousClock.now + delay(afterFailures: failures)
            throw error
        }
    }

    private func drop(_ lost: PostgresConnection, because error: PostgresError?) {
        guard connection === lost else { return }
        connection = nil
        logger.warning("PostgreSQL connection lost; will reconnect", metadata: [LogKey.error: "\(error.map { "\($0)" } ?? "status bad")"])
    }

    private func delay(afterFailures count: Int) -> Duration {
        let exponent = min(count - 1, 16)
        let base = min(backoff.initial * (1 << exponent), backoff.maximum)
        // Full jitter in [base/2, base]: many daemons restarting together do not reconnect in step.
        return base / 2 + base / 2 * Double.random(in: 0 ... 1)
    }
}
