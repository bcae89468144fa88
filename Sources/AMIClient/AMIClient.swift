public import AMIModel
import LogKeys
public import Logging
public import NIOCore
import Foundation
import NIOPosix
import Synchronization

/// A resilient client of one Asterisk Manager Interface.
///
/// ```swift
/// let client = AMIClient(configuration: config, logger: logger)
/// try await withThrowingDiscardingTaskGroup { group in
///     group.addTask { try await client.run() }          // connects, logs in, reconnects
///     var live: [AMIMessage] = []
///     for await element in client.events {
///         switch element {
///         case .connected, .eventsDropped:               // events were missed: list the live channels
///             live = try await client.sendList(AMIAction("CoreShowChannels", actionID: "reconcile-1"))
///         case .listCompleted("reconcile-1"):            // older events are behind us: apply the list here
///             _ = tracker.reconcile(liveChannels: live, now: Date())
///         case .event(let event): _ = tracker.handle(event.message, receivedAt: event.receivedAt)
///         case .listCompleted, .disconnected: break
///         }
///     }
/// }
/// ```
///
/// - ``run()`` keeps one connection alive until its task is cancelled: connect (with a timeout),
///   banner, `Challenge`/MD5 or plain `Login`, keepalive `Ping` after ``AMIClientConfiguration/pingInterval``
///   of silence, and after any failure a reconnect with capped exponential backoff and jitter.
///   A rejected login is retried only at the longest delay. Each change of state is logged once.
/// - ``events`` yields ``AMIStreamElement/connected(serverVersion:)`` after every login, then the
///   events, then ``AMIStreamElement/disconnected(_:)``. It is bounded: a consumer that falls
///   behind loses the newest elements, counted and reported by
///   ``AMIStreamElement/eventsDropped(count:)``. Iterate it from one task only.
/// - ``send(_:)`` and ``sendList(_:)`` work while logged in and throw
///   ``AMIError/notConnected`` otherwise; each waits at most ``AMIClientConfiguration/actionTimeout``
///   (also when its task is cancelled).
public final class AMIClient: Sendable {
    public let configuration: AMIClientConfiguration
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let buffer: AMIEventBuffer
    private let connection = Mutex<(channel: (any Channel)?, serverVersion: String?)>((nil, nil))
    private let counters = AMIClientCounters()

