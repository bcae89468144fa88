import AMIClient
import AMIModel
import Testing

/// The decoder on framing quirks and hostile input: it reports, resynchronises and stays bounded.
@Suite struct AMIDecoderInputTests {
    let twoEvents = "Event: Hangup\r\nUniqueid: 1.1\r\n\r\nEvent: Newstate\r\nUniqueid: 1.2\r\n\r\n"

    @Test func bareNewlinesAndTheCRLFLFQuirkAreAccepted() {
        let outputs = decode(text: "Event: A\nKey: 1\n\nEvent: B\r\nKey: 2\r\n\nEvent: C\r\n\r\n")
        #expect(messages(outputs).map(\.eventName) == ["A", "B", "C"])
        #expect(messages(outputs).map { $0["key"] } == ["1", "2", nil])
    }

    @Test func repeatedKeysKeepTheirOrder() {
        let outputs = decode(text: "Event: Status\r\nChanVariable: A=1\r\nchanvariable: B=2\r\n\r\n")
        let message = messages(outputs)[0]
        #expect(message.values(for: "ChanVariable") == ["A=1", "B=2"])
        #expect(message.fields.map(\.key) == ["Event", "ChanVariable", "chanvariable"])
    }

    @Test func strayBlankLinesBetweenMessagesAreSkipped() {
        let outputs = decode(text: "\r\n\r\nEvent: A\r\n\r\n\r\n\n\r\nEvent: B\r\n\r\n")
        #expect(outputs.map { if case .message(let m) = $0 { m.eventName ?? "?" } else { "other" } } == ["A", "B"])
    }

    @Test func aLineWithoutColonRejectsItsMessageAndTheNextOneDecodes() {
        let outputs = decode(text: "Event: A\r\ngarbage line\r\nKey: lost\r\n\r\n" + twoEvents)
        #expect(rejections(outputs) == [.malformedLine(excerpt: "garbage line")])
        #expect(messages(outputs).map(\.eventName) == ["Hangup", "Newstate"])
    }

    @Test func emptyKeysAndControlBytesInKeysAreMalformed() {
        let outputs = decode(Array(": value\r\n\r\nE\u{1}vent: X\r\n\r\n".utf8) + Array(twoEvents.utf8))
        #expect(rejections(outputs).count == 2)
        #expect(messages(outputs).count == 2)
    }

    @Test func binaryGarbageIsRejectedWithoutCrashingAndDecodingResumes() {
        var generator = SplitMix64(seed: 42)
        let garbage = (0 ..< 5000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let outputs = decode(garbage + Array("\r\n\r\n".utf8) + Array(twoEvents.utf8))
        #expect(!rejections(outputs).isEmpty)
        #expect(messages(outputs).suffix(2).map(\.eventName) == ["Hangup", "Newstate"])
    }

    @Test func anOversizedLineIsRejectedOnceAndMemoryStaysBounded() {
        let limits = AMIDecoderLimits(maxLineLength: 1024)
        var decoder = AMIDecoder(limits: limits)
        var outputs: [AMIDecoderOutput] = []
        decoder.feed(Array("Event: Huge\r\nValue: ".utf8))
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 700)
        var largestBuffer = 0
        for _ in 0 ..< 1000 {
            decoder.feed(chunk)
            while let output = decoder.next() { outputs.append(output) }
            largestBuffer = max(largestBuffer, decoder.bufferedByteCount)
        }
        decoder.feed(Array(("\r\nMore: y\r\n\r\n" + twoEvents).utf8))
        while let output = decoder.next() { outputs.append(output) }
        #expect(rejections(outputs) == [.lineTooLong(limit: 1024)])
        #expect(messages(outputs).map(\.eventName) == ["Hangup", "Newstate"])
        #expect(largestBuffer <= 1024 + chunk.count)
    }

