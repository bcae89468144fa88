public import AMIModel

/// A recorded AMI byte stream (an `ami.raw` tap, or bytes captured from a live connection) split into messages.
///
/// Used by `calljournal replay`, the simulator and the tests: the same decoder as the live connection, so a trace
/// that replays cleanly here is read the same way in production.
public struct AMIRecording: Sendable {
    /// The banner line's version, if the stream starts with one.
    public var bannerVersion: String?
    /// Every message with an `Event:` header, in order.
    public var events: [AMIMessage]
    /// Responses to actions (the login response of a tap, for instance).
    public var responses: [AMIMessage]
    /// What the decoder refused (oversized or malformed frames), in order.
    public var rejected: [AMIDecodingError]

    /// Decodes `bytes` completely; a final message without its blank line is kept.
    public init(bytes: [UInt8], limits: AMIDecoderLimits = .default) {
        var decoder = AMIDecoder(limits: limits)
        decoder.feed(bytes)
        bannerVersion = nil
        events = []
        responses = []
        rejected = []
        while let output = decoder.next() { take(output) }
        if let output = decoder.finish() { take(output) }
    }

    private mutating func take(_ output: AMIDecoderOutput) {
        switch output {
        case .banner(let banner): bannerVersion = AMIDecoderOutput.version(ofBanner: banner)
        case .message(let message) where message.eventName != nil: events.append(message)
        case .message(let message): responses.append(message)
        case .commandOutput: break
        case .rejected(let error): rejected.append(error)
        }
    }
}
