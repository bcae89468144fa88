import AGIHandlers
import Logging
import ServiceLifecycle

/// Binds the FastAGI listener when it starts and runs the server; on shutdown it stops accepting and lets running
/// menus finish (bounded). A port that cannot be bound ends the service group.
struct FastAGIService: Service {
    let configuration: AGIServerConfiguration
    let router: AGIScriptRouter
    let logger: Logger
    /// The server's counters, there before it binds, for the metrics poller.
    let metrics = AGIServerMetrics()
    /// Finishes once the listener is bound, or binding failed.
    let listening: AsyncStream<Void>
    private let listened: AsyncStream<Void>.Continuation

    init(configuration: AGIServerConfiguration, router: AGIScriptRouter, logger: Logger) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        (listening, listened) = AsyncStream.makeStream(of: Void.self)
    }

    func run() async throws {
        let server: AGIServer
        do {
            server = try await AGIServer.bind(configuration: configuration, router: router, metrics: metrics, logger: logger)
        } catch {
            listened.finish()
            throw error
        }
        listened.finish()
        do {
            try await cancelWhenGracefulShutdown { try await server.run() }
        } catch where Task.isShuttingDownGracefully || Task.isCancelled {
            // The drain ended by the shutdown itself (a cancellation), not a failure of the server.
        }
    }
}
