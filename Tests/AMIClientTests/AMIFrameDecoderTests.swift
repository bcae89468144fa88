import AMIClient
import AMIModel
import NIOCore
import NIOEmbedded
import NIOTestUtils
import TestFixtures
import Testing

@Suite struct AMIFrameDecoderTests {
    @Test(arguments: ["S3", "S5"])
    func theNIOAdapterPassesTheByteToMessageVerifier(_ scenario: String) throws {
        let bytes = try Fixtures.data(scenario, "ami.raw")
        let expected = decode(bytes)
        #expect(expected.count > 50)
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(ByteBuffer(bytes: bytes), expected)],
            decoderFactory: { AMIFrameDecoder() }
        )
    }

    @Test func aConnectionClosedMidMessageEndsWithTruncated() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(AMIFrameDecoder()))
        try channel.writeInbound(ByteBuffer(string: "Event: A\r\n\r\nEvent: B\r\nUnique"))
        let first = try channel.readInbound(as: AMIDecoderOutput.self)
        #expect(first.flatMap { if case .message(let m) = $0 { m.eventName } else { nil } } == "A")
        #expect(try channel.readInbound(as: AMIDecoderOutput.self) == nil)
        _ = try channel.finish(acceptAlreadyClosed: true)
        // `finish` runs decodeLast, which reports the unfinished message.
        let last = try channel.readInbound(as: AMIDecoderOutput.self)
        #expect(last == .rejected(.truncated(byteCount: "Event: B\r\nUnique".utf8.count)))
    }
}
