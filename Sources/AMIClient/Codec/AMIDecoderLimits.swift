/// Hard limits that keep a misbehaving peer from growing the decoder's memory.
///
/// Asterisk's own lines are short (the longest in the recorded Asterisk 22 traces is under
/// 400 bytes, a CEL `Extra` JSON), so the defaults leave a wide margin while still bounding
/// what one connection can hold: at most `maxLineLength` bytes of an unfinished line plus
/// `maxMessageBytes` of the message being assembled.
public struct AMIDecoderLimits: Sendable, Hashable {
    /// The longest line accepted, without its line end. A longer line rejects its message.
    public var maxLineLength: Int
    /// The most bytes one message may span on the wire, line ends included.
    public var maxMessageBytes: Int
    /// The most fields (or command output lines) one message may hold.
    public var maxFields: Int

    /// Creates limits; every value is clamped to at least 64 so a message can always start.
    public init(maxLineLength: Int = 64 * 1024, maxMessageBytes: Int = 1024 * 1024, maxFields: Int = 4096) {
        self.maxLineLength = max(64, maxLineLength)
        self.maxMessageBytes = max(64, maxMessageBytes)
        self.maxFields = max(64, maxFields)
    }

    /// 64 KiB lines, 1 MiB messages, 4096 fields.
    public static let `default` = AMIDecoderLimits()
}
