import Logging
import NIOCore

/// The byte side of one FastAGI session, on the connection's event loop: it frames lines, feeds
/// them to the ``AGISessionStateMachine``, performs the actions it returns, and keeps the time
/// limits (``AGISessionTimer``).
///
/// Everything here runs on one event loop, so a `route` session never wakes another thread:
/// the kernel's read event leads straight to the next command's write. An async session's
/// commands arrive through ``AGISessionLink``.
final class AGIConnectionHandler: ChannelInboundHandler, NIOScheduledCallbackHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let core: AGIServerCore
    private var framer: AGILineFramer
    private var stateMachine: AGISessionStateMachine
    private var timer: AGISessionTimer
    private var scheduledTimer: NIOScheduledCallback?
    private var context: ChannelHandlerContext?
    private let started = ContinuousClock.now
    private var script = "none"
    private var connectionGone = false

    init(core: AGIServerCore) {
        self.core = core
        framer = AGILineFramer(maximumLineLength: core.configuration.maximumLineLength)
        stateMachine = AGISessionStateMachine(configuration: core.configuration)
        timer = AGISessionTimer(sessionLimit: TimeAmount(core.configuration.sessionDeadline), now: .now())
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        core.registry.opened(context.channel)
        // Time comes from the loop's clock, which tests move by hand.
        let now = context.eventLoop.now
        timer = AGISessionTimer(sessionLimit: TimeAmount(core.configuration.sessionDeadline), now: now)
        startTimer(timer.phaseStarted(.header, limit: TimeAmount(core.configuration.headerTimeout), now: now))
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // Normally the connection ended already (channelInactive); a channel closed before it
        // ever became active gets here only, and must still give back its session slot.
        connectionEnded(context.channel)
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        unwrapInboundIn(data).withUnsafeReadableBytes { framer.append(contentsOf: $0) }
        do throws(AGIProtocolError) {
            while let line = try framer.nextLine() { run(stateMachine.lineReceived(line)) }
        } catch {
            run(stateMachine.framingFailed(error))
        }
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

    // MARK: From the async session (see ``AGISessionLink``)

    func commandRequested(_ command: AGICommand, promise: EventLoopPromise<AGICommandCompletion>) {
        run(stateMachine.commandRequested(command, promise: promise))
    }

    func sessionEnded() {
        run(stateMachine.sessionEnded())
    }

    private func run(_ action: AGISessionStateMachine.Action) {
        switch action {
        case .none:
            break
        case .startScript(let environment):
            timer.phaseEnded()
            script = core.router.metricName(for: environment.request.name)
            let logger = core.sessionLogger(script: script, environment: environment)
            run(stateMachine.scriptStarted(Result { () throws(AGIError) in try core.router.plan(for: environment, logger: logger) }))
        case .enqueueSession(let environment):
            guard let context else { return }
            let link = AGISessionLink(handler: NIOLoopBound(self, eventLoop: context.eventLoop))
            if !core.registry.enqueue(AGIPendingSession(environment: environment, script: script, started: started, link: link)) {
                run(stateMachine.sessionRefused())
            }
        case .send(let bytes, let limit):
            guard let context else { return run(stateMachine.connectionClosed(.connectionClosed)) }
            startTimer(timer.phaseStarted(.command, limit: TimeAmount(limit), now: context.eventLoop.now))
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
        case .completeCommand(let promise, let completion, let close):
            timer.phaseEnded()
            promise.succeed(completion)
            if close { context?.close(promise: nil) }
        case .finish(let error):
            cancelTimer()
            core.sessionFinished(script: script, started: started, error: error)
            context?.close(promise: nil)
        case .close:
            context?.close(promise: nil)
        }
    }

    /// The connection is gone: settle whatever was waiting on it with why (a time limit, shutdown, or the peer).
    /// Runs once.
    private func connectionEnded(_ channel: any Channel) {
        guard !connectionGone else { return }
        connectionGone = true
        cancelTimer()
        let error = timer.closedError(
            pending: stateMachine.commandInFlight, channelHungUp: stateMachine.channelHungUp, configuration: core.configuration)
        run(stateMachine.connectionClosed(error))
        core.registry.closed(channel)
    }

    private func startTimer(_ action: AGISessionTimer.Action) {
        guard case .schedule(let deadline) = action else { return }
        scheduledTimer?.cancel()
        schedule(at: deadline)
    }

    private func cancelTimer() {
        scheduledTimer?.cancel()
        scheduledTimer = nil
    }

    private func schedule(at deadline: NIODeadline) {
        guard let context else { return }
        // Fails only when the event loop is shutting down, and then the connection goes with it.
        scheduledTimer = try? context.eventLoop.assumeIsolated().scheduleCallback(at: deadline, handler: self)
    }
}
