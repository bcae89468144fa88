import AMIModel

/// The life of one AMI connection, from the banner to its close, without any I/O.
///
/// ```
/// awaitingBanner ──banner──▶ challenging ──Challenge ok──▶ loggingIn ──Success──▶ ready
///       │  (plain login skips challenging) ──────────────────▲            │
///       └──────────── timeout / Error / close ───────────────┴──▶ closed ◀┘ keepalive timeout
/// ```
///
/// The I/O layer feeds what happened (`bannerReceived`, `responseReceived`, `timerFired` with
/// the current time) and performs the returned ``Action``. Time is an input: the machine never
/// reads a clock, so every transition is tested without a network or a sleep. Reconnecting is
/// not its business: a closed machine is discarded and the next connection gets a new one
/// (see ``AMIReconnectBackoff``).
struct AMIConnectionStateMachine: Sendable {
    typealias Instant = ContinuousClock.Instant

    struct Credentials: Sendable {
        var username: String
        var secret: String
        var useMD5Challenge: Bool
        var eventMask: String
    }

    enum State: Sendable {
        case awaitingBanner(since: Instant)
        case challenging(since: Instant, serverVersion: String)
        case loggingIn(since: Instant, serverVersion: String)
        /// `activity` is set by every received message and folded into `lastActivity` at the
        /// next tick, so the hot path never needs the time.
        case ready(lastActivity: Instant, pingSentAt: Instant?, activity: Bool)
        case closed(AMIError)
    }

    enum Action: Sendable, Equatable {
        case none
        /// Write this action (login, challenge, keepalive ping).
        case send(AMIAction)
        /// The login succeeded: announce the session.
        case announceReady(serverVersion: String)
        /// Close the connection for this reason.
        case close(AMIError)
    }

    static let challengeActionID = "calljournal-challenge"
    static let loginActionID = "calljournal-login"

    private(set) var state: State
    let credentials: Credentials
    let actionTimeout: Duration
    let pingInterval: Duration

    /// A machine for a connection that has just been established at `now`.
    init(credentials: Credentials, actionTimeout: Duration, pingInterval: Duration, now: Instant) {
        self.credentials = credentials
        self.actionTimeout = actionTimeout
        self.pingInterval = pingInterval
        state = .awaitingBanner(since: now)
    }

    var isReady: Bool {
        if case .ready = state { true } else { false }
    }

    /// Asterisk greeted us with `Asterisk Call Manager/<version>`.
    mutating func bannerReceived(_ banner: String) -> Action {
        guard case .awaitingBanner(let since) = state else { return .none }
        let version = AMIDecoderOutput.version(ofBanner: banner)
        if !AMIVersion.carriesLinkedid(version) { return close(.unsupportedVersion(version)) }
        if credentials.useMD5Challenge {
            state = .challenging(since: since, serverVersion: version)
            var challenge = AMIAction.challenge()
            challenge.actionID = Self.challengeActionID
            return .send(challenge)
        }
        state = .loggingIn(since: since, serverVersion: version)
        var login = AMIAction.login(username: credentials.username, secret: credentials.secret, events: credentials.eventMask)
        login.actionID = Self.loginActionID
        return .send(login)
    }

    /// A response arrived before the session was ready (the handshake's answers).
    mutating func responseReceived(_ response: AMIMessage) -> Action {
        switch state {
        case .awaitingBanner:
            return close(.protocolViolation("a response arrived before the 'Asterisk Call Manager' banner"))
        case .challenging(let since, let version):
            guard response.actionID == Self.challengeActionID else { return .none }
            guard response.response?.lowercased() == "success", let challenge = response["Challenge"] else {
                return close(.actionFailed(action: "Challenge", message: response["Message"] ?? "no challenge returned"))
            }
            state = .loggingIn(since: since, serverVersion: version)
            var login = AMIAction.login(
                username: credentials.username, challenge: challenge, secret: credentials.secret, events: credentials.eventMask
            )
            login.actionID = Self.loginActionID
            return .send(login)
        case .loggingIn(let since, let version):
            guard response.actionID == Self.loginActionID else { return .none }
            guard response.response?.lowercased() == "success" else {
                return close(.authenticationFailed(username: credentials.username))
            }
            state = .ready(lastActivity: since, pingSentAt: nil, activity: true)
            return .announceReady(serverVersion: version)
        case .ready, .closed:
            return .none
        }
    }

    /// Any message arrived on a ready connection: the peer is alive.
    mutating func messageReceived() {
        if case .ready(let lastActivity, let pingSentAt, false) = state {
            state = .ready(lastActivity: lastActivity, pingSentAt: pingSentAt, activity: true)
        }
    }

    /// The periodic timer fired at `now`: enforce the handshake deadline and the keepalive.
    mutating func timerFired(now: Instant) -> Action {
        switch state {
        case .awaitingBanner(let since), .challenging(let since, _), .loggingIn(let since, _):
            return now - since >= actionTimeout ? close(.handshakeTimedOut(after: actionTimeout)) : .none
        case .ready(let lastActivity, let pingSentAt, let activity):
            if activity {
                state = .ready(lastActivity: now, pingSentAt: nil, activity: false)
                return .none
            }
            if let pingSentAt {
                return now - pingSentAt >= actionTimeout ? close(.keepaliveTimedOut(after: actionTimeout)) : .none
            }
            guard now - lastActivity >= pingInterval else { return .none }
            state = .ready(lastActivity: lastActivity, pingSentAt: now, activity: false)
            return .send(.ping())
        case .closed:
            return .none
        }
    }

    /// The connection closed. Returns why: the reason the machine closed it for, or `fallback`.
    mutating func connectionClosed(fallback: AMIError) -> AMIError {
        if case .closed(let reason) = state { return reason }
        state = .closed(fallback)
        return fallback
    }

    /// Something outside the machine makes the connection unusable (an action of the handshake that cannot be
    /// encoded): closes it for `reason`, which ``connectionClosed(fallback:)`` then reports.
    mutating func fail(_ reason: AMIError) -> Action {
        close(reason)
    }

    private mutating func close(_ reason: AMIError) -> Action {
        state = .closed(reason)
        return .close(reason)
    }
}
