import LogKeys
import Logging
import NIOCore

/// Decides, on the event loop, whether a new connection may start a session: the client's
/// address must be allowed and a session slot free.
struct AGIConnectionGate: Sendable {
    private let allowed: [AGIAddressRange]
    private let maximumSessions: Int
    private let metrics: AGIServerMetrics
    private let logger: Logger

    init(configuration: AGIServerConfiguration, metrics: AGIServerMetrics, logger: Logger) {
        self.allowed = [.ipv4Loopback, .ipv6Loopback] + configuration.allowedClients
        self.maximumSessions = configuration.maximumSessions
        self.metrics = metrics
        self.logger = logger
    }

    /// `true` when the connection may proceed; a `true` answer holds a session slot that the
    /// session gives back when it ends.
    func admit(_ channel: any Channel) -> Bool {
        guard let remote = channel.remoteAddress, allowed.contains(where: { $0.contains(remote) }) else {
            metrics.refusedByAllowlist()
            logger.warning(
                "FastAGI connection refused: client address not allowed",
                metadata: [LogKey.client: "\(channel.remoteAddress?.ipAddress ?? "unknown")"])
            return false
        }
        guard metrics.reserveSession(limit: maximumSessions) else {
            metrics.refusedOverCapacity()
            logger.warning(
                "FastAGI connection refused: session limit reached",
                metadata: [LogKey.limit: "\(maximumSessions)", LogKey.client: "\(remote.ipAddress ?? "unknown")"])
            return false
        }
        return true
    }
}
