import NIOCore
import Synchronization

/// Enforces a session's time limits by closing its connection from the event loop.
///
/// A pending read cannot be interrupted from outside without racing a second task against it;
/// closing the channel ends the read at once and costs one scheduled timer per command. The
/// timer records why it fired so the session can report `commandTimedOut` rather than
/// `connectionClosed`.
final class AGISessionTimer: Sendable {
    enum Reason: Int {
        case none = 0, header, command, session
    }

    private let channel: any Channel
    private let firedReason = Atomic<Int>(Reason.none.rawValue)

    init(channel: any Channel) {
        self.channel = channel
    }

    /// The limit that closed the connection, if one did.
    var fired: Reason {
        Reason(rawValue: firedReason.load(ordering: .acquiring)) ?? .none
    }

    /// Closes the connection after `duration` unless the returned task is cancelled first.
    func arm(_ reason: Reason, after duration: Duration) -> Scheduled<Void> {
        channel.eventLoop.scheduleTask(in: TimeAmount(duration)) { [self] in
            expire(reason)
        }
    }

    private func expire(_ reason: Reason) {
        // The first limit to fire names the cause; a later one changes nothing.
        _ = firedReason.compareExchange(
            expected: Reason.none.rawValue, desired: reason.rawValue, ordering: .acquiringAndReleasing)
        channel.close(promise: nil)
    }
}
