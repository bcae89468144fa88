import AMIModel
import Logging
import NIOCore

/// An action on its way to Asterisk with the promise its caller awaits.
struct AMIOutboundRequest: Sendable {
    var action: AMIAction
    var isList: Bool
    var promise: EventLoopPromise<[AMIMessage]>
}

/// What a connection reports to the client that owns it. Called on the channel's event loop.
protocol AMIConnectionObserver: Sendable {
    func connectionReady(serverVersion: String, channel: any Channel)
    func eventReceived(_ message: AMIMessage, name: String)
    func listCompleted(actionID: String)
    func frameRejected(_ error: AMIDecodingError)
    func actionTimedOut(_ action: String)
    func connectionClosed(reason: AMIError, wasReady: Bool)
}

/// The channel handler of one AMI connection: it drives an ``AMIConnectionStateMachine`` with
/// what ``AMIFrameDecoder`` decodes and a periodic timer, and keeps the ``AMIPendingActions``.
///
/// Everything here runs on the channel's event loop, so it needs no locks. It never waits on
/// the consumer: events go to the observer, which buffers them. Asterisk writes each event
/// with the manager user's `writetimeout` (100 ms by default) and closes the session of a
/// reader that falls behind, so the socket must always be read at once.
final class AMIConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = AMIDecoderOutput
    typealias OutboundIn = AMIOutboundRequest
    typealias OutboundOut = ByteBuffer

    private let credentials: AMIConnectionStateMachine.Credentials
    private let actionTimeout: Duration
    private let pingInterval: Duration
    private let observer: any AMIConnectionObserver
    private let logger: Logger
    private var machine: AMIConnectionStateMachine?
    private var pending = AMIPendingActions<EventLoopPromise<[AMIMessage]>>()
    private var encoder = AMIEncoder()
    private var timer: Scheduled<Void>?
    private var announced = false

    init(configuration: AMIClientConfiguration, observer: any AMIConnectionObserver, logger: Logger) {
        credentials = .init(
            username: configuration.username, secret: configuration.secret,
            useMD5Challenge: configuration.useMD5Challenge, eventMask: configuration.eventMask
        )
        actionTimeout = configuration.actionTimeout
        pingInterval = configuration.pingInterval
        self.observer = observer
        self.logger = logger
    }

    /// How often deadlines are checked: a quarter of the shortest one, between 10 ms and 1 s.
    private var tickInterval: TimeAmount {
        let quarter = min(actionTimeout, pingInterval) / 4
        let clamped = min(max(quarter, .milliseconds(10)), .seconds(1))
        return .nanoseconds(Int64(clamped.components.seconds) * 1_000_000_000 + clamped.components.attoseconds / 1_000_000_000)
    }

    func channelActive(context: ChannelHandlerContext) {
        machine = AMIConnectionStateMachine(
            credentials: credentials, actionTimeout: actionTimeout, pingInterval: pingInterval, now: .now
        )
        scheduleTick(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        let reason = machine?.connectionClosed(fallback: .connectionClosed(reason: "closed by the peer"))
            ?? .connectionClosed(reason: "closed before the connection was established")
        for completion in pending.failAll(reason) { complete(completion) }
        observer.connectionClosed(reason: reason, wasReady: announced)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        _ = machine?.connectionClosed(fallback: .connectionClosed(reason: "\(error)"))
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .banner(let banner):
            guard let action = machine?.bannerReceived(banner) else { return }
            perform(action, context: context)
        case .message(let message):
            received(message, context: context)
        case .commandOutput(let output):
            received(output.message, context: context)
        case .rejected(let error):
            observer.frameRejected(error)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        guard machine?.isReady == true else {
            request.promise.fail(AMIError.notConnected)
            promise?.fail(AMIError.notConnected)
            return
        }
        do {
            let (actionID, bytes) = try encoder.encode(request.action)
            guard
                pending.register(
                    actionID: actionID, action: request.action.name, isList: request.isList,
                    deadline: .now + actionTimeout, token: request.promise)
            else {
                let error = AMIError.actionFailed(action: request.action.name, message: "ActionID \(actionID) is already waiting for an answer")
                request.promise.fail(error)
                promise?.fail(error)
                return
            }
            context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: promise)
        } catch {
            request.promise.fail(AMIError.invalidAction(error))
            promise?.fail(AMIError.invalidAction(error))
        }
    }

    private func received(_ message: AMIMessage, context: ChannelHandlerContext) {
        guard machine?.isReady == true else {
            if message.eventName == nil, let action = machine?.responseReceived(message) {
                perform(action, context: context)
            }
            return
        }
        machine?.messageReceived()
        guard let name = message.eventName else {
            if let completion = pending.responseReceived(message) { complete(completion) }
            return
        }
        if pending.count > 0 {
            switch pending.eventReceived(message) {
            case .notAnAnswer: break
            case .collected: return
            case .completed(let completion):
                // The marker goes into the event stream before the caller of sendList resumes, in order with
                // the events around it.
                if case .success = completion.result, let actionID = message.actionID {
                    observer.listCompleted(actionID: actionID)
                }
                complete(completion)
                return
            }
        }
        observer.eventReceived(message, name: name)
    }

    private func perform(_ action: AMIConnectionStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .send(let amiAction):
            do {
                let (_, bytes) = try encoder.encode(amiAction)
                logger.debug("sending AMI action", metadata: ["action": "\(amiAction.name)"])
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
            } catch {
                let reason = AMIError.invalidAction(error)
                perform(machine?.fail(reason) ?? .close(reason), context: context)
            }
        case .announceReady(let serverVersion):
            announced = true
            observer.connectionReady(serverVersion: serverVersion, channel: context.channel)
        case .close(let reason):
            logger.debug("closing AMI connection", metadata: ["reason": "\(reason)"])
            context.close(promise: nil)
        }
    }

    private func complete(_ completion: AMIPendingActions<EventLoopPromise<[AMIMessage]>>.Completion) {
        completion.token.completeWith(completion.result.mapError { $0 as any Error })
    }

    private func scheduleTick(context: ChannelHandlerContext) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: tickInterval) {
            self.tick(context: context)
        }
    }

    private func tick(context: ChannelHandlerContext) {
        let now = ContinuousClock.now
        for completion in pending.expire(now: now, timeout: actionTimeout) {
            if case .failure(.actionTimedOut(let action, _)) = completion.result { observer.actionTimedOut(action) }
            complete(completion)
        }
        guard let action = machine?.timerFired(now: now) else { return }
        perform(action, context: context)
        if case .close = action { return }
        scheduleTick(context: context)
    }
}