    /// A client that is idle until ``run()`` is called, on NIO's shared event loops.
    public convenience init(configuration: AMIClientConfiguration, logger: Logger) {
        self.init(configuration: configuration, logger: logger, eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
    }

    /// A client that is idle until ``run()`` is called, on the given event loops.
    public init(configuration: AMIClientConfiguration, logger: Logger, eventLoopGroup: any EventLoopGroup) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: LogKey.pbx] = "\(configuration.pbx)"
        logger[metadataKey: LogKey.ami] = "\(configuration.host):\(configuration.port)"
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        buffer = AMIEventBuffer(limit: configuration.eventBufferLimit, logger: logger)
    }

    /// Markers and events, in order; it ends after ``run()`` returns.
    public var events: AsyncStream<AMIStreamElement> { buffer.stream }

    /// The counters as of now.
    public var metrics: AMIClientMetrics {
        var snapshot = counters.snapshot()
        snapshot.eventsDropped = buffer.droppedCount
        snapshot.isConnected = connection.withLock { $0.channel != nil }
        return snapshot
    }

    /// Sends `action` and returns its response. Throws ``AMIError/actionFailed(action:message:)``
    /// for `Response: Error`, ``AMIError/actionTimedOut(action:after:)``, ``AMIError/notConnected``,
    /// or ``AMIError/invalidAction(_:)`` for CR/LF in a value.
    public func send(_ action: AMIAction) async throws -> AMIMessage {
        guard let response = try await perform(action, isList: false).first else {
            throw AMIError.protocolViolation("\(action.name) completed without a response")
        }
        return response
    }

    /// Sends a list action (`CoreShowChannels`, `Status`, …) and returns its item events, up to
    /// and without the closing `EventList: Complete` event. Items are not yielded on ``events``.
    public func sendList(_ action: AMIAction) async throws -> [AMIMessage] {
        try await perform(action, isList: true)
    }

    /// Connects and stays connected until the calling task is cancelled, then closes the
    /// connection, ends ``events`` and returns.
    public func run() async throws {
        defer { buffer.finish() }
        var backoff = AMIReconnectBackoff(policy: configuration.reconnect)
        var lastFailure: AMIError?
        logger.info("AMI client starting", metadata: [LogKey.server: "\(configuration)"])
        while !Task.isCancelled {
            let started = ContinuousClock.now
            let outcome = await runSession()
            if Task.isCancelled { break }
            if outcome.wasReady {
                backoff.sessionEnded(after: ContinuousClock.now - started)
                lastFailure = nil
                logger.warning("AMI connection lost; reconnecting", metadata: [LogKey.reason: "\(outcome.reason)"])
            } else {
                counters.failedAttempts.add(1, ordering: .relaxed)
                switch outcome.reason {
                case .authenticationFailed:
                    counters.authenticationFailures.add(1, ordering: .relaxed)
                    backoff.loginWasRejected()
                case .invalidAction, .unsupportedVersion:
                    // A username or secret that cannot be sent (CR or LF in it), or an Asterisk too old to tell
                    // calls apart: trying sooner cannot help.
                    backoff.loginWasRejected()
                default:
                    break
                }
                // One line per kind of failure, not one per attempt.
                if lastFailure != outcome.reason {
                    logger.error("AMI connection attempt failed; retrying with backoff", metadata: [LogKey.reason: "\(outcome.reason)"])
                }
                lastFailure = outcome.reason
            }
            let delay = backoff.nextDelay(randomUnit: Double.random(in: 0 ..< 1))
            logger.debug("AMI reconnect scheduled", metadata: [LogKey.delay: "\(delay)", LogKey.attempt: "\(backoff.failures)"])
            do { try await Task.sleep(for: delay) } catch { break }
        }
        logger.info("AMI client stopped")
    }

    private func perform(_ action: AMIAction, isList: Bool) async throws -> [AMIMessage] {
        guard let channel = connection.withLock({ $0.channel }) else { throw AMIError.notConnected }
        let promise = channel.eventLoop.makePromise(of: [AMIMessage].self)
        let written = channel.eventLoop.makePromise(of: Void.self)
        // A write that never reaches the handler (the channel closed meanwhile) must still end
        // the call; completing an already completed promise is a no-op.
        written.futureResult.whenFailure { _ in promise.fail(AMIError.notConnected) }
        channel.writeAndFlush(AMIOutboundRequest(action: action, isList: isList, promise: promise), promise: written)
        do {
            return try await promise.futureResult.get()
        } catch let error as AMIError {
            throw error
        } catch {
            throw AMIError.connectionClosed(reason: "\(error)")
        }
    }

    /// One connection from connect to close.
    private func runSession() async -> (reason: AMIError, wasReady: Bool) {
        let report = AMISessionReport()
        let observer = AMIClientObserver(client: self, report: report)
        let configuration = configuration
        let logger = logger
        let bootstrap = ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(.nanoseconds(Int64(configuration.connectTimeout / .nanoseconds(1))))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(AMIFrameDecoder(limits: configuration.decoderLimits)),
                        AMIConnectionHandler(configuration: configuration, observer: observer, logger: logger)
                    )
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
        } catch {
            return (.connectFailed(host: configuration.host, port: configuration.port, reason: "\(error)"), false)
        }
        await withTaskCancellationHandler {
            try? await channel.closeFuture.get()
        } onCancel: {
            channel.close(promise: nil)
        }
        return report.outcome
    }

    // MARK: - Called by the connection (on its event loop)

    fileprivate func connectionReady(serverVersion: String, channel: any Channel) {
        connection.withLock { $0 = (channel, serverVersion) }
        counters.sessions.add(1, ordering: .relaxed)
        logger.info("AMI connected and logged in", metadata: [LogKey.version: "\(serverVersion)"])
        buffer.deliver(.connected(serverVersion: serverVersion))
    }

    fileprivate func eventReceived(_ message: AMIMessage, name: String) {
        counters.eventsReceived.add(1, ordering: .relaxed)
        buffer.deliver(.event(AMIEvent(pbx: configuration.pbx, name: name, message: message, receivedAt: Date())))
    }

    fileprivate func listCompleted(actionID: String) {
        buffer.deliver(.listCompleted(actionID: actionID))
    }

    fileprivate func frameRejected(_ error: AMIDecodingError) {
        let count = counters.rejectedFrames.add(1, ordering: .relaxed).newValue
        // The first rejection is worth a warning; a stream of them is visible in the metric.
        logger.log(level: count == 1 ? .warning : .debug, "AMI bytes rejected", metadata: [LogKey.error: "\(error)"])
    }

    fileprivate func actionTimedOut(_ action: String) {
        counters.actionTimeouts.add(1, ordering: .relaxed)
        logger.warning("AMI action timed out", metadata: [LogKey.action: "\(action)"])
    }

    fileprivate func connectionClosed(reason: AMIError, wasReady: Bool) {
        guard wasReady else { return }
        connection.withLock { $0 = (nil, nil) }
        buffer.deliver(.disconnected(reason))
    }
}

/// Forwards a connection's reports to its client and records how the session ended.
private struct AMIClientObserver: AMIConnectionObserver {
    let client: AMIClient
    let report: AMISessionReport

    func connectionReady(serverVersion: String, channel: any Channel) {
        client.connectionReady(serverVersion: serverVersion, channel: channel)
    }

    func eventReceived(_ message: AMIMessage, name: String) { client.eventReceived(message, name: name) }
    func listCompleted(actionID: String) { client.listCompleted(actionID: actionID) }
    func frameRejected(_ error: AMIDecodingError) { client.frameRejected(error) }
    func actionTimedOut(_ action: String) { client.actionTimedOut(action) }

    func connectionClosed(reason: AMIError, wasReady: Bool) {
        report.record(reason: reason, wasReady: wasReady)
        client.connectionClosed(reason: reason, wasReady: wasReady)
    }
}
