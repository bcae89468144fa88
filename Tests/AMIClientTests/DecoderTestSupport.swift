import AMIClient
import AMIModel

/// Decodes `chunks` fed one after the other, draining the decoder after each, then ends the stream.
func decode(chunks: [ArraySlice<UInt8>], limits: AMIDecoderLimits = .default, finish: Bool = true) -> [AMIDecoderOutput] {
    var decoder = AMIDecoder(limits: limits)
    var outputs: [AMIDecoderOutput] = []
    for chunk in chunks {
        decoder.feed(Array(chunk))
        while let output = decoder.next() { outputs.append(output) }
    }
    if finish, let last = decoder.finish() { outputs.append(last) }
    return outputs
}

/// Decodes `bytes` fed in one piece.
func decode(_ bytes: [UInt8], limits: AMIDecoderLimits = .default) -> [AMIDecoderOutput] {
    decode(chunks: [bytes[...]], limits: limits)
}

/// Decodes text written with `\r\n` line ends.
func decode(text: String, limits: AMIDecoderLimits = .default) -> [AMIDecoderOutput] {
    decode(Array(text.utf8), limits: limits)
}

/// The messages among `outputs`.
func messages(_ outputs: [AMIDecoderOutput]) -> [AMIMessage] {
    outputs.compactMap { if case .message(let message) = $0 { message } else { nil } }
}

/// The rejections among `outputs`.
func rejections(_ outputs: [AMIDecoderOutput]) -> [AMIDecodingError] {
    outputs.compactMap { if case .rejected(let error) = $0 { error } else { nil } }
}

/// What `grep -c '^Event: NAME'` would count, per name: lines of `bytes` starting with `Event: `.
func grepEventCounts(_ bytes: [UInt8]) -> [String: Int] {
    var counts: [String: Int] = [:]
    for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("Event: ") else { continue }
        var name = text.dropFirst("Event: ".count)
        if name.hasSuffix("\r") { name = name.dropLast() }
        counts[String(name), default: 0] += 1
    }
    return counts
}
