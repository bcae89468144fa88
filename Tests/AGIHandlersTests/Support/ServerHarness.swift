import AGIHandlers
import Logging

/// Runs a real FastAGI server on a free loopback port for the length of a test.
enum ServerHarness {
    /// Time limits for tests that do not test them. They only decide how long a broken test takes to fail, so they
    /// are generous: the suite runs tests in parallel, the 1,000-session test among them, on two cores, and 5 s once
    /// cut post-call menus whose client was waiting for its turn on the thread pool. Tests of a limit set their own.
    static var testConfiguration: AGIServerConfiguration {
        var configuration = AGIServerConfiguration(port: 0)
        configuration.headerTimeout = .seconds(60)
        configuration.commandTimeout = .seconds(60)
        configuration.interactiveCommandTimeout = .seconds(60)
        configuration.sessionDeadline = .seconds(120)
        configuration.drainTimeout = .seconds(2)
        return configuration
    }

    static let quietLogger = Logger(label: "calljournal.agi.test") { _ in SwiftLogNoOpLogHandler() }

    static func withServer<Result: Sendable>(
        configuration: AGIServerConfiguration = testConfiguration,
        directory: any DirectorySource = StaticDirectorySource(LabDirectory.snapshot),
        store: InMemoryAnnotationStore = InMemoryAnnotationStore(),
        router: AGIScriptRouter? = nil,
        _ body: @Sendable (AGIServer, Int) async throws -> Result
    ) async throws -> Result {
        let server = try await AGIServer.bind(
            configuration: configuration,
            router: router ?? .standard(directory: directory, store: store),
            logger: quietLogger)
        guard let port = server.localPort else { throw HarnessError.noPort }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let result = try await body(server, port)
            group.cancelAll()
            try await group.waitForAll()
            return result
        }
    }

    /// The server's counters once every session is counted. A session is counted just after its connection closes,
    /// so a client that has seen the close waits for the count: until no session is open.
    static func settledMetrics(_ server: AGIServer) async throws -> AGIServerMetricsSnapshot {
        try await waitUntil("every FastAGI session counted") { server.metrics.snapshot().activeSessions == 0 }
        return server.metrics.snapshot()
    }

    enum HarnessError: Error { case noPort }
}
