import ArgumentParser
import Logging
import Persistence

/// `calljournal migrate`: applies the shipped schema migrations.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create or upgrade the calljournal schema in PostgreSQL.",
        discussion: """
            Applies every migration this binary ships that the database lacks, each in its own \
            transaction, and records it in calljournal.schema_migrations with a checksum. Running it \
            again changes nothing. Refuses a database whose recorded checksum differs from the shipped \
            migration, or that a newer calljournal migrated.
            """
    )

    @OptionGroup var options: ConfigurationOptions

    @Flag(help: "Only show which migrations are applied and pending.")
    var status = false

    func run() async throws {
        let configuration = try await options.load()
        let logger = CommandLogging.logger(label: "calljournal.migrate", level: configuration.logLevel)
        let migrator = Migrator(logger: logger)
        let client = PostgresClient(settings: configuration.postgresSettings, logger: logger)
        let showStatus = status
        let report: [String]
        do {
            report = try await client.withConnection { connection in
            if showStatus {
                let status = try migrator.status(on: connection)
                return status.applied.map { "applied  \($0.name)" } + status.pending.map { "pending  \($0.name)" }
                    + status.changed.map { "CHANGED  \($0.migration)" } + status.unknownVersions.map { "UNKNOWN  version \($0)" }
            }
            let applied = try migrator.migrate(on: connection)
            return applied.isEmpty ? ["schema is up to date (\(migrator.migrations.count) migrations)"] : applied.map { "applied  \($0)" }
            }
        } catch let error as PostgresError {
            throw CommandFailure.exit(error.description, code: error.isConnectionFailure ? 69 : 1)
        } catch let error as MigrationError {
            throw CommandFailure.exit(error.description, code: 78)
        }
        for line in report { print(line) }
    }
}
