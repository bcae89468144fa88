import AMIModel
import NIOCore

/// The life of one AMI connection, from the banner to its close, without any I/O.
///
/// ```
/// awaitingBanner ──banner──▶ challenging ──Challenge ok──▶ loggingIn ──Success──▶ ready
///       │  (plain login skips challenging) ──────────────────▲            │
///       └──────────── timeout / Error / close ───────────────┴──▶ closed ◀┘ keepalive timeout
/// ```
///
/// Once ready, it also routes what arrives: it owns the actions sent and not yet answered
/// (``AMIPendingActions``), so a response or a list's item goes to the caller that waits for it
/// and every other event to the consumer.
///
/// The I/O layer feeds what happened (`bannerReceived`, `messageReceived`, `actionRequested`,
/// `timerFired` with the current time) and performs the returned ``Action``. Time is an input:
/// the machine never reads a clock, so every transition is tested without a network or a sleep.
/// Reconnecting is not its business: a closed machine is discarded and the next connection gets
/// a new one (see ``AMIReconnectBackoff``).
struct AMIConnectionStateMachine: Sendable {
    typealias Instant = ContinuousClock.Instant
    /// The caller of an action, resumed with its response or list items.
    typealias Promise = EventLoopPromise<[AMIMessage]>
    typealias Completion = AMIPendingActions<Promise>.Completion

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
        /// Write this action (login, challenge, keepalive ping); ``encode(_:)`` turns it into bytes.
        case send(AMIAction)
        /// Write and flush these bytes.
        case write([UInt8])
        /// The login succeeded: announce the session.
        case announceReady(serverVersion: String)
        /// Close the connection for this reason.
        case close(AMIError)
        /// Hand this event to the consumer.
        case deliverEvent(AMIMessage, name: String)
        /// Resume the caller of an action with its response, its items or its error.
        case completeAction(Completion)
        /// A list action completed here: put its marker into the event stream, in order with the events around
        /// it, before its caller resumes; then complete it.
        case listCompleted(actionID: String, Completion)
        /// An action's answer did not come in time: count it, then complete it with the timeout.
        case timeOutAction(action: String, Completion)
    }

    /// What to do with an action a caller asked to send.
    enum RequestAction: Sendable, Equatable {
        /// Write these bytes (the caller's write promise follows them).
        case write([UInt8])
        /// Fail the caller at once.
        case fail(AMIError)
    }

    static let challengeActionID = "calljournal-challenge"
    static let loginActionID = "calljournal-login"

    private(set) var state: State
    private var pending = AMIPendingActions<Promise>()
    /// One encoder per connection, so that the ActionIDs it makes up (a ping's, a caller's) never repeat.
    private var encoder = AMIEncoder()
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

    /// A message (a response or an event) arrived. Before the session is ready, only the handshake's
    /// responses count; once it is, a response completes its action, a list's item is kept for its caller,
    /// the item that closes a list completes it, and anything else is delivered as an event.
    mutating func messageReceived(_ message: AMIMessage) -> Action {
        guard case .ready = state else {
            return message.eventName == nil ? responseReceived(message) : .none
        }
        messageReceived()
        guard let name = message.eventName else {
            return pending.responseReceived(message).map(Action.completeAction) ?? .none
        }
        if pending.count > 0 {
            switch pending.eventReceived(message) {
            case .notAnAnswer:
                break
            case .collected:
                return .none
            case .completed(let completion):
                if case .success = completion.result, let actionID = message.actionID {
                    return .listCompleted(actionID: actionID, completion)
                }
                return .completeAction(completion)
            }
        }
        return .deliverEvent(message, name: name)
    }

    /// A caller asked to send `action` at `now`; `isList` when it answers with a list of events.
    mutating func actionRequested(_ action: AMIAction, isList: Bool, promise: Promise, now: Instant) -> RequestAction {
        guard isReady else { return .fail(.notConnected) }
        let encoded: (actionID: String, bytes: [UInt8])
        do {
            encoded = try encoder.encode(action)
        } catch {
            return .fail(.invalidAction(error))
        }
        guard
            pending.register(
                actionID: encoded.actionID, action: action.name, isList: isList, deadline: now + actionTimeout, token: promise)
        else {
            return .fail(.actionFailed(action: action.name, message: "ActionID \(encoded.actionID) is already waiting for an answer"))
        }
        return .write(encoded.bytes)
    }

    /// The bytes of an action the machine asked to ``Action/send(_:)``, or the close of a connection whose
    /// handshake cannot be sent (a line break in the username or secret).
    mutating func encode(_ action: AMIAction) -> Action {
        do {
            return .write(try encoder.encode(action).bytes)
        } catch {
            return close(.invalidAction(error))
        }
    }

    /// The periodic timer fired at `now`: every action whose answer is overdue, to be timed out. Called before
    /// ``timerFired(now:)``.
    mutating func actionsExpired(now: Instant) -> [Action] {
        pending.expire(now: now, timeout: actionTimeout).map { completion in
            if case .failure(.actionTimedOut(let action, _)) = completion.result {
                return .timeOutAction(action: action, completion)
            }
            return .completeAction(completion)
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

    /// The channel went inactive: why, and every action still waiting, to be failed with that reason.
    mutating func channelInactive(fallback: AMIError) -> (reason: AMIError, actions: [Action]) {
        let reason = connectionClosed(fallback: fallback)
        return (reason, pending.failAll(reason).map(Action.completeAction))
    }

    private mutating func close(_ reason: AMIError) -> Action {
        state = .closed(reason)
        return .close(reason)
    }
}
