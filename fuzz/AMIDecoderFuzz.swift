// libFuzzer entry point for the AMI decoder. Built by fuzz/run.sh together with the codec sources;
// not part of the SwiftPM package.
import AMIModel

/// Small limits so that the fuzzer reaches the limit paths with short inputs.
private let limits = AMIDecoderLimits(maxLineLength: 128, maxMessageBytes: 1024, maxFields: 64)

/// Decodes `data` split into chunks whose sizes come from `sizes`, checking the decoder's
/// promises on every step. A broken promise traps, which libFuzzer reports as a crash.
private func decode(_ data: UnsafeRawBufferPointer, chunkSizes sizes: UnsafeRawBufferPointer) -> [AMIDecoderOutput] {
    var decoder = AMIDecoder(limits: limits)
    var outputs: [AMIDecoderOutput] = []
    var offset = 0
    var sizeIndex = 0
    while offset < data.count {
        let size = sizes.isEmpty ? data.count : max(1, Int(sizes[sizeIndex % sizes.count]))
        sizeIndex += 1
        let end = min(data.count, offset + size)
        decoder.feed(UnsafeRawBufferPointer(rebasing: data[offset ..< end]))
        offset = end
        while let output = decoder.next() { outputs.append(output) }
        // Memory stays bounded: one unfinished line, however hostile the input.
        precondition(decoder.bufferedByteCount <= limits.maxLineLength + size, "decoder buffer grew past its limit")
    }
    if let last = decoder.finish() { outputs.append(last) }
    precondition(decoder.bufferedByteCount == 0 && !decoder.isInsideMessage, "finish left state behind")
    return outputs
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAMIDecoder(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let input = UnsafeRawBufferPointer(start: start, count: count)
    // The first 4 bytes choose how the rest is split; the same bytes must decode the same way
    // in one piece and in pieces.
    let sizes = UnsafeRawBufferPointer(rebasing: input.prefix(4))
    let data = UnsafeRawBufferPointer(rebasing: input.dropFirst(4))
    let whole = decode(data, chunkSizes: UnsafeRawBufferPointer(start: nil, count: 0))
    let pieces = decode(data, chunkSizes: sizes)
    precondition(whole == pieces, "splitting the input changed the decoded outputs")
    for output in whole {
        if case .message(let message) = output {
            precondition(message.count <= limits.maxFields, "a message exceeded the field limit")
            precondition(message.byteCount <= limits.maxMessageBytes, "a message exceeded the size limit")
            _ = message.eventName
        }
    }
    return 0
}
