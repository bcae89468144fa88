import Logging
import Persistence
import ServiceLifecycle

/// Wires the daemon's services from a configuration and runs them until a shutdown signal.
///
/// `serve` calls it with the file/environment configuration, integration tests with one they
/// build in memory, so both exercise the same wiring.
struct Daemon: Sendable {
    let configuration: DaemonConfiguration
    let logger: Logger
    var notifier = SystemdNotifier()

    init(configuration: DaemonConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    func run() async throws {
        let database = PostgresClient(settings: configuration.postgresSettings, name: "journal", logger: logger)
        try await prepareDatabase(database)
        let services: [any Service] = [
            ReadinessService(notifier: notifier, logger: logger, status: "journal ready"),
        ]
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                cancellationSignals: [],
                logger: logger
            )
        )
        try await group.run()
        notifier.stopping()
        logger.info("calljournal stopped")
    }

    /// Waits for PostgreSQL (with backoff, logging once), then checks or applies the schema.
    private func prepareDatabase(_ database: PostgresClient) async throws {
        notifier.status("connecting to PostgreSQL \(configuration.postgresSettings)")
        while true {
            do {
                try await database.connect()
                break
            } catch {
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        let migrator = Migrator(logger: logger)
        let autoMigrate = configuration.postgres.autoMigrate
        try await database.withConnection { connection in
            if autoMigrate { try migrator.migrate(on: connection) } else { try migrator.requireCurrent(on: connection) }
        }
    }
}

/// Reports readiness to systemd once every other service is up, feeds the watchdog, and
/// reports STOPPING when a graceful shutdown begins.
struct ReadinessService: Service {
    let notifier: SystemdNotifier
    let logger: Logger
    let status: String

    func run() async throws {
        notifier.ready(status: status)
        logger.info("calljournal ready", metadata: ["systemd": "\(notifier.isEnabled)"])
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
