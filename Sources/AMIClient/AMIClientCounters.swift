import Synchronization

/// The client's live counters; ``AMIClient/metrics`` copies them into an ``AMIClientMetrics``.
final class AMIClientCounters: Sendable {
    let sessions = Atomic<Int>(0)
    let failedAttempts = Atomic<Int>(0)
    let authenticationFailures = Atomic<Int>(0)
    let eventsReceived = Atomic<Int>(0)
    let rejectedFrames = Atomic<Int>(0)
    let actionTimeouts = Atomic<Int>(0)

    func snapshot() -> AMIClientMetrics {
        AMIClientMetrics(
            sessions: sessions.load(ordering: .relaxed),
            failedAttempts: failedAttempts.load(ordering: .relaxed),
            authenticationFailures: authenticationFailures.load(ordering: .relaxed),
            eventsReceived: eventsReceived.load(ordering: .relaxed),
            rejectedFrames: rejectedFrames.load(ordering: .relaxed),
            actionTimeouts: actionTimeouts.load(ordering: .relaxed)
        )
    }
}
