import NIOCore

/// Plays Asterisk's side of one `route` session: sends the recorded environment, answers each
/// command with `200 result=1` (what Asterisk answers to SET VARIABLE), and finishes when the
/// server closes. With `answers == false` it sends the environment and then stays silent,
/// holding the session open (for the idle-memory measurement).
final class RouteLoadClient: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let environment: ByteBuffer
    private let answers: Bool
    private var commandsAnswered = 0
    /// What the server sent against what it must send; its verdict counts once the connection is closed.
    private(set) var commands: CommandCheck

    init(environment: ByteBuffer, answers: Bool, expectedCommands: [UInt8] = []) {
        self.environment = environment
        self.answers = answers
        self.commands = CommandCheck(expected: expectedCommands)
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(environment), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard answers else { return }
        let buffer = unwrapInboundIn(data)
        commands.received(buffer.readableBytesView)
        // Commands are never pipelined, so each line end is one command to answer.
        let commands = buffer.readableBytesView.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        guard commands > 0 else { return }
        commandsAnswered += commands
        var reply = context.channel.allocator.buffer(capacity: 13 * commands)
        for _ in 0..<commands { reply.writeString("200 result=1\n") }
        context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
