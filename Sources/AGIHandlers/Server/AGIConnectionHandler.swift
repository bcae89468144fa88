import Logging
import NIOCore

/// The byte side of one FastAGI session, on the connection's event loop: frames lines, feeds
/// the ``AGISessionStateMachine``, enforces the time limits, and either runs a planned script
/// to the end itself or serves an async session's commands (see ``AGISessionLink``).
///
/// ```
/// readingEnvironment ──environment──▶ planned(commands) ──last response──▶ finished (close)
///                         │
///                         └──────────▶ interactive(pending command?) ── the session task closes
/// ```
///
/// Everything here runs on one event loop, so a `route` session never wakes another thread:
/// the kernel's read event leads straight to the next command's write.
final class AGIConnectionHandler: ChannelInboundHandler, NIOScheduledCallbackHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Mode {
        case readingEnvironment
        case planned(remaining: ArraySlice<AGICommand>, inFlight: AGICommand?)
        case interactive(inFlight: AGICommand?, promise: EventLoopPromise<AGICommandCompletion>?)
        case finished
    }

    private let core: AGIServerCore
    private var mode = Mode.readingEnvironment
    private var framer: AGILineFramer
    private var stateMachine: AGISessionStateMachine
    private var timer: AGISessionTimer
    private var scheduledTimer: NIOScheduledCallback?
    private var context: ChannelHandlerContext?
    private let started = ContinuousClock.now
    private var script = "none"
    /// Why the connection is gone, once it is (answers every later command of an async session).
    private var closedError: AGIError?
    private var connectionGone = false

    init(core: AGIServerCore) {
        self.core = core
        framer = AGILineFramer(maximumLineLength: core.configuration.maximumLineLength)
        stateMachine = AGISessionStateMachine(environmentLimits: core.configuration.environmentLimits)
        timer = AGISessionTimer(sessionLimit: TimeAmount(core.configuration.sessionDeadline), now: .now())
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        core.registry.opened(context.channel)
        // Time comes from the loop's clock, which tests move by hand.
        let now = context.eventLoop.now
        timer = AGISessionTimer(sessionLimit: TimeAmount(core.configuration.sessionDeadline), now: now)
        apply(timer.phaseStarted(.header, limit: TimeAmount(core.configuration.headerTimeout), now: now))
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // Normally the connection ended already (channelInactive); a channel closed before it
        // ever became active gets here only, and must still give back its session slot.
        connectionEnded(context.channel)
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        bytes.withUnsafeReadableBytes { framer.append(contentsOf: $0) }
        processLines()
    }

    func channelInactive(context: ChannelHandlerContext) {
        connectionEnded(context.channel)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A reset or a failed write: the connection is over; channelInactive reports why.
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is AGISessionRegistry.DrainTimeExpired else { return context.fireUserInboundEventTriggered(event) }
        timer.shutdownRequested()
        context.close(promise: nil)
    }

    func handleScheduledCallback(eventLoop: some EventLoop) {
        scheduledTimer = nil
        switch timer.timerFired(now: eventLoop.now) {
        case .expire: context?.close(promise: nil)
        case .schedule(let deadline): schedule(at: deadline)
        case .none: break
        }
    }

    // MARK: Lines from Asterisk

    private func processLines() {
        while true {
            if case .finished = mode { return }
            let line: String?
            do {
                line = try framer.nextLine()
            } catch {
                stateMachine.connectionClosed()
                return lineFailed(.protocolViolation(error))
            }
            guard let line else { return }
            switch stateMachine.lineReceived(line) {
            case .readMore: continue
            case .environmentReceived(let environment): startScript(environment)
            case .deliver(let result): responseReceived(.success(result))
            case .fail(let error): responseReceived(.failure(error))
            }
        }
    }

    private func startScript(_ environment: AGIEnvironment) {
        timer.phaseEnded()
        script = core.router.metricName(for: environment.request.name)
        let plan: AGIScriptRouter.Plan
        do {
            plan = try core.router.plan(for: environment, logger: core.sessionLogger(script: script, environment: environment))
        } catch {
            return finish(failure: error)
        }
        switch plan {
        case .commands(let commands):
            mode = .planned(remaining: commands[...], inFlight: nil)
            sendNextPlannedCommand()
        case .session:
            mode = .interactive(inFlight: nil, promise: nil)
            guard let context else { return }
            let link = AGISessionLink(handler: NIOLoopBound(self, eventLoop: context.eventLoop))
            let session = AGIPendingSession(environment: environment, script: script, started: started, link: link)
            if !core.registry.enqueue(session) {
                // The server stopped taking sessions between accept and now.
                finish(failure: AGIError.shuttingDown)
            }
        }
    }

    private func responseReceived(_ outcome: Result<AGIResult, AGIError>) {
        timer.phaseEnded()
        switch mode {
        case .planned(let remaining, _):
            if case .failure(let error) = outcome { return finish(failure: error) }
            mode = .planned(remaining: remaining, inFlight: nil)
            sendNextPlannedCommand()
        case .interactive(_, let promise):
            mode = .interactive(inFlight: nil, promise: nil)
            promise?.succeed(completion(outcome))
            // A broken protocol leaves nothing to talk about: close rather than wait for the task.
            if case .failure(let error) = outcome, case .protocolViolation = error {
                closedError = error
                context?.close(promise: nil)
            }
        case .readingEnvironment, .finished:
            if case .failure(let error) = outcome { lineFailed(error) }
        }
    }

    /// A line broke the protocol or the environment limits.
    private func lineFailed(_ error: AGIError) {
        switch mode {
        case .interactive(_, let promise):
            closedError = error
            mode = .interactive(inFlight: nil, promise: nil)
            promise?.succeed(completion(.failure(error)))
            context?.close(promise: nil)
        case .readingEnvironment, .planned:
            finish(failure: error)
        case .finished:
            break
        }
    }

    private func completion(_ result: Result<AGIResult, AGIError>) -> AGICommandCompletion {
        AGICommandCompletion(
            result: result, channelHungUp: stateMachine.channelHungUp, hangupConfirmed: stateMachine.hangupConfirmed)
    }

    // MARK: Commands to Asterisk

    private func sendNextPlannedCommand() {
        guard case .planned(var remaining, _) = mode else { return }
        guard let command = remaining.popFirst() else { return finish(failure: nil) }
        mode = .planned(remaining: remaining, inFlight: command)
        if let error = send(command) { finish(failure: error) }
    }

    /// An async session's command, on this loop (see ``AGISessionLink``).
    func commandRequested(_ command: AGICommand, promise: EventLoopPromise<AGICommandCompletion>) {
        if let closedError {
            return promise.succeed(completion(.failure(closedError)))
        }
        guard case .interactive(nil, nil) = mode else {
            preconditionFailure("an async session sent a command while another awaited its response")
        }
        mode = .interactive(inFlight: command, promise: promise)
        if let error = send(command) {
            mode = .interactive(inFlight: nil, promise: nil)
            promise.succeed(completion(.failure(error)))
        }
    }

    /// Writes one command and starts its time limit; the error when it cannot be sent.
    private func send(_ command: AGICommand) -> AGIError? {
        switch stateMachine.commandRequested(command) {
        case .fail(let error):
            return error
        case .send(let bytes):
            guard let context else { return .connectionClosed }
            let limit = command.isInteractive ? core.configuration.interactiveCommandTimeout : core.configuration.commandTimeout
            apply(timer.phaseStarted(.command, limit: TimeAmount(limit), now: context.eventLoop.now))
            var buffer = context.channel.allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
            return nil
        }
    }

    /// The async session's handler returned or threw: close the connection.
    func sessionEnded() {
        mode = .finished
        context?.close(promise: nil)
    }

    // MARK: Ending

    /// The connection is gone: settle whatever was waiting on it. Runs once.
    private func connectionEnded(_ channel: any Channel) {
        guard !connectionGone else { return }
        connectionGone = true
        scheduledTimer?.cancel()
        scheduledTimer = nil
        stateMachine.connectionClosed()
        switch mode {
        case .readingEnvironment:
            finish(failure: connectionGoneError(pending: nil))
        case .planned(_, let inFlight):
            finish(failure: connectionGoneError(pending: inFlight))
        case .interactive(let inFlight, let promise):
            let error = closedError ?? connectionGoneError(pending: inFlight)
            closedError = error
            mode = .interactive(inFlight: nil, promise: nil)
            promise?.succeed(completion(.failure(error)))
        case .finished:
            break
        }
        core.registry.closed(channel)
    }

    /// Ends a session that never reached the async API: count it, log it, close.
    private func finish(failure error: (any Error)?) {
        if case .finished = mode { return }
        mode = .finished
        scheduledTimer?.cancel()
        scheduledTimer = nil
        core.sessionFinished(script: script, started: started, error: error)
        context?.close(promise: nil)
    }

    /// Why the connection is gone: a time limit, shutdown, or the peer.
    private func connectionGoneError(pending command: AGICommand?) -> AGIError {
        timer.closedError(pending: command, channelHungUp: stateMachine.channelHungUp, configuration: core.configuration)
    }

    private func apply(_ action: AGISessionTimer.Action) {
        guard case .schedule(let deadline) = action else { return }
        scheduledTimer?.cancel()
        schedule(at: deadline)
    }

    private func schedule(at deadline: NIODeadline) {
        guard let context else { return }
        // Fails only when the event loop is shutting down, and then the connection goes with it.
        scheduledTimer = try? context.eventLoop.assumeIsolated().scheduleCallback(at: deadline, handler: self)
    }
}
