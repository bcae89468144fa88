import ArgumentParser
import LogKeys
import Logging
import Persistence
import ServiceLifecycle

/// `calljournal serve`: the daemon.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the daemon: AMI → call journal in PostgreSQL, FastAGI for the dialplan, /metrics.",
        discussion: """
            Stops gracefully on SIGTERM or SIGINT. Under systemd (Type=notify) it reports READY once \
            PostgreSQL is reachable and the schema is current, STOPPING on shutdown, and feeds the \
            watchdog when WatchdogSec= is set.
            """
    )

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let configuration = try await options.load(requireAMISecret: true)
        let logger = CommandLogging.logger(label: "calljournal", level: configuration.logLevel)
        logger.info("starting calljournal", metadata: [
            LogKey.version: "\(Calljournal.version)", LogKey.configuration: "\(configuration.sources.joined(separator: ", "))",
        ])
        let daemon = Daemon(configuration: configuration, logger: logger)
        do {
            try await daemon.run()
        } catch let error as MigrationError {
            // The same exit code as the other commands for a schema they cannot use (EX_CONFIG).
            throw CommandFailure.exit(error.description, code: 78)
        } catch let error as SpoolError {
            // An fsync of the spool failed (EX_TEMPFAIL): exit rather than guess what reached the disk; systemd
            // restarts the daemon, which replays the spool.
            throw CommandFailure.exit(error.description, code: 75)
        }
    }
}
