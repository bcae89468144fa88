import ArgumentParser
import Foundation
import Persistence

/// Options of every directory command: where the configuration and database are, and how to print.
struct AdminOptions: ParsableArguments {
    @OptionGroup var configuration: ConfigurationOptions

    @Option(help: "Output format: table or json.")
    var format: AdminFormat = .table

    /// Connects, runs `body` with the directory, prints the rows it returns and a note; directory errors become a
    /// one-line message and exit code 1 (65 for bad data, 69 when PostgreSQL is unreachable).
    func run(_ note: String? = nil, _ body: (DirectoryAdmin) throws -> PostgresRows?) async throws {
        try await configuration.withJournal { connection in
            let rows = try body(DirectoryAdmin(connection: connection))
            if let rows { printRows(rows, as: format.rowFormat) }
            if let note, format == .table { print(note) }
        }
    }
}

extension ConfigurationOptions {
    /// Connects to the journal, checks the schema is current, and runs `body`. Errors become one line on standard
    /// error and an exit code: 1 not found or duplicate, 65 invalid data, 69 PostgreSQL unreachable, 78 schema.
    func withJournal(_ body: (PostgresConnection) throws -> Void) async throws {
        let loaded = try await load()
        do {
            let connection = try PostgresConnection.connect(loaded.postgresSettings)
            try Migrator(logger: CommandLogging.logger(label: "calljournal", level: loaded.logLevel))
                .requireCurrent(on: connection)
            try body(connection)
        } catch let error as DirectoryError {
            if case .invalid = error { throw CommandFailure.exit(error.description, code: 65) }
            throw CommandFailure.exit(error.description, code: 1)
        } catch let error as PostgresError {
            throw CommandFailure.exit(error.description, code: error.isConnectionFailure ? 69 : error.isDataError ? 65 : 1)
        } catch let error as MigrationError {
            throw CommandFailure.exit(error.description, code: 78)
        }
    }
}

/// Output formats of the directory commands.
enum AdminFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
    var rowFormat: RowFormat { self == .table ? .table : .json }
}

/// Prints query rows in `format`.
func printRows(_ rows: PostgresRows, as format: RowFormat) {
    var writer = RowWriter(format: format, columns: rows.columns, kinds: rows.columnTypes.map(ColumnKind.init(postgresType:)))
    writer.begin()
    for row in rows.cells { writer.write(row) }
    writer.end()
}

/// A command failed in a way its message already explains.
enum CommandFailure {
    /// Prints `message` to standard error as `calljournal: message` and returns the exit code to throw.
    static func exit(_ message: String, code: Int32) -> ExitCode {
        var standardError = FileHandleOutputStream.standardError
        print("calljournal: \(message)", to: &standardError)
        return ExitCode(code)
    }
}
