import LogKeys
public import Logging
public import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The FastAGI listener: accepts Asterisk's connections and runs one session per connection.
///
/// ```swift
/// let server = try await AGIServer.bind(configuration: configuration, router: router, logger: logger)
/// try await server.run()   // until the surrounding task is cancelled
/// ```
///
/// Each connection lives on one event loop. A session whose script can be planned (`route`,
/// see ``AGIPlannedScriptHandler``) runs there from the first byte to the close, starting as
/// soon as ``bind(configuration:router:group:metrics:logger:)`` returns. Other sessions (`postcall`,
/// `status`) run as child tasks of ``run()``; each catches and logs its own errors, so one bad
/// client never ends the server.
///
/// With a group of several event loops, one listening socket is bound per loop
/// (`SO_REUSEPORT`), each serving the connections it accepts on its own loop: the kernel
/// spreads connections over the loops and no connection is handed between threads. The port
/// is claimed first without `SO_REUSEPORT`, so a second daemon on the same port fails to start
/// as before instead of silently sharing the connections.
///
/// Cancelling the task that runs ``run()`` shuts down gracefully: the listeners close at once
/// (new connections are refused by the kernel), running sessions such as a post-call menu go
/// on for up to ``AGIServerConfiguration/drainTimeout``, and any still open then are closed.
public final class AGIServer: Sendable {
    public let configuration: AGIServerConfiguration
    /// The server's counters.
    public let metrics: AGIServerMetrics
    private let core: AGIServerCore
    private let listeners: [any Channel]
    private let logger: Logger

    private init(core: AGIServerCore, listeners: [any Channel]) {
        self.configuration = core.configuration
        self.metrics = core.metrics
        self.core = core
        self.listeners = listeners
        self.logger = core.logger
    }

    /// The address the listener is bound to.
    public var localAddress: SocketAddress? { listeners.first?.localAddress }

    /// The port the listener is bound to (useful with port 0).
    public var localPort: Int? { localAddress?.port }

    /// Opens the listening socket(s). Fails when the address is in use or not local.
    /// - Parameters:
    ///   - group: the event loops to use; `nil` for NIO's shared singleton group.
    ///   - metrics: the counters to keep, when they must exist before the server (a metrics poller started first).
    public static func bind(
        configuration: AGIServerConfiguration,
        router: AGIScriptRouter,
        group: (any EventLoopGroup)? = nil,
        metrics: AGIServerMetrics = AGIServerMetrics(),
        logger: Logger
    ) async throws -> AGIServer {
        let core = AGIServerCore(
            configuration: configuration, router: router, metrics: metrics, logger: logger, registry: AGISessionRegistry())
        let gate = AGIConnectionGate(configuration: configuration, metrics: metrics, logger: logger)
        let loops = Array((group ?? MultiThreadedEventLoopGroup.singleton).makeIterator())
        var listeners: [any Channel] = []
        do {
            if loops.count == 1 {
                listeners.append(try await listen(on: loops[0], at: configuration.host, port: configuration.port, shared: false, core: core, gate: gate))
            } else {
                let port = try await claimPort(on: loops[0], configuration: configuration)
                for loop in loops {
                    listeners.append(try await listen(on: loop, at: configuration.host, port: port, shared: true, core: core, gate: gate))
                }
            }
        } catch {
            for listener in listeners { try? await listener.close() }
            throw error
        }
        logger.info(
            "FastAGI server listening",
            metadata: [
                LogKey.address: "\(listeners[0].localAddress.map { "\($0)" } ?? "?")", LogKey.eventLoops: "\(listeners.count)",
            ])
        return AGIServer(core: core, listeners: listeners)
    }

    /// Binds the configured address without `SO_REUSEPORT` and lets it go again: fails as a
    /// plain bind would when another process holds the port, and resolves port 0.
    private static func claimPort(on loop: any EventLoop, configuration: AGIServerConfiguration) async throws -> Int {
        let probe = try await ServerBootstrap(group: loop)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: configuration.host, port: configuration.port).get()
        let port = probe.localAddress?.port ?? configuration.port
        try await probe.close()
        return port
    }

    private static func listen(
        on loop: any EventLoop, at host: String, port: Int, shared: Bool, core: AGIServerCore, gate: AGIConnectionGate
    ) async throws -> any Channel {
        var bootstrap = ServerBootstrap(group: loop, childGroup: loop)
            .serverChannelOption(.backlog, value: core.configuration.backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // Accept up to 16 waiting connections per wake-up rather than 4: a burst of calls
            // then costs fewer trips through the event loop.
            .serverChannelOption(.maxMessagesPerRead, value: 16)
        if shared {
            bootstrap = bootstrap.serverChannelOption(
                ChannelOptions.socket(.init(SOL_SOCKET), .init(SO_REUSEPORT)), value: 1)
        }
        // No child options: TCP_NODELAY, which ServerBootstrap sets on the listening socket, is
        // inherited by accepted sockets on Linux, and one option less is one setsockopt and one
        // future chain less per connection.
        return try await bootstrap
            .childChannelInitializer { channel in
                guard gate.admit(channel) else {
                    channel.close(promise: nil)
                    return channel.eventLoop.makeSucceededVoidFuture()
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AGIConnectionHandler(core: core))
                }
            }
            .bind(host: host, port: port).get()
    }

    /// Serves async sessions until the calling task is cancelled, then drains (see the type's notes).
    public func run() async throws {
        // Cancellation of a task reaches all its child tasks at once, which would cut every
        // running menu. The sessions therefore run in their own task, which this one awaits:
        // cancelling `run()` only closes the listeners and starts the drain timer.
        let sessions = Task { await self.runSessions() }
        let listeners = self.listeners
        let registry = core.registry
        let drainTimeout = configuration.drainTimeout
        let logger = self.logger
        await withTaskCancellationHandler {
            await sessions.value
        } onCancel: {
            logger.info("FastAGI server stopping: no new sessions, draining running ones")
            let closed = listeners.map { $0.close() }
            EventLoopFuture.andAllComplete(closed, on: listeners[0].eventLoop).whenComplete { _ in
                registry.listenersClosed()
            }
            listeners[0].eventLoop.scheduleTask(in: TimeAmount(drainTimeout)) {
                sessions.cancel()
                registry.expireDrainTime()
            }
        }
        logger.info("FastAGI server stopped")
    }

    private func runSessions() async {
        await withDiscardingTaskGroup { group in
            for await pending in core.registry.sessions {
                group.addTask { await self.serve(pending) }
            }
        }
    }

    private func serve(_ pending: AGIPendingSession) async {
        let session = AGISession(
            environment: pending.environment, link: pending.link,
            logger: core.sessionLogger(script: pending.script, environment: pending.environment))
        var failure: (any Error)?
        do {
            try await core.router.run(session)
        } catch {
            failure = error
        }
        pending.link.sessionEnded()
        core.sessionFinished(script: pending.script, started: pending.started, error: failure)
    }
}
