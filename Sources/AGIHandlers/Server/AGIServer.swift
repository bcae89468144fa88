public import Logging
public import NIOCore
import NIOPosix

/// The FastAGI listener: accepts Asterisk's connections and runs one session per connection.
///
/// ```swift
/// let server = try await AGIServer.bind(configuration: configuration, router: router, logger: logger)
/// try await server.run()   // until the surrounding task is cancelled
/// ```
///
/// Each connection is a child task that catches and logs its own errors, so one bad client
/// never ends the server. Cancelling the task that runs ``run()`` shuts down gracefully: the
/// listener closes at once (new connections are refused by the kernel), running sessions such
/// as a post-call menu go on for up to ``AGIServerConfiguration/drainTimeout``, and any still
/// open then are closed.
public final class AGIServer: Sendable {
    /// What the accept loop gets for each new connection.
    enum Accepted: Sendable {
        case session(NIOAsyncChannel<ByteBuffer, ByteBuffer>)
        case refused
    }

    public let configuration: AGIServerConfiguration
    /// The server's counters.
    public let metrics: AGIServerMetrics
    private let router: AGIScriptRouter
    private let listener: NIOAsyncChannel<Accepted, Never>
    private let logger: Logger

    private init(
        configuration: AGIServerConfiguration, router: AGIScriptRouter, listener: NIOAsyncChannel<Accepted, Never>,
        metrics: AGIServerMetrics, logger: Logger
    ) {
        self.configuration = configuration
        self.router = router
        self.listener = listener
        self.metrics = metrics
        self.logger = logger
    }

    /// The address the listener is bound to.
    public var localAddress: SocketAddress? { listener.channel.localAddress }

    /// The port the listener is bound to (useful with port 0).
    public var localPort: Int? { localAddress?.port }

    /// Opens the listening socket. Fails when the address is in use or not local.
    /// - Parameter group: the event loops to use; `nil` for NIO's shared singleton group.
    public static func bind(
        configuration: AGIServerConfiguration,
        router: AGIScriptRouter,
        group: (any EventLoopGroup)? = nil,
        logger: Logger
    ) async throws -> AGIServer {
        let metrics = AGIServerMetrics()
        let gate = AGIConnectionGate(configuration: configuration, metrics: metrics, logger: logger)
        let listener = try await ServerBootstrap(group: group ?? MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: configuration.backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture { () throws -> Accepted in
                    guard gate.admit(channel) else {
                        channel.close(promise: nil)
                        return .refused
                    }
                    return .session(try NIOAsyncChannel(wrappingChannelSynchronously: channel))
                }
            }
        logger.info(
            "FastAGI server listening",
            metadata: ["address": "\(listener.channel.localAddress.map { "\($0)" } ?? "?")"])
        return AGIServer(configuration: configuration, router: router, listener: listener, metrics: metrics, logger: logger)
    }

    /// Serves connections until the calling task is cancelled, then drains (see the type's notes).
    public func run() async throws {
        // Cancellation of a task reaches all its child tasks at once, which would cut every
        // running menu. The sessions therefore run in their own task, which this one awaits:
        // cancelling `run()` only closes the listener and starts the drain timer.
        let sessions = Task { try await self.acceptConnections() }
        let listener = self.listener
        let drainTimeout = configuration.drainTimeout
        let logger = self.logger
        try await withTaskCancellationHandler {
            try await sessions.value
        } onCancel: {
            logger.info("FastAGI server stopping: no new sessions, draining running ones")
            listener.channel.close(promise: nil)
            listener.channel.eventLoop.scheduleTask(in: TimeAmount(drainTimeout)) {
                sessions.cancel()
            }
        }
        logger.info("FastAGI server stopped")
    }

    private func acceptConnections() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            do {
                try await listener.executeThenClose { inbound in
                    for try await accepted in inbound {
                        guard case .session(let connection) = accepted else { continue }
                        group.addTask { await self.serve(connection) }
                    }
                }
            } catch {
                // The listener closes on shutdown; anything else is worth a line in the log.
                logger.debug("FastAGI listener ended", metadata: ["error": "\(error)"])
            }
        }
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let started = ContinuousClock.now
        var script = "none"
        var failure: AGIServerMetrics.Failure?
        do {
            try await connection.executeThenClose { inbound, outbound in
                var link = AGIConnection(
                    channel: connection.channel, inbound: inbound, outbound: outbound, configuration: configuration)
                let deadline = link.armSessionDeadline()
                defer { deadline.cancel() }
                let environment = try await link.readEnvironment()
                script = router.metricName(for: environment.request.name)
                var sessionLogger = logger
                sessionLogger[metadataKey: "agi.script"] = "\(script)"
                sessionLogger[metadataKey: "agi.channel"] = "\(environment.channel ?? "?")"
                sessionLogger[metadataKey: "agi.uniqueid"] = "\(environment.uniqueID ?? "?")"
                let session = AGISession(environment: environment, connection: link, logger: sessionLogger)
                try await router.run(session)
            }
        } catch let error as AGIError {
            failure = Self.classify(error)
            logSessionError(error, failure: failure, script: script)
        } catch {
            failure = .handler
            logger.error("FastAGI handler failed", metadata: ["agi.script": "\(script)", "error": "\(error)"])
        }
        metrics.sessionFinished(script: script, duration: started.duration(to: .now), failure: failure)
        metrics.releaseSession()
    }

    private static func classify(_ error: AGIError) -> AGIServerMetrics.Failure? {
        switch error {
        case .channelHungUp: nil
        case .protocolViolation: .protocolViolation
        case .commandTimedOut, .environmentTimedOut, .sessionDeadlineExceeded: .timeout
        case .connectionClosed, .shuttingDown: .connection
        case .commandRejected: .handler
        }
    }

    private func logSessionError(_ error: AGIError, failure: AGIServerMetrics.Failure?, script: String) {
        let metadata: Logger.Metadata = ["agi.script": "\(script)", "error": "\(error)"]
        switch failure {
        case nil: logger.debug("FastAGI session ended: channel hung up", metadata: metadata)
        case .connection, .timeout, .protocolViolation: logger.warning("FastAGI session ended early", metadata: metadata)
        case .handler: logger.error("FastAGI session failed", metadata: metadata)
        }
    }
}
