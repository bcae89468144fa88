import AGIHandlers
import AMIClient
import CallTracking
import Foundation
import Logging
import Persistence
import ServiceLifecycle

/// Wires the daemon's services from a configuration and runs them until a shutdown signal.
///
/// `serve` calls it with the configuration read from the file and the environment. The daemon tests run `serve`
/// itself, as a process against a scratch database and the PBX simulator, so they exercise this wiring.
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
        let writer = JournalWriter(client: journalClient, spool: spool, configuration: configuration.journal.writer, logger: logger)

        let directory = DirectoryHolder()
        let directoryRefresh = DirectoryRefreshService(
            client: PostgresClient(settings: configuration.postgresSettings, name: "directory", logger: logger),
            holder: directory, interval: .seconds(60), logger: logger)
        // The first snapshot before any call is tracked or routed; later ones arrive on NOTIFY.
        try? await directoryRefresh.load()

        let agi = configuration.fastAGI
        let fastAGI = FastAGIService(
            configuration: agi.server,
            router: .standard(
                directory: HolderDirectorySource(holder: directory),
                store: PostgresAnnotationStore(
                    client: PostgresClient(settings: configuration.postgresSettings, name: "fastagi", logger: logger),
                    pbx: configuration.amiServers.first?.pbx ?? "main"),
                routeTemplates: agi.routeTemplates, postCall: agi.postCall),
            logger: logger)

        var amiClients: [AMIClient] = []
        var pipelines: [any Service] = []
        for server in configuration.amiServers {
            let client = AMIClient(configuration: server.client, logger: logger)
            amiClients.append(client)
            pipelines.append(CallPipelineService(
                client: client, writer: writer, directory: directory, trunks: server.trunks,
                configuration: configuration.journal.tracker(pbx: server.pbx),
                logger: logger, statistics: PipelineStatistics(pbx: server.pbx)))
        }

        var services: [any Service] = [JournalWriterService(writer: writer), directoryRefresh]
        let clients = amiClients
        if configuration.http.enabled {
            services.append(StatusHTTPServer(
                host: configuration.http.host, port: configuration.http.port, registry: DaemonMetrics.registry,
                health: { await Self.health(amiClients: clients, writer: writer) }, logger: logger))
            services.append(MetricsPollerService(amiClients: clients, writer: writer, agiMetrics: fastAGI.metrics,
                                                 interval: .seconds(5)))
        }
        services += pipelines
        services.append(fastAGI)
        services.append(ReadinessService(notifier: notifier, logger: logger, status: "journal ready", after: fastAGI.listening))
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
