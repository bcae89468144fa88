import NIOCore
import NIOPosix
import Synchronization

/// A FastAGI client that records every byte the server sends as it arrives, so a test can see
/// what was sent at a given moment (not only what a reader has asked for).
struct ByteRecorder: Sendable {
    private let channel: any Channel
    private let sink: ByteSink

    static func connect(port: Int) async throws -> ByteRecorder {
        let sink = ByteSink()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(sink) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return ByteRecorder(channel: channel, sink: sink)
    }

    /// Lines received so far.
    var lineCount: Int { sink.bytes.withLock { $0.count { $0 == UInt8(ascii: "\n") } } }

    func send(_ data: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: data))
    }

    /// Waits until at least `count` lines have arrived.
    func waitForLines(_ count: Int) async throws {
        try await waitUntil("\(count) lines from the server") { lineCount >= count }
    }

    /// Waits until the server has closed the connection.
    func closed() async throws {
        try await channel.closeFuture.get()
    }
}

/// The pipeline end of a ``ByteRecorder``: keeps every byte received.
private final class ByteSink: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let bytes = Mutex<[UInt8]>([])

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        bytes.withLock { $0.append(contentsOf: buffer.readableBytesView) }
    }
}
