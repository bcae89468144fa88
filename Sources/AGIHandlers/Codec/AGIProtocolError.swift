/// A violation of the FastAGI wire protocol found by the codec.
///
/// Descriptions name the limit or the rule that was broken and never echo more than a short,
/// sanitised prefix of the offending bytes, so they are safe to log.
public enum AGIProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A line grew past the configured length without a terminating `\n`.
    case lineTooLong(limit: Int)
    /// The environment block grew past its byte limit before the terminating blank line.
    case environmentTooLarge(limitBytes: Int)
    /// The environment block has more lines than allowed.
    case tooManyEnvironmentLines(limit: Int)
    /// An environment line is not of the form `agi_<name>: <value>`.
    case malformedEnvironmentLine(prefix: String)
    /// The environment ended without `agi_network_script` or `agi_request`.
    case missingScript
    /// A line from Asterisk that is neither a response nor `HANGUP`.
    case malformedResponse(prefix: String)
    /// A `520` usage body that did not end within the allowed number of lines.
    case usageTooLong(limit: Int)
    /// A command argument that cannot be sent safely (CR, LF or NUL inside it, an invalid name,
    /// or a line longer than Asterisk's command buffer).
    case unsafeCommandArgument(command: String, reason: String)

    public var description: String {
        switch self {
        case .lineTooLong(let limit):
            "FastAGI line longer than \(limit) bytes without a line end; the session was closed"
        case .environmentTooLarge(let limit):
            "FastAGI environment block larger than \(limit) bytes; the session was closed"
        case .tooManyEnvironmentLines(let limit):
            "FastAGI environment block has more than \(limit) lines; the session was closed"
        case .malformedEnvironmentLine(let prefix):
            "FastAGI environment line is not 'agi_name: value' (starts with \(prefix)); the peer is probably not Asterisk"
        case .missingScript:
            "FastAGI environment has no agi_network_script or agi_request; cannot tell which script to run"
        case .malformedResponse(let prefix):
            "Asterisk sent a line that is not an AGI response (starts with \(prefix))"
        case .usageTooLong(let limit):
            "Asterisk's 520 usage text did not end within \(limit) lines"
        case .unsafeCommandArgument(let command, let reason):
            "refused to send AGI command \(command): \(reason)"
        }
    }

    /// A printable, bounded prefix of untrusted text for error messages, in double quotes.
    static func excerpt(_ text: some StringProtocol, limit: Int = 24) -> String {
        "\"" + printable(text, limit: limit) + "\""
    }

    /// Untrusted text as it may go into a log line: at most `limit` characters, each one that is not printable
    /// ASCII (control bytes, DEL, anything a terminal could take for an escape, non-ASCII) replaced by `?`, and `…`
    /// where it was cut. Text that needs none of this (an ordinary channel name) is returned as it is.
    static func printable(_ text: some StringProtocol, limit: Int) -> String {
        if text.utf8.count <= limit, text.utf8.allSatisfy({ (0x20..<0x7F).contains($0) }) { return String(text) }
        let shown = text.prefix(limit).map { (0x20..<0x7F).contains($0.asciiValue ?? 0) ? $0 : "?" }
        return String(shown) + (text.count > limit ? "…" : "")
    }
}
