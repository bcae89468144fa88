public import AMIModel

/// The answer to a `Command` action in the legacy `Response: Follows` form.
///
/// Asterisk up to 13 answers `Command` with a header, the raw CLI text, and a terminator
/// glued to the last line when the text does not end in a newline:
///
/// ```
/// Response: Follows\r\n
/// Privilege: Command\r\n
/// ActionID: 7\r\n
/// Name/username   Host   Dyn  ...\n
/// 101/101         (Unspecified)   D ...\n
/// --END COMMAND--\r\n
/// \r\n
/// ```
///
/// Newer versions answer `Response: Success` with one `Output:` field per line, which decodes as
/// an ordinary ``AMIMessage``.
public struct AMICommandOutput: Sendable, Hashable {
    /// The `Response`, `Privilege` and `ActionID` fields.
    public var header: AMIMessage
    /// The CLI text, one element per line, without line ends.
    public var lines: [String]

    public init(header: AMIMessage, lines: [String]) {
        self.header = header
        self.lines = lines
    }

    /// The `ActionID` of the `Command` action this answers.
    public var actionID: String? { header.actionID }

    /// The same answer in the modern shape: the header followed by one `Output` field per line.
    public var message: AMIMessage {
        var message = header
        for line in lines { message.append(key: "Output", value: line) }
        return message
    }
}
