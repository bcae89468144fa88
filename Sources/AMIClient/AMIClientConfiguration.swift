/// How to reach and log in to one Asterisk, and how patient to be with it.
///
/// The defaults are the daemon's (`ami.<name>.*` in `calljournal.example.yaml`), read over by
/// `AMIClientConfiguration+ConfigReader.swift` in the executable.
public struct AMIClientConfiguration: Sendable {
    /// Capped exponential backoff between connection attempts.
    public struct Backoff: Sendable, Hashable {
        /// The delay after the first failure.
        public var initial: Duration
        /// The longest delay; also the delay after a rejected login.
        public var maximum: Duration
        /// The fraction (0...1) by which a delay is randomly shortened, so that several clients
        /// restarted together do not reconnect in lockstep.
        public var jitter: Double

        public init(initial: Duration = .milliseconds(500), maximum: Duration = .seconds(30), jitter: Double = 0.2) {
            self.initial = initial
            self.maximum = max(initial, maximum)
            self.jitter = min(1, max(0, jitter))
        }
    }

    /// The name of this Asterisk in logs, events and the journal (`pbx` column).
    public var pbx: String
    public var host: String
    public var port: Int
    public var username: String
    /// The manager.conf secret. Sent only as an MD5 key when ``useMD5Challenge`` is true;
    /// never logged.
    public var secret: String
    /// Log in with `Challenge`/MD5 (the default) instead of sending the secret in clear.
    public var useMD5Challenge: Bool
    /// The `Events:` mask of the login: `on`, `off`, or classes such as `call,cdr,dialplan`. The default is what the
    /// call tracker needs (docs/asterisk.md): channel and bridge events, `Cdr`, `VarSet`/`Newexten` and the queues'.
    public var eventMask: String
    /// The longest wait for the TCP connection.
    public var connectTimeout: Duration
    /// The longest wait for an action's response, for banner plus login, and for a keepalive.
    public var actionTimeout: Duration
    /// A `Ping` is sent after this long without any traffic from Asterisk.
    public var pingInterval: Duration
    public var reconnect: Backoff
    /// How many stream elements may wait for a slow consumer before new ones are dropped.
    public var eventBufferLimit: Int
    public var decoderLimits: AMIDecoderLimits

    public init(
        pbx: String, host: String = "127.0.0.1", port: Int = 5038, username: String = "calljournal", secret: String,
        useMD5Challenge: Bool = true, eventMask: String = "call,cdr,dialplan,agent", connectTimeout: Duration = .seconds(5),
        actionTimeout: Duration = .seconds(10), pingInterval: Duration = .seconds(15), reconnect: Backoff = Backoff(),
        eventBufferLimit: Int = 10000, decoderLimits: AMIDecoderLimits = .default
    ) {
        self.pbx = pbx
        self.host = host
        self.port = port
        self.username = username
        self.secret = secret
        self.useMD5Challenge = useMD5Challenge
        self.eventMask = eventMask
        self.connectTimeout = connectTimeout
        self.actionTimeout = actionTimeout
        self.pingInterval = pingInterval
        self.reconnect = reconnect
        self.eventBufferLimit = max(1, eventBufferLimit)
        self.decoderLimits = decoderLimits
    }
}

extension AMIClientConfiguration: CustomStringConvertible {
    /// `main=lab@127.0.0.1:5038 md5 events=on`: the secret is never shown.
    public var description: String {
        "\(pbx)=\(username)@\(host):\(port) \(useMD5Challenge ? "md5" : "plain") events=\(eventMask)"
    }
}