    @Test func aCompleteLineOverTheLimitIsRejected() {
        let long = String(repeating: "v", count: 2000)
        let outputs = decode(text: "Event: A\r\nKey: \(long)\r\n\r\n" + twoEvents, limits: AMIDecoderLimits(maxLineLength: 1000))
        #expect(rejections(outputs) == [.lineTooLong(limit: 1000)])
        #expect(messages(outputs).count == 2)
    }

    @Test func anOversizedMessageIsRejected() {
        let fields = (0 ..< 200).map { "Key\($0): \(String(repeating: "v", count: 50))\r\n" }.joined()
        let outputs = decode(text: "Event: A\r\n" + fields + "\r\n" + twoEvents, limits: AMIDecoderLimits(maxMessageBytes: 4096))
        #expect(rejections(outputs) == [.messageTooLarge(limit: 4096)])
        #expect(messages(outputs).map(\.eventName) == ["Hangup", "Newstate"])
    }

    @Test func tooManyFieldsAreRejected() {
        let fields = (0 ..< 100).map { "K: \($0)\r\n" }.joined()
        let outputs = decode(text: "Event: A\r\n" + fields + "\r\n" + twoEvents, limits: AMIDecoderLimits(maxFields: 64))
        #expect(rejections(outputs) == [.tooManyFields(limit: 64)])
        #expect(messages(outputs).count == 2)
    }

    @Test func aTruncatedStreamReportsTheDroppedBytes() {
        let outputs = decode(text: twoEvents + "Event: Cut\r\nUniqueid: 1.")
        #expect(messages(outputs).count == 2)
        #expect(rejections(outputs) == [.truncated(byteCount: "Event: Cut\r\nUniqueid: 1.".utf8.count)])
    }

    @Test func aMessageWithoutItsBlankLineIsTruncatedAtTheEnd() {
        let outputs = decode(text: "Event: A\r\nKey: 1\r\n")
        #expect(messages(outputs).isEmpty)
        #expect(rejections(outputs) == [.truncated(byteCount: 18)])
    }

    @Test func commandOutputIsReadUpToEndCommand() {
        let text = "Response: Follows\r\nPrivilege: Command\r\nActionID: 7\r\n"
            + "Name/username   Host\n\n101/101   127.0.0.1: 5071\n2 sip peers--END COMMAND--\r\n\r\n"
            + "Event: After\r\n\r\n"
        let outputs = decode(text: text)
        guard case .commandOutput(let output) = outputs.first else {
            Issue.record("expected command output, got \(outputs)")
            return
        }
        #expect(output.actionID == "7")
        #expect(output.header["Privilege"] == "Command")
        #expect(output.lines == ["Name/username   Host", "", "101/101   127.0.0.1: 5071", "2 sip peers"])
        #expect(output.message.values(for: "Output").count == 4)
        #expect(messages(outputs).map(\.eventName) == ["After"])
    }

    @Test func commandOutputWithoutTerminatorIsBoundedByTheLimits() {
        let lines = String(repeating: "output line\n", count: 1000)
        let outputs = decode(text: "Response: Follows\r\n" + lines, limits: AMIDecoderLimits(maxMessageBytes: 2000))
        #expect(rejections(outputs) == [.messageTooLarge(limit: 2000)])
    }

    @Test func theBannerIsRecognisedOnlyBeforeAMessageStarts() {
        let outputs = decode(text: "Asterisk Call Manager/2.10.4\r\nEvent: A\r\nAsterisk Call Manager/1\r\n\r\n")
        #expect(outputs.first == .banner("Asterisk Call Manager/2.10.4"))
        #expect(AMIDecoderOutput.version(ofBanner: "Asterisk Call Manager/2.10.4") == "2.10.4")
        #expect(rejections(outputs).count == 1)
    }

    @Test func onlyTheSeparatingSpaceIsDroppedFromValues() {
        let outputs = decode(text: "Event: A\r\nKey:   spaced value  \r\nTight:x\r\n\r\n")
        #expect(messages(outputs)[0]["Key"] == "  spaced value  ")
        #expect(messages(outputs)[0]["Tight"] == "x")
    }
}
