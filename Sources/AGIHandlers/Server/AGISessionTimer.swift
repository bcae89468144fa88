import NIOCore

/// The time limits of one session, without I/O: which limit is due next and which one fired.
///
/// A session has one standing limit (its whole-session deadline) and at most one phase limit
/// at a time: the environment (header) limit, then one per command in flight. Scheduling a
/// loop timer for every command would cost an allocation and a heap insert and removal per
/// command; instead one loop timer is kept, set for the earliest limit known when it was
/// scheduled. A new phase whose limit lies later (the usual case: a 10 s command limit after
/// a 2 s header limit) needs no new timer; when the timer goes off early, it is set again
/// for what is then due.
///
/// ```
/// phaseStarted(.header, 2 s) ──▶ .schedule(now + 2 s)
/// phaseEnded(); phaseStarted(.command, 10 s) ──▶ .none (a timer is already set earlier)
/// timerFired(now + 2 s) ──▶ .schedule(now + 10 s)      nothing due yet
/// timerFired(now + 10 s) ──▶ .expire(.command)          close the connection
/// ```
struct AGISessionTimer {
    /// Which limit closed the session.
    enum Reason: Equatable, Sendable {
        case header, command, session, shutdown
    }

    enum Action: Equatable {
        /// Set the loop timer to go off at this moment (any earlier timer is obsolete).
        case schedule(NIODeadline)
        case none
    }

    enum FireAction: Equatable {
        /// The limit has run out: close the connection.
        case expire(Reason)
        /// Nothing is due yet: set the loop timer again.
        case schedule(NIODeadline)
        /// No limit is pending (the session is over).
        case none
    }

    private let sessionDeadline: NIODeadline
    private var phase: (deadline: NIODeadline, reason: Reason)?
    /// When the loop timer is set to go off, if one is set.
    private var timerDeadline: NIODeadline?
    /// The limit that closed the session, once one has.
    private(set) var fired: Reason?

    /// Starts the whole-session deadline. No timer is set until the first phase starts, which
    /// the session does at once (the environment).
    init(sessionLimit: TimeAmount, now: NIODeadline) {
        sessionDeadline = now + sessionLimit
    }

    /// A phase with its own limit begins (reading the environment, a command in flight).
    mutating func phaseStarted(_ reason: Reason, limit: TimeAmount, now: NIODeadline) -> Action {
        let deadline = now + limit
        phase = (deadline, reason)
        let due = min(deadline, sessionDeadline)
        if let timerDeadline, timerDeadline <= due { return .none }
        timerDeadline = due
        return .schedule(due)
    }

    /// The phase ended in time (the environment or the response arrived).
    mutating func phaseEnded() {
        phase = nil
    }

    /// The loop timer went off.
    mutating func timerFired(now: NIODeadline) -> FireAction {
        timerDeadline = nil
        guard fired == nil else { return .none }
        if let phase, phase.deadline <= now, phase.deadline <= sessionDeadline {
            fired = phase.reason
            return .expire(phase.reason)
        }
        if sessionDeadline <= now {
            fired = .session
            return .expire(.session)
        }
        let next = min(phase?.deadline ?? sessionDeadline, sessionDeadline)
        timerDeadline = next
        return .schedule(next)
    }

    /// The server is shutting down and the drain time ran out.
    mutating func shutdownRequested() {
        if fired == nil { fired = .shutdown }
    }

    /// The error for a connection that closed: the limit that closed it, shutdown, or the peer.
    func closedError(pending command: AGICommand?, channelHungUp: Bool, configuration: AGIServerConfiguration) -> AGIError {
        switch fired {
        case .header: return .environmentTimedOut(after: configuration.headerTimeout)
        case .session: return .sessionDeadlineExceeded(after: configuration.sessionDeadline)
        case .command:
            let limit = command?.isInteractive == true ? configuration.interactiveCommandTimeout : configuration.commandTimeout
            return .commandTimedOut(command: command?.description ?? "", after: limit)
        case .shutdown: return .shuttingDown
        case nil:
            // Asterisk closes right after writing HANGUP when the channel is gone (S8, S9 ends).
            return channelHungUp ? .channelHungUp : .connectionClosed
        }
    }
}
