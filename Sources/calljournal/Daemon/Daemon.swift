import AGIHandlers
import AMIClient
import CallTracking
import Foundation
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
        let journalClient = PostgresClient(settings: configuration.postgresSettings, name: "journal", logger: logger)
        try await prepareDatabase(journalClient)
        let services = try await buildServices(journalClient: journalClient)
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

    /// Every long-running part, in start order; ServiceLifecycle shuts them down in reverse: readiness reports
    /// STOPPING, FastAGI stops accepting and lets running menus finish, the AMI pipelines stop, and the journal
    /// writer flushes last (to PostgreSQL, or the spool).
    func buildServices(journalClient: PostgresClient) async throws -> [any Service] {
        let spoolDirectory = URL(fileURLWithPath: configuration.spool.directory)
        let spool: Spool
        do {
            spool = try Spool(directory: spoolDirectory, maximumBytes: configuration.spool.maxBytes)
        } catch {
            throw CommandFailure.exit("\(error)", code: 73)
        }
        let writer = JournalWriter(
            client: journalClient, spool: spool,
            configuration: .init(batchSize: configuration.journal.batchSize, flushInterval: configuration.journal.flushInterval,
                                 quarantineDirectory: spoolDirectory.deletingLastPathComponent().appendingPathComponent("quarantine")),
            logger: logger)

        let directory = DirectoryHolder()
        let directoryRefresh = DirectoryRefreshService(
            client: PostgresClient(settings: configuration.postgresSettings, name: "directory", logger: logger),
            holder: directory, interval: .seconds(60), logger: logger)
        // The first snapshot before any call is tracked or routed; later ones arrive on NOTIFY.
        try? await directoryRefresh.load()

        let agi = configuration.fastAGI
        let agiServer = try await AGIServer.bind(
            configuration: AGIServerConfiguration(
                host: agi.host, port: agi.port, allowedClients: agi.allow.compactMap(AGIAddressRange.init),
                maximumSessions: agi.maxSessions, sessionDeadline: agi.requestDeadline),
            router: .standard(
                directory: HolderDirectorySource(holder: directory),
                store: PostgresAnnotationStore(
                    client: PostgresClient(settings: configuration.postgresSettings, name: "fastagi", logger: logger),
                    pbx: configuration.amiServers.first?.pbx ?? "main"),
                routeTemplates: RouteDialTemplates(sipTemplate: agi.sipDialTemplate, phoneTemplate: agi.phoneDialTemplate),
                postCall: PostCallHandler.Configuration(
                    categoryMaxDigits: 6, valueMaxDigits: agi.maxValueDigits, digitTimeout: agi.digitTimeout,
                    categoryRetries: agi.categoryRetries)),
            logger: logger)

        var amiClients: [AMIClient] = []
        var pipelines: [any Service] = []
        for server in configuration.amiServers {
            let client = AMIClient(configuration: AMIClientConfiguration(
                pbx: server.pbx, host: server.host, port: server.port, username: server.username,
                secret: server.secret?.value ?? "", useMD5Challenge: server.useMD5Challenge, eventMask: server.events,
                connectTimeout: server.connectTimeout, actionTimeout: server.actionTimeout,
                pingInterval: server.keepaliveInterval, reconnect: .init(maximum: server.reconnectMaximum)),
                logger: logger)
            amiClients.append(client)
            pipelines.append(CallPipelineService(
                client: client, writer: writer, directory: directory, trunks: server.trunks,
                configuration: CallTrackerConfiguration(
                    pbx: server.pbx, targetMinTalkSeconds: configuration.journal.targetMinTalkSeconds,
                    callbackDeadlineSeconds: configuration.journal.callbackDeadlineHours * 3600),
                logger: logger, statistics: PipelineStatistics(pbx: server.pbx)))
        }

        var services: [any Service] = [JournalWriterService(writer: writer), directoryRefresh]
        let clients = amiClients
        if configuration.http.enabled {
            services.append(StatusHTTPServer(
                host: configuration.http.host, port: configuration.http.port, registry: DaemonMetrics.registry,
                health: { await Self.health(amiClients: clients, writer: writer) }, logger: logger))
            services.append(MetricsPollerService(amiClients: clients, writer: writer, agiServer: agiServer,
                                                 interval: .seconds(5)))
        }
        services += pipelines
        services.append(FastAGIService(server: agiServer))
        services.append(ReadinessService(notifier: notifier, logger: logger, status: "journal ready"))
        return services
    }

    /// `/healthz`: healthy when every AMI server is connected and the journal is not failing to write.
    static func health(amiClients: [AMIClient], writer: JournalWriter) async -> HealthReport {
        let journal = await writer.statistics
        var problems: [String] = []
        for client in amiClients where !client.metrics.isConnected {
            problems.append("AMI \(client.configuration.pbx) is not connected")
        }
        if journal.spoolBytes > 0 { problems.append("PostgreSQL is not taking writes; calls are kept in the spool") }
        if journal.spoolFull { problems.append("the spool is full") }
        return HealthReport(problems: problems, facts: [
            ("pending_updates", "\(journal.pendingUpdates)"), ("spool_bytes", "\(journal.spoolBytes)"),
            ("quarantined_calls", "\(journal.quarantinedCalls)"),
        ])
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

/// Runs the journal writer until shutdown, then lets it flush once more. A failed spool `fsync` ends it with
/// ``SpoolError/syncFailed(path:reason:)``, which ends the service group and `serve` (exit code 75).
struct JournalWriterService: Service {
    let writer: JournalWriter

    func run() async throws {
        let writer = self.writer
        try await cancelWhenGracefulShutdown { try await writer.run() }
    }
}

/// Runs the FastAGI server; on shutdown it stops accepting and lets running menus finish (bounded).
struct FastAGIService: Service {
    let server: AGIServer

    func run() async throws {
        let server = self.server
        do {
            try await cancelWhenGracefulShutdown { try await server.run() }
        } catch where Task.isShuttingDownGracefully || Task.isCancelled {
            // The drain ended by the shutdown itself (a cancellation), not a failure of the server.
        }
    }
}
