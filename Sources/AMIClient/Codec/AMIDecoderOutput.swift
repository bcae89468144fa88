public import AMIModel

/// One thing the ``AMIDecoder`` recognised in the byte stream.
public enum AMIDecoderOutput: Sendable, Hashable {
    /// The greeting line Asterisk sends first, e.g. `Asterisk Call Manager/11.0.0`.
    case banner(String)
    /// An event or a response: the fields between two blank lines.
    case message(AMIMessage)
    /// A legacy `Response: Follows` answer to `Command`, up to `--END COMMAND--`.
    case commandOutput(AMICommandOutput)
    /// Bytes that could not be decoded; the decoder skipped to the next blank line.
    case rejected(AMIDecodingError)
}

extension AMIDecoderOutput {
    /// The protocol version of a banner line (`11.0.0` for `Asterisk Call Manager/11.0.0`), or the
    /// whole line when it has no slash.
    public static func version(ofBanner banner: String) -> String {
        guard let slash = banner.lastIndex(of: "/") else { return banner }
        return String(banner[banner.index(after: slash)...])
    }
}
