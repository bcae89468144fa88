import AMIClient
import AMIModel
import NIOCore
import NIOPosix
import Synchronization

/// A small AMI server on 127.0.0.1 for the client tests: it greets, answers `Challenge`, MD5 and
/// plain `Login`, `Ping`, `CoreShowChannels` and `UserEvent`, and after a successful login sends
/// the recorded events it was given. Every connection is accepted on an ephemeral port and
/// closed with the server.
final class AMITestServer: Sendable {
    struct Behaviour: Sendable {
        var username = "lab"
        var secret = "labsecret"
        var challenge = "840427339"
        /// Bytes written after a successful login (recorded events).
        var replay: [UInt8] = []
        /// Write only this many bytes of `replay`, then close (a server dying mid-message).
        var replayCut: Int?
        /// Close the connection once `replay` is written.
        var closeAfterReplay = false
        /// Actions that get no answer at all (case-insensitive names).
        var unanswered: Set<String> = []
        /// How many items `CoreShowChannels` lists.
        var channelCount = 3
        /// Write a `Hangup` event just before the `CoreShowChannels` answer and a `Newchannel` just after its end,
        /// as a busy Asterisk interleaves them.
        var eventsAroundList = false
    }

    let behaviour: Behaviour
    private let serverChannel: any Channel
    private let state = Mutex<(actions: [AMIMessage], connectedAt: [ContinuousClock.Instant])>(([], []))

    /// The port the server listens on.
    var port: Int { serverChannel.localAddress?.port ?? 0 }

    /// Every action received so far, on any connection, in order.
    var actions: [AMIMessage] { state.withLock { $0.actions } }

    /// Connections accepted so far.
    var connections: Int { state.withLock { $0.connectedAt.count } }

    /// The time between each accepted connection and the next.
    var connectionGaps: [Duration] {
        let instants = state.withLock { $0.connectedAt }
        return zip(instants, instants.dropFirst()).map { $1 - $0 }
    }

    private init(behaviour: Behaviour, serverChannel: any Channel) {
        self.behaviour = behaviour
        self.serverChannel = serverChannel
    }

    static func start(_ behaviour: Behaviour) async throws -> AMITestServer {
        let recorder = Recorder()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(AMIFrameDecoder()),
                        AMITestServerSession(behaviour: behaviour, recorder: recorder)
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = AMITestServer(behaviour: behaviour, serverChannel: channel)
        recorder.server.withLock { $0 = server }
        return server
    }

    func stop() async throws {
        try await serverChannel.close()
    }

    func record(action: AMIMessage) { state.withLock { $0.actions.append(action) } }
    func recordConnection() { state.withLock { $0.connectedAt.append(.now) } }

    /// A client configuration pointing at this server, with short timeouts for tests.
    func clientConfiguration(
        secret: String? = nil, md5: Bool = true, bufferLimit: Int = 10000,
        actionTimeout: Duration = .seconds(2), pingInterval: Duration = .seconds(5),
        backoff: AMIClientConfiguration.Backoff = .init(initial: .milliseconds(20), maximum: .milliseconds(200), jitter: 0)
    ) -> AMIClientConfiguration {
        AMIClientConfiguration(
            pbx: "test", host: "127.0.0.1", port: port, username: behaviour.username, secret: secret ?? behaviour.secret,
            useMD5Challenge: md5, eventMask: "on", connectTimeout: .seconds(2), actionTimeout: actionTimeout,
            pingInterval: pingInterval, reconnect: backoff, eventBufferLimit: bufferLimit
        )
    }

    /// Lets sessions report to a server created after its bootstrap.
    final class Recorder: Sendable {
        let server = Mutex<AMITestServer?>(nil)
        func record(_ action: AMIMessage) { server.withLock { $0 }?.record(action: action) }
        func connected() { server.withLock { $0 }?.recordConnection() }
    }
}

/// One connection of the test server.
private final class AMITestServerSession: ChannelInboundHandler {
    typealias InboundIn = AMIDecoderOutput
    typealias OutboundOut = ByteBuffer

    let behaviour: AMITestServer.Behaviour
    let recorder: AMITestServer.Recorder

    init(behaviour: AMITestServer.Behaviour, recorder: AMITestServer.Recorder) {
        self.behaviour = behaviour
        self.recorder = recorder
    }

    func channelActive(context: ChannelHandlerContext) {
        recorder.connected()
        write("Asterisk Call Manager/11.0.0\r\n", context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .message(let action) = unwrapInboundIn(data) else { return }
        recorder.record(action)
        let name = action["Action"]?.lowercased() ?? ""
        let id = action.actionID ?? ""
        if behaviour.unanswered.contains(name) { return }
        switch name {
        case "challenge":
            write("Response: Success\r\nActionID: \(id)\r\nChallenge: \(behaviour.challenge)\r\n\r\n", context: context)
        case "login":
            login(action, id: id, context: context)
        case "ping":
            write("Response: Success\r\nActionID: \(id)\r\nPing: Pong\r\nTimestamp: 1795358806.804466\r\n\r\n", context: context)
        case "coreshowchannels":
            var text = behaviour.eventsAroundList ? "Event: Hangup\r\nChannel: PJSIP/199-00000009\r\n\r\n" : ""
            text += "Response: Success\r\nActionID: \(id)\r\nEventList: start\r\nMessage: Channels will follow\r\n\r\n"
            for index in 0 ..< behaviour.channelCount {
                text += "Event: CoreShowChannel\r\nActionID: \(id)\r\nChannel: PJSIP/10\(index)-0000000\(index)\r\n"
                    + "Uniqueid: 1795358806.\(index)\r\nLinkedid: 1795358806.0\r\n\r\n"
            }
            text += "Event: CoreShowChannelsComplete\r\nActionID: \(id)\r\nEventList: Complete\r\n"
                + "ListItems: \(behaviour.channelCount)\r\n\r\n"
            if behaviour.eventsAroundList { text += "Event: Newchannel\r\nChannel: PJSIP/198-00000010\r\n\r\n" }
            write(text, context: context)
        case "userevent":
            write("Response: Success\r\nActionID: \(id)\r\n\r\n", context: context)
            write("Event: UserEvent\r\nPrivilege: user,all\r\nUserEvent: \(action["UserEvent"] ?? "")\r\n\r\n", context: context)
        default:
            write("Response: Error\r\nActionID: \(id)\r\nMessage: Invalid/unknown command\r\n\r\n", context: context)
        }
    }

    private func login(_ action: AMIMessage, id: String, context: ChannelHandlerContext) {
        let expectedKey = MD5Reference.hex(behaviour.challenge + behaviour.secret)
        let accepted = action["Username"] == behaviour.username
            && (action["AuthType"]?.lowercased() == "md5" ? action["Key"] == expectedKey : action["Secret"] == behaviour.secret)
        guard accepted else {
            // Asterisk answers a failed login with an error and closes the session.
            write("Response: Error\r\nActionID: \(id)\r\nMessage: Authentication failed\r\n\r\n", context: context)
            context.close(promise: nil)
            return
        }
        write("Response: Success\r\nActionID: \(id)\r\nMessage: Authentication accepted\r\n\r\n", context: context)
        let replay = behaviour.replayCut.map { Array(behaviour.replay.prefix($0)) } ?? behaviour.replay
        if !replay.isEmpty {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: replay)), promise: nil)
        }
        if behaviour.replayCut != nil || behaviour.closeAfterReplay {
            context.close(promise: nil)
        }
    }

    private func write(_ text: String, context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
    }
}
