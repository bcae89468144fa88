// libFuzzer entry point for the AMI decoder. Built by fuzz/run.sh together with the codec sources;
// not part of the SwiftPM package.
import AMIModel

/// Small limits so that the fuzzer reaches the limit paths with short inputs.
private let limits = AMIDecoderLimits(maxLineLength: 128, maxMessageBytes: 1024, maxFields: 64)

/// Decodes the chunks in turn, checking the decoder's promises on every step. A broken promise traps, which
/// libFuzzer reports as a crash.
private func decode(_ chunks: [UnsafeRawBufferPointer]) -> [AMIDecoderOutput] {
    var decoder = AMIDecoder(limits: limits)
    var outputs: [AMIDecoderOutput] = []
    for chunk in chunks {
        decoder.feed(chunk)
        while let output = decoder.next() { outputs.append(output) }
        // Memory stays bounded: one unfinished line, however hostile the input.
        precondition(decoder.bufferedByteCount <= limits.maxLineLength + chunk.count, "decoder buffer grew past its limit")
    }
    if let last = decoder.finish() { outputs.append(last) }
    precondition(decoder.bufferedByteCount == 0 && !decoder.isInsideMessage, "finish left state behind")
    return outputs
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAMIDecoder(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    // The same bytes must decode the same way in one piece and in pieces.
    guard let input = ChunkedInput(start, count: count) else { return 0 }
    let whole = input.decodedAlikeWholeAndInChunks(decode)
    for output in whole {
        if case .message(let message) = output {
            precondition(message.count <= limits.maxFields, "a message exceeded the field limit")
            precondition(message.byteCount <= limits.maxMessageBytes, "a message exceeded the size limit")
            _ = message.eventName
        }
    }
    return 0
}
