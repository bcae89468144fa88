import LogKeys
import Logging

/// What every connection of one server shares: settings, scripts, counters, the log, and the
/// registry of open connections.
struct AGIServerCore: Sendable {
    let configuration: AGIServerConfiguration
    let router: AGIScriptRouter
    let metrics: AGIServerMetrics
    let logger: Logger
    let registry: AGISessionRegistry

    /// The logger handed to a script: the server's, with the channel, its unique ID and the script. The channel and
    /// the ID come from the peer, so they are logged printable and bounded.
    func sessionLogger(script: String, environment: AGIEnvironment) -> Logger {
        var sessionLogger = logger
        sessionLogger[metadataKey: LogKey.agiScript] = "\(script)"
        sessionLogger[metadataKey: LogKey.agiChannel] = "\(AGIProtocolError.printable(environment.channel ?? "?", limit: 80))"
        sessionLogger[metadataKey: LogKey.agiUniqueid] = "\(AGIProtocolError.printable(environment.uniqueID ?? "?", limit: 32))"
        return sessionLogger
    }

    /// Counts and logs a finished session and gives back its slot. Called once per admitted
    /// connection, however it ended.
    func sessionFinished(script: String, started: ContinuousClock.Instant, error: (any Error)?) {
        var failure: AGIServerMetrics.Failure?
        switch error {
        case nil:
            break
        case let error as AGIError:
            failure = Self.classify(error)
            logSessionError(error, failure: failure, script: script)
        case let error?:
            failure = .handler
            logger.error("FastAGI handler failed", metadata: [LogKey.agiScript: "\(script)", LogKey.error: "\(error)"])
        }
        metrics.sessionFinished(script: script, duration: started.duration(to: .now), failure: failure)
        metrics.releaseSession()
    }

    private static func classify(_ error: AGIError) -> AGIServerMetrics.Failure? {
        switch error {
        case .channelHungUp: nil
        case .protocolViolation: .protocolViolation
        case .commandTimedOut, .environmentTimedOut, .sessionDeadlineExceeded: .timeout
        case .connectionClosed, .shuttingDown: .connection
        case .commandRejected: .handler
        }
    }

    private func logSessionError(_ error: AGIError, failure: AGIServerMetrics.Failure?, script: String) {
        let metadata: Logger.Metadata = ["agi.script": "\(script)", "error": "\(error)"]
        switch failure {
        case nil: logger.debug("FastAGI session ended: channel hung up", metadata: metadata)
        case .connection, .timeout, .protocolViolation: logger.warning("FastAGI session ended early", metadata: metadata)
        case .handler: logger.error("FastAGI session failed", metadata: metadata)
        }
    }
}
