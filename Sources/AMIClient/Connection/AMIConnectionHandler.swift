import AMIModel
import LogKeys
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

/// The channel handler of one AMI connection: it feeds an ``AMIConnectionStateMachine`` with
/// what ``AMIFrameDecoder`` decodes, the actions callers write and a periodic timer, and performs
/// the actions the machine returns.
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
        return TimeAmount(min(max(quarter, .milliseconds(10)), .seconds(1)))
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
        let reason: AMIError
        if let closed = machine?.channelInactive(fallback: .connectionClosed(reason: "closed by the peer")) {
            reason = closed.reason
            for action in closed.actions { perform(action, context: context) }
        } else {
            reason = .connectionClosed(reason: "closed before the connection was established")
        }
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
            guard let action = machine?.messageReceived(message) else { return }
            perform(action, context: context)
        case .commandOutput(let output):
            guard let action = machine?.messageReceived(output.message) else { return }
            perform(action, context: context)
        case .rejected(let error):
            observer.frameRejected(error)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        let action =
            machine?.actionRequested(request.action, isList: request.isList, promise: request.promise, now: .now)
            ?? .fail(.notConnected)
        switch action {
        case .write(let bytes):
            context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: promise)
        case .fail(let error):
            request.promise.fail(error)
            promise?.fail(error)
        }
    }

    private func perform(_ action: AMIConnectionStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .send(let amiAction):
            logger.debug("sending AMI action", metadata: [LogKey.action: "\(amiAction.name)"])
            guard let encoded = machine?.encode(amiAction) else { return }
            perform(encoded, context: context)
        case .write(let bytes):
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
        case .announceReady(let serverVersion):
            announced = true
            observer.connectionReady(serverVersion: serverVersion, channel: context.channel)
        case .close(let reason):
            logger.debug("closing AMI connection", metadata: [LogKey.reason: "\(reason)"])
            context.close(promise: nil)
        case .deliverEvent(let message, let name):
            observer.eventReceived(message, name: name)
        case .completeAction(let completion):
            complete(completion)
        case .listCompleted(let actionID, let completion):
            observer.listCompleted(actionID: actionID)
            complete(completion)
        case .timeOutAction(let name, let completion):
            observer.actionTimedOut(name)
            complete(completion)
        }
    }

    private func complete(_ completion: AMIConnectionStateMachine.Completion) {
        completion.token.completeWith(completion.result.mapError { $0 as any Error })
    }

    private func scheduleTick(context: ChannelHandlerContext) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: tickInterval) {
            self.tick(context: context)
        }
    }

    private func tick(context: ChannelHandlerContext) {
        let now = ContinuousClock.now
        for action in machine?.actionsExpired(now: now) ?? [] { perform(action, context: context) }
        guard let action = machine?.timerFired(now: now) else { return }
        perform(action, context: context)
        if case .close = action { return }
        scheduleTick(context: context)
    }
}
