import NIOCore

/// The byte side of one FastAGI session: reads lines, writes commands, applies time limits.
///
/// Owned by the session's task and never shared, so it needs no locking.
struct AGIConnection {
    private let channel: any Channel
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var framer: AGILineFramer
    private var stateMachine: AGISessionStateMachine
    private let timer: AGISessionTimer
    private let configuration: AGIServerConfiguration

    init(
        channel: any Channel,
        inbound: NIOAsyncChannelInboundStream<ByteBuffer>,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        configuration: AGIServerConfiguration
    ) {
        self.channel = channel
        self.inbound = inbound.makeAsyncIterator()
        self.outbound = outbound
        self.framer = AGILineFramer(maximumLineLength: configuration.maximumLineLength)
        self.stateMachine = AGISessionStateMachine(environmentLimits: configuration.environmentLimits)
        self.timer = AGISessionTimer(channel: channel)
        self.configuration = configuration
    }

    /// Whether Asterisk has said that the channel hung up.
    var channelHungUp: Bool { stateMachine.channelHungUp }

    /// Starts the whole-session deadline; cancel the result when the session ends.
    func armSessionDeadline() -> Scheduled<Void> {
        timer.arm(.session, after: configuration.sessionDeadline)
    }

    /// Reads the environment block within the header time limit.
    mutating func readEnvironment() async throws(AGIError) -> AGIEnvironment {
        let limit = timer.arm(.header, after: configuration.headerTimeout)
        defer { limit.cancel() }
        while true {
            switch try await nextAction(pending: nil) {
            case .environmentReceived(let environment): return environment
            case .fail(let error): throw error
            case .readMore, .deliver: preconditionFailure("the environment state yields only the environment or a failure")
            }
        }
    }

    /// Sends one command and waits for its response.
    mutating func execute(_ command: AGICommand) async throws(AGIError) -> AGIResult {
        let bytes: [UInt8]
        switch stateMachine.commandRequested(command) {
        case .send(let encoded): bytes = encoded
        case .fail(let error): throw error
        }
        let limit = timer.arm(
            .command, after: command.isInteractive ? configuration.interactiveCommandTimeout : configuration.commandTimeout)
        defer { limit.cancel() }
        do {
            try await outbound.write(channel.allocator.buffer(bytes: bytes))
        } catch {
            stateMachine.connectionClosed()
            throw closedError(pending: command)
        }
        switch try await nextAction(pending: command) {
        case .deliver(let result): return result
        case .fail(let error): throw error
        case .readMore, .environmentReceived: preconditionFailure("a command yields only a result or a failure")
        }
    }

    /// Feeds lines to the state machine until it has something other than "read more".
    private mutating func nextAction(pending command: AGICommand?) async throws(AGIError) -> AGISessionStateMachine.LineAction {
        while true {
            let line: String?
            do {
                line = try framer.nextLine()
            } catch {
                stateMachine.connectionClosed()
                throw .protocolViolation(error)
            }
            if let line {
                let action = stateMachine.lineReceived(line)
                if case .readMore = action { continue }
                return action
            }
            let chunk: ByteBuffer?
            do {
                chunk = try await inbound.next()
            } catch {
                chunk = nil
            }
            guard let chunk else {
                stateMachine.connectionClosed()
                throw closedError(pending: command)
            }
            chunk.withUnsafeReadableBytes { framer.append(contentsOf: $0) }
        }
    }

    /// Why the connection is gone: a time limit, shutdown, or the peer.
    private func closedError(pending command: AGICommand?) -> AGIError {
        switch timer.fired {
        case .header: return .environmentTimedOut(after: configuration.headerTimeout)
        case .session: return .sessionDeadlineExceeded(after: configuration.sessionDeadline)
        case .command:
            let limit =
                command?.isInteractive == true ? configuration.interactiveCommandTimeout : configuration.commandTimeout
            return .commandTimedOut(command: command?.description ?? "", after: limit)
        case .none:
            if Task.isCancelled { return .shuttingDown }
            // Asterisk closes right after writing HANGUP when the channel is gone (S8, S9 ends).
            return stateMachine.channelHungUp ? .channelHungUp : .connectionClosed
        }
    }
}
