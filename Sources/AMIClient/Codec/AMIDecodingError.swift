/// Why the decoder rejected part of the stream.
///
/// The decoder reports these as values (``AMIDecoderOutput/rejected(_:)``) and goes on: it drops
/// the rest of the offending message and resynchronises at the next blank line. None of the
/// cases carries the rejected bytes beyond a short, sanitised excerpt, so every description is
/// safe to log.
public enum AMIDecodingError: Error, Sendable, Hashable {
    /// A line grew past ``AMIDecoderLimits/maxLineLength`` before its line end arrived.
    case lineTooLong(limit: Int)
    /// A message held more than ``AMIDecoderLimits/maxMessageBytes`` bytes.
    case messageTooLarge(limit: Int)
    /// A message held more than ``AMIDecoderLimits/maxFields`` fields or output lines.
    case tooManyFields(limit: Int)
    /// A line inside a message was not `Key: Value` (no colon, an empty key, or control bytes in
    /// the key). `excerpt` is at most 32 printable ASCII characters of the line.
    case malformedLine(excerpt: String)
    /// The stream ended inside a message; `byteCount` bytes of it were dropped.
    case truncated(byteCount: Int)
}

extension AMIDecodingError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .lineTooLong(let limit):
            "AMI line longer than \(limit) bytes; the message was dropped up to the next blank line"
        case .messageTooLarge(let limit):
            "AMI message larger than \(limit) bytes; it was dropped up to the next blank line"
        case .tooManyFields(let limit):
            "AMI message with more than \(limit) fields; it was dropped up to the next blank line"
        case .malformedLine(let excerpt):
            "AMI line is not 'Key: Value' (\"\(excerpt)\"); the message was dropped up to the next blank line"
        case .truncated(let byteCount):
            "AMI stream ended inside a message; \(byteCount) bytes were dropped"
        }
    }
}

extension AMIDecodingError {
    /// A printable, bounded excerpt of a rejected line for ``malformedLine(excerpt:)``.
    static func excerpt(of line: UnsafeRawBufferPointer) -> String {
        var text = ""
        for byte in line.prefix(32) {
            text.unicodeScalars.append(byte >= 0x20 && byte < 0x7F ? Unicode.Scalar(byte) : "?")
        }
        return text
    }
}
