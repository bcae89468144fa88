import AMIClient
import AMIModel
import Foundation
import Testing

/// Inputs found by fuzz/run.sh, replayed with the same checks as the fuzzer's entry point.
@Suite struct AMIDecoderRegressionTests {
    /// The limits fuzz/AMIDecoderFuzz.swift uses.
    static let fuzzLimits = AMIDecoderLimits(maxLineLength: 128, maxMessageBytes: 1024, maxFields: 64)

    /// The fuzzer's promise: the first 4 bytes choose chunk sizes, and the rest decodes the same
    /// whole and in those chunks.
    func expectSameOutputsWholeAndSplit(fuzzInput: [UInt8]) {
        let sizes = fuzzInput.prefix(4).map { max(1, Int($0)) }
        let data = Array(fuzzInput.dropFirst(4))
        var chunks: [ArraySlice<UInt8>] = []
        var offset = 0
        while offset < data.count {
            let end = min(data.count, offset + sizes[chunks.count % sizes.count])
            chunks.append(data[offset ..< end])
            offset = end
        }
        let whole = decode(data, limits: Self.fuzzLimits)
        let split = decode(chunks: chunks, limits: Self.fuzzLimits)
        #expect(whole == split)
    }

    /// crash-41c847b7…, minimised: a 128-byte line (the limit) whose CR arrived in one chunk and
    /// LF in the next was rejected as too long when split, but accepted (then judged malformed)
    /// in one piece.
    @Test func aLineOfExactlyTheLimitSplitBetweenCRAndLF() {
        let minimised: [UInt8] = [
            0x06, 0x00, 0x01, 0x00, 0x0A, 0x0D, 0x0A, 0x45, 0x76, 0x92, 0x92, 0x5D, 0x6D, 0x7E, 0x85, 0xF8, 0x7B, 0x00, 0x00,
        ] + [UInt8](repeating: 0x92, count: 50) + [0xFF, 0x00] + [UInt8](repeating: 0x92, count: 48)
            + Array("ent: FullyBooted\r\ntr".utf8)
        expectSameOutputsWholeAndSplit(fuzzInput: minimised)
    }

    @Test(arguments: [127, 128, 129])
    func linesAroundTheLimitDecodeTheSameWhenSplitBeforeTheLF(_ length: Int) {
        let line = "Key: " + String(repeating: "v", count: length - 5)
        let bytes = Array("Event: A\r\n\(line)\r\n\r\n".utf8)
        let lf = bytes.count - 3
        let whole = decode(bytes, limits: Self.fuzzLimits)
        let split = decode(chunks: [bytes[..<lf], bytes[lf...]], limits: Self.fuzzLimits)
        #expect(whole == split)
        #expect(rejections(whole).isEmpty == (length <= 128))
    }
}

/// A long line arriving a byte at a time must cost linear time (the decoder remembers how far
/// it searched for the line end). Rescanning this 400,000-byte line on every byte reads 80 GB:
/// 1.4 s of CPU here even at memchr's speed, against 0.2 s for the linear decoder (debug build).
@Suite struct AMIDecoderLinearityTests {
    @Test func aLongLineFedByteByByteIsScannedOnce() {
        // The first line of a message is the one the whole-message fast path would rescan.
        var line = Array("Event: ".utf8) + [UInt8](repeating: UInt8(ascii: "v"), count: 400_000)
        line += Array("\r\nNext: 1\r\n\r\n".utf8)
        var decoder = AMIDecoder(limits: AMIDecoderLimits(maxLineLength: 1 << 20, maxMessageBytes: 1 << 21))
        var outputs: [AMIDecoderOutput] = []
        // CPU time of this thread (the loop never suspends), so other processes do not count.
        let started = threadCPUSeconds()
        for byte in line {
            decoder.feed([byte])
            while let output = decoder.next() { outputs.append(output) }
        }
        let elapsed = threadCPUSeconds() - started
        #expect(messages(outputs).first?.eventName?.count == 400_000)
        #expect(elapsed < 0.7, "feeding 400 KB byte by byte took \(elapsed) s of CPU")
    }
}

private func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
