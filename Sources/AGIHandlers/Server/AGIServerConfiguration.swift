/// Settings of the FastAGI listener and its sessions.
///
/// The defaults suit a daemon next to Asterisk on the same host: loopback only, generous limits
/// for the real environment (about 700 bytes and 22 lines in every recorded trace), and time
/// limits that end stuck peers without cutting a post-call menu short. They are the daemon's (`agi.*` in
/// `calljournal.example.yaml`), read over by `AGIServerConfiguration+ConfigReader.swift` in the executable.
public struct AGIServerConfiguration: Sendable {
    /// Listen address; `0.0.0.0` or `::` to accept remote Asterisk servers (then set `allowedClients`).
    public var host: String
    /// Listen port; 0 picks a free port (see ``AGIServer/localPort``).
    public var port: Int
    /// Client networks allowed besides loopback, which is always allowed. Others are refused
    /// (connection closed at once), counted and logged.
    public var allowedClients: [AGIAddressRange]
    /// The most sessions open at once; a connection beyond it is refused so that the dialplan
    /// continues at once (`AGISTATUS=FAILURE`) instead of waiting.
    public var maximumSessions: Int
    /// The longest line accepted from Asterisk, in bytes.
    public var maximumLineLength: Int
    /// Limits of the environment block.
    public var environmentLimits: AGIEnvironmentDecoder.Limits
    /// How long a new connection may take to send its whole environment.
    public var headerTimeout: Duration
    /// How long Asterisk may take to answer a non-interactive command (`SET VARIABLE`, `VERBOSE`).
    public var commandTimeout: Duration
    /// How long an interactive command (`STREAM FILE`, `GET DATA`) may take: a prompt plus typing.
    public var interactiveCommandTimeout: Duration
    /// The longest a session may last in all (`agi.request_deadline_ms`): then the connection closes and the
    /// dialplan goes on.
    public var sessionDeadline: Duration
    /// On shutdown, how long running sessions may go on before they are closed.
    public var drainTimeout: Duration
    /// The listen backlog (pending connections the kernel queues).
    public var backlog: Int32

    public init(
        host: String = "127.0.0.1",
        port: Int = 4573,
        allowedClients: [AGIAddressRange] = [],
        maximumSessions: Int = 2000,
        maximumLineLength: Int = 8192,
        environmentLimits: AGIEnvironmentDecoder.Limits = .init(),
        headerTimeout: Duration = .seconds(2),
        commandTimeout: Duration = .seconds(10),
        interactiveCommandTimeout: Duration = .seconds(120),
        sessionDeadline: Duration = .seconds(120),
        drainTimeout: Duration = .seconds(30),
        backlog: Int32 = 4096
    ) {
        self.host = host
        self.port = port
        self.allowedClients = allowedClients
        self.maximumSessions = maximumSessions
        self.maximumLineLength = maximumLineLength
        self.environmentLimits = environmentLimits
        self.headerTimeout = headerTimeout
        self.commandTimeout = commandTimeout
        self.interactiveCommandTimeout = interactiveCommandTimeout
        self.sessionDeadline = sessionDeadline
        self.drainTimeout = drainTimeout
        self.backlog = backlog
    }
}
