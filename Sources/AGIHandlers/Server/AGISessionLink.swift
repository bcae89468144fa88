import NIOCore

/// What an async session's command came to: its result or error, and whether Asterisk had
/// said by then that the channel hung up.
struct AGICommandCompletion: Sendable {
    var result: Result<AGIResult, AGIError>
    /// Asterisk said so in any way, `result=-1` to a channel command included.
    var channelHungUp: Bool
    /// Asterisk said so unmistakably: a `HANGUP` line or `511`.
    var hangupConfirmed = false
}

/// An async session's handle on its connection: sends each command to the connection's event
/// loop and waits for the response there.
///
/// Used only by sessions that cannot be planned (`postcall`, `status`): they wait seconds for a
/// caller's keys, so the two thread hand-offs per command cost nothing that matters. The
/// connection's bytes, time limits and state never leave the event loop.
struct AGISessionLink: Sendable {
    private let handler: NIOLoopBound<AGIConnectionHandler>

    init(handler: NIOLoopBound<AGIConnectionHandler>) {
        self.handler = handler
    }

    /// Sends `command` and waits for Asterisk's answer (or the connection's end).
    func execute(_ command: AGICommand) async -> AGICommandCompletion {
        let eventLoop = handler.eventLoop
        let promise = eventLoop.makePromise(of: AGICommandCompletion.self)
        let handler = self.handler
        eventLoop.execute { handler.value.commandRequested(command, promise: promise) }
        do {
            return try await promise.futureResult.get()
        } catch {
            // The handler always succeeds the promise; only a loop torn down under it fails it.
            return AGICommandCompletion(result: .failure(.connectionClosed), channelHungUp: false)
        }
    }

    /// The handler is done: close the connection, after which Asterisk continues the dialplan.
    func sessionEnded() {
        let handler = self.handler
        handler.eventLoop.execute { handler.value.sessionEnded() }
    }
}

/// An async session waiting for the server's task to run its handler.
struct AGIPendingSession: Sendable {
    var environment: AGIEnvironment
    /// The name it is counted under (see ``AGIScriptRouter/metricName(for:)``).
    var script: String
    var started: ContinuousClock.Instant
    var link: AGISessionLink
}
