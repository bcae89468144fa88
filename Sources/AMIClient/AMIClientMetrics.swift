/// A snapshot of an ``AMIClient``'s counters, for metrics and health checks.
public struct AMIClientMetrics: Sendable, Hashable {
    /// Connections that reached the logged-in state.
    public var sessions: Int
    /// Logged-in connections after the first one.
    public var reconnects: Int { max(0, sessions - 1) }
    /// Connection attempts that failed before logging in (refused, timed out, rejected login).
    public var failedAttempts: Int
    /// Logins Asterisk rejected.
    public var authenticationFailures: Int
    /// Events decoded from Asterisk.
    public var eventsReceived: Int
    /// Stream elements dropped because the consumer fell behind.
    public var eventsDropped: Int
    /// Parts of the byte stream the decoder rejected (malformed, oversized, truncated).
    public var rejectedFrames: Int
    /// Actions that got no response in time.
    public var actionTimeouts: Int
    /// True while a connection is logged in.
    public var isConnected: Bool

    public init(
        sessions: Int = 0, failedAttempts: Int = 0, authenticationFailures: Int = 0, eventsReceived: Int = 0,
        eventsDropped: Int = 0, rejectedFrames: Int = 0, actionTimeouts: Int = 0, isConnected: Bool = false
    ) {
        self.sessions = sessions
        self.failedAttempts = failedAttempts
        self.authenticationFailures = authenticationFailures
        self.eventsReceived = eventsReceived
        self.eventsDropped = eventsDropped
        self.rejectedFrames = rejectedFrames
        self.actionTimeouts = actionTimeouts
        self.isConnected = isConnected
    }
}
