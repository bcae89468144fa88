import NIOCore
import Synchronization

/// The server's open connections, and the queue of async sessions waiting for the server's
/// task to run them.
///
/// Connections are tracked so that shutdown can close those still open when the drain time
/// runs out. The queue is not bounded here because the connection gate already is: at most
/// ``AGIServerConfiguration/maximumSessions`` connections exist, so at most that many
/// sessions wait. Once the listeners are closed and the last connection is gone, the queue
/// ends, and with it the server's session task.
final class AGISessionRegistry: Sendable {
    /// Sent through a connection's pipeline when the drain time ran out.
    struct DrainTimeExpired: Sendable {}

    private struct State {
        var open: [ObjectIdentifier: any Channel] = [:]
        var listenersClosed = false
    }

    private let state = Mutex(State())
    /// Async sessions, in the order their environments arrived.
    let sessions: AsyncStream<AGIPendingSession>
    private let continuation: AsyncStream<AGIPendingSession>.Continuation

    init() {
        (sessions, continuation) = AsyncStream.makeStream(of: AGIPendingSession.self)
    }

    func opened(_ channel: any Channel) {
        state.withLock { $0.open[ObjectIdentifier(channel)] = channel }
    }

    func closed(_ channel: any Channel) {
        let last = state.withLock { state in
            state.open[ObjectIdentifier(channel)] = nil
            return state.listenersClosed && state.open.isEmpty
        }
        if last { continuation.finish() }
    }

    /// Hands an async session to the server's task; `false` once the server no longer runs any.
    func enqueue(_ session: AGIPendingSession) -> Bool {
        if case .enqueued = continuation.yield(session) { return true }
        return false
    }

    /// No new connections will come; the queue ends with the last open one.
    func listenersClosed() {
        let empty = state.withLock { state in
            state.listenersClosed = true
            return state.open.isEmpty
        }
        if empty { continuation.finish() }
    }

    /// Closes every connection still open, each on its own event loop.
    func expireDrainTime() {
        let channels = state.withLock { Array($0.open.values) }
        for channel in channels {
            channel.pipeline.fireUserInboundEventTriggered(DrainTimeExpired())
        }
    }
}
