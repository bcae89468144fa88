import Logging
import Persistence
import Testing

@Suite("Reconnecting client (needs PostgreSQL)")
struct PostgresClientTests {
    @Test func aConnectionKilledMidTransactionGivesAClearErrorThenReconnects() async throws {
        let database = try TestDatabase.create()
        let client = PostgresClient(settings: database.settings, backoff: .init(initial: .milliseconds(1), maximum: .milliseconds(5)),
                                    logger: Logger(label: "test"))
        let observer = try database.connect()
        try observer.execute(script: "CREATE TABLE k (v int)")
        let pid = try await client.withConnection { $0.backendProcessID }

        let failure = await #expect(throws: PostgresError.self) {
            try await client.withConnection { connection in
                try connection.transaction {
                    try connection.query("INSERT INTO k VALUES (1)")
                    // What a DBA's pg_terminate_backend or a server restart does to the session.
                    try connection.query("SELECT pg_terminate_backend(pg_backend_pid())")
                    try connection.query("INSERT INTO k VALUES (2)")
                }
            }
        }
        #expect(failure?.isConnectionFailure == true)
        #expect(await client.isConnected == false)

        // Within the backoff the client answers at once with the last error; after it, it reconnects.
        try await Task.sleep(for: .milliseconds(20))
        let newPID = try await client.withConnection { connection in
            try connection.query("INSERT INTO k VALUES (3)")
            return connection.backendProcessID
        }
        #expect(newPID != pid)
        // The killed transaction left nothing behind.
        #expect(try observer.query("SELECT v FROM k").cells == [["3"]])
    }

    @Test func anUnreachableServerFailsFastWithBackoffInsteadOfHammering() async throws {
        let client = PostgresClient(
            settings: PostgresConnectionSettings(connectionString: "host=127.0.0.1 port=1 connect_timeout=1"),
            backoff: .init(initial: .seconds(30), maximum: .seconds(30)), logger: Logger(label: "test"))
        let clock = ContinuousClock()
        let first = await #expect(throws: PostgresError.self) { try await client.withConnection { _ in 1 } }
        let elapsed = await clock.measure {
            for _ in 0 ..< 100 { _ = try? await client.withConnection { _ in 1 } }
        }
        #expect(first?.isConnectionFailure == true)
        // 100 calls inside the backoff window never touch the network.
        #expect(elapsed < .seconds(1))
    }
}
