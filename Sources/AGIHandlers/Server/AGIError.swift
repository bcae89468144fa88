/// Why an AGI session operation failed.
///
/// Handlers normally let `channelHungUp` end the script quietly: it is the ordinary end of a
/// menu when the agent puts the phone down (S13) or of the transferer's channel after a
/// transfer (S8, S9). The other cases are counted as errors.
public enum AGIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Asterisk reported the channel gone: a `HANGUP` line, `511` for a channel command, or
    /// `result=-1` from a command that needs a live channel.
    case channelHungUp
    /// Asterisk refused the command (`510` unknown command, `520` usage).
    case commandRejected(command: String, response: String)
    /// No response to a command within its time limit.
    case commandTimedOut(command: String, after: Duration)
    /// The environment block did not arrive within the header time limit.
    case environmentTimedOut(after: Duration)
    /// The whole session ran longer than its deadline.
    case sessionDeadlineExceeded(after: Duration)
    /// The connection ended before the response arrived.
    case connectionClosed
    /// The server is shutting down and the drain time ran out.
    case shuttingDown
    /// Bytes from Asterisk broke the protocol, or a command could not be sent safely.
    case protocolViolation(AGIProtocolError)

    public var description: String {
        switch self {
        case .channelHungUp: "the channel hung up"
        case .commandRejected(let command, let response):
            "Asterisk rejected AGI command \(command): \(response)"
        case .commandTimedOut(let command, let after):
            "no answer from Asterisk to AGI command \(command) within \(after); the session was closed"
        case .environmentTimedOut(let after):
            "the FastAGI client sent no complete environment within \(after); the connection was closed"
        case .sessionDeadlineExceeded(let after):
            "the FastAGI session ran longer than its deadline of \(after); the connection was closed"
        case .connectionClosed: "the FastAGI connection closed before the response arrived"
        case .shuttingDown: "the FastAGI server is shutting down and the drain time ran out"
        case .protocolViolation(let error): error.description
        }
    }
}
