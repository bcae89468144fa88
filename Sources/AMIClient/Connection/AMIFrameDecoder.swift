public import NIOCore

/// The SwiftNIO adapter of ``AMIDecoder``: bytes from the socket in, ``AMIDecoderOutput`` out.
///
/// Add it as `ByteToMessageHandler(AMIFrameDecoder())`. Every readable byte is handed to the
/// pure decoder at once (it keeps the unfinished line itself), so NIO's buffer never grows. When
/// the connection closes inside a message, the last output is
/// ``AMIDecodingError/truncated(byteCount:)``.
public struct AMIFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = AMIDecoderOutput

    private var decoder: AMIDecoder

    public init(limits: AMIDecoderLimits = .default) {
        decoder = AMIDecoder(limits: limits)
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if buffer.readableBytes > 0 {
            buffer.withUnsafeReadableBytes { decoder.feed($0) }
            buffer.moveReaderIndex(to: buffer.writerIndex)
        }
        while let output = decoder.next() {
            context.fireChannelRead(wrapInboundOut(output))
        }
        return .needMoreData
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        _ = try decode(context: context, buffer: &buffer)
        if let output = decoder.finish() {
            context.fireChannelRead(wrapInboundOut(output))
        }
        return .needMoreData
    }
}
