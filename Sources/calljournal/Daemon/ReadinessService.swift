import LogKeys
import Logging
import ServiceLifecycle

/// Reports readiness to systemd once every other service is up (the FastAGI port bound), feeds the watchdog, and
/// reports STOPPING when a graceful shutdown begins.
struct ReadinessService: Service {
    let notifier: SystemdNotifier
    let logger: Logger
    let status: String
    /// Ends once the FastAGI listener is bound (or failed to bind, which ends the group).
    let after: AsyncStream<Void>

    func run() async throws {
        for await _ in after {}
        guard !Task.isCancelled else { return }
        notifier.ready(status: status)
        logger.info("calljournal ready", metadata: [LogKey.systemd: "\(notifier.isEnabled)"])
        let interval = notifier.watchdogInterval ?? .seconds(3600)
        try? await cancelWhenGracefulShutdown {
            while true {
                notifier.watchdog()
                try await Task.sleep(for: interval)
            }
        }
        notifier.stopping()
        logger.info("graceful shutdown requested")
    }
}
