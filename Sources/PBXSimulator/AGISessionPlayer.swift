import AGIHandlers
public import NIOCore
import NIOPosix

/// Plays Asterisk's side of one FastAGI session over real TCP: sends an environment, answers
/// every command through a ``SimulatedChannel``, and writes the final `HANGUP` Asterisk sends
/// after the server closes (every recorded session ends with it).
public struct AGISessionPlayer {
    public struct Transcript: Sendable {
        /// Command lines received from the server, in order.
        public var commands: [String] = []
        /// The channel after the session (variables set, prompts played).
        public var channel: SimulatedChannel
        /// Whether the server closed the connection (rather than us giving up).
        public var closedByServer = false
    }

    public static func connect(host: String = "127.0.0.1", port: Int) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// Runs one session. `beforeReply` runs before each answer (to hold sessions open in tests).
    public static func play(
        host: String = "127.0.0.1", port: Int, environment: [UInt8], channel: SimulatedChannel,
        beforeReply: @Sendable (String) async -> Void = { _ in }
    ) async throws -> Transcript {
        let connection = try await connect(host: host, port: port)
        return try await connection.executeThenClose { inbound, outbound in
            var transcript = Transcript(channel: channel)
            try await outbound.write(ByteBuffer(bytes: environment))
            var reader = LineReader(inbound)
            while let line = try await reader.nextLine() {
                transcript.commands.append(line)
                await beforeReply(line)
                let reply = transcript.channel.respond(to: line)
                try await outbound.write(ByteBuffer(string: reply.map { $0 + "\n" }.joined()))
            }
            transcript.closedByServer = true
            // The server may already have closed its socket: a failed write is expected here.
            try? await outbound.write(ByteBuffer(string: "HANGUP\n"))
            return transcript
        }
    }
}

/// Lines from an async inbound stream.
public struct LineReader {
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var framer = AGILineFramer(maximumLineLength: 1 << 20)
    /// Every byte received, for tests that check what the server sent.
    public private(set) var received: [UInt8] = []

    public init(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>) {
        iterator = inbound.makeAsyncIterator()
    }

    /// The next line, or `nil` once the server closed the connection.
    public mutating func nextLine() async throws -> String? {
        while true {
            if let line = try framer.nextLine() { return line }
            // A reset after the server closed counts as closed, as it does for Asterisk.
            guard let chunk = try? await iterator.next() else { return nil }
            received.append(contentsOf: chunk.readableBytesView)
            framer.append(chunk.readableBytesView)
        }
    }
}
