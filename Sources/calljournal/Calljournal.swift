import ArgumentParser

/// The `calljournal` command line: the daemon and the tools around its journal.
@main
struct Calljournal: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "calljournal",
        abstract: "A call journal for Asterisk: AMI events into PostgreSQL, FastAGI routing and the post-call menu.",
        discussion: """
            Configuration comes from a YAML file (default \(ConfigurationLoader.defaultPath)) and \
            CALLJOURNAL_* environment variables; PostgreSQL also honours the usual PG* variables and ~/.pgpass.
            """,
        version: version,
        subcommands: [
            Serve.self, Migrate.self, CheckConfig.self, Replay.self, Simulate.self, Report.self, Export.self,
            EmployeeCommand.self, DepartmentCommand.self, EndpointCommand.self, CategoryCommand.self,
            ContactCommand.self, TrackingNumberCommand.self, AnnotateCommand.self,
        ]
    )
}

/// Options every command that reads the configuration shares.
struct ConfigurationOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The YAML configuration file.", valueName: "path"))
    var config: String?

    @Option(name: .customLong("database-url"), help: ArgumentHelp(
        "A libpq connection string or URI; overrides postgres.url (empty: PG* variables).", valueName: "conninfo"))
    var databaseURL: String?

    /// Loads the configuration; a missing default file is fine (defaults + environment),
    /// a missing file named with --config is not.
    func load(requireAMISecret: Bool = false) async throws -> DaemonConfiguration {
        let loader = ConfigurationLoader(path: config ?? ConfigurationLoader.defaultPath, fileRequired: config != nil)
        var (configuration, problems) = await loader.load()
        if !requireAMISecret { problems.removeAll { $0.contains(".secret: not set") } }
        if let databaseURL { configuration.postgres.url = databaseURL }
        // EX_CONFIG, as check-config: the same problem gets the same exit code whichever command meets it.
        guard problems.isEmpty else { throw CommandFailure.exit(ConfigurationProblems(problems: problems).description, code: 78) }
        return configuration
    }
}

/// The configuration has problems; each line names a key and what is wrong with it.
struct ConfigurationProblems: Error, CustomStringConvertible {
    var problems: [String]
    var description: String {
        "configuration has \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n"
            + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
