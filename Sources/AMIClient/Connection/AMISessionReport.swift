import Synchronization

/// How one connection ended, written by its handler on the event loop and read by
/// ``AMIClient/run()`` once the channel's close future has completed (so after
/// `channelInactive`, which writes it).
final class AMISessionReport: Sendable {
    private let state = Mutex<(reason: AMIError, wasReady: Bool)>(
        (.connectionClosed(reason: "closed before the connection was established"), false)
    )

    func record(reason: AMIError, wasReady: Bool) {
        state.withLock { $0 = (reason, wasReady) }
    }

    var outcome: (reason: AMIError, wasReady: Bool) { state.withLock { $0 } }
}
