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
        let loaded = try await configuration.load()
        do {
            let connection = try PostgresConnection.connect(loaded.postgresSettings)
            try Migrator(logger: CommandLogging.logger(label: "calljournal.admin", level: loaded.logLevel))
                .requireCurrent(on: connection)
            let rows = try body(DirectoryAdmin(connection: connection))
            if let rows { print(rows, as: format.rowFormat) }
            if let note, format == .table { print(note) }
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
func print(_ rows: PostgresRows, as format: RowFormat) {
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
