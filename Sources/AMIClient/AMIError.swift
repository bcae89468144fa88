/// What went wrong talking to Asterisk. Descriptions name the operation and the object and say
/// what to do; they never contain a secret.
public enum AMIError: Error, Sendable, Hashable {
    /// Asterisk refused the login. Retried only at the longest reconnect delay.
    case authenticationFailed(username: String)
    /// No response arrived for an action within the action timeout.
    case actionTimedOut(action: String, after: Duration)
    /// Asterisk answered an action with `Response: Error`.
    case actionFailed(action: String, message: String)
    /// There is no logged-in connection right now; the client is connecting or backing off.
    case notConnected
    /// The TCP connection could not be opened.
    case connectFailed(host: String, port: Int, reason: String)
    /// Banner and login did not complete within the action timeout.
    case handshakeTimedOut(after: Duration)
    /// The peer went silent: a keepalive `Ping` got no answer within the action timeout.
    case keepaliveTimedOut(after: Duration)
    /// The connection closed (by the peer, the network or a shutdown).
    case connectionClosed(reason: String)
    /// The peer does not speak AMI as expected (no banner, an unexpected answer to `Challenge`).
    case protocolViolation(String)
    /// The action could not be encoded (CR/LF in a value, an invalid key).
    case invalidAction(AMIEncodingError)
    /// The banner names an AMI version whose events carry no `Linkedid` (AMI 1.x of Asterisk 11 and older, and
    /// AMI 2.0–2.7 of Asterisk 12 and 13.0–13.4): calls cannot be told apart. Retried only at the longest delay.
    case unsupportedVersion(String)
}

extension AMIError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .authenticationFailed(let username):
            "Asterisk rejected the AMI login of user '\(username)'; check the username and secret in the "
                + "configuration against manager.conf (and its permit/deny lines)"
        case .actionTimedOut(let action, let after):
            "AMI action \(action) got no response within \(after)"
        case .actionFailed(let action, let message):
            "Asterisk answered AMI action \(action) with an error: \(message)"
        case .notConnected:
            "no AMI connection is logged in at the moment; the client is reconnecting"
        case .connectFailed(let host, let port, let reason):
            "could not connect to AMI at \(host):\(port) (\(reason)); check that Asterisk runs and manager.conf enables it"
        case .handshakeTimedOut(let after):
            "the AMI banner and login did not complete within \(after)"
        case .keepaliveTimedOut(let after):
            "the AMI peer did not answer a keepalive Ping within \(after); the connection is presumed dead"
        case .connectionClosed(let reason):
            "the AMI connection closed: \(reason)"
        case .protocolViolation(let detail):
            "the AMI peer broke the protocol: \(detail)"
        case .invalidAction(let error):
            error.description
        case .unsupportedVersion(let version):
            "the AMI server speaks 'Asterisk Call Manager/\(version)' (\(AMIVersion.describe(version))), whose events "
                + "carry no Linkedid, so calls cannot be told apart; calljournal needs AMI 2.8 or later "
                + "(Asterisk 13.5 or later, 16 or later recommended)"
        }
    }
}
