import AGIHandlers
import Logging

/// Runs a real FastAGI server on a free loopback port for the length of a test.
enum ServerHarness {
    /// Time limits short enough for tests.
    static var testConfiguration: AGIServerConfiguration {
        var configuration = AGIServerConfiguration(port: 0)
        // Generous: the suite runs tests in parallel, the 1,000-session test among them, on 2 cores.
        configuration.headerTimeout = .seconds(5)
        configuration.commandTimeout = .seconds(5)
        configuration.interactiveCommandTimeout = .seconds(5)
        configuration.sessionDeadline = .seconds(20)
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

    enum HarnessError: Error { case noPort }
}
