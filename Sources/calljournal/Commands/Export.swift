import ArgumentParser
import Persistence

/// `calljournal export calls`: the journal of a period as CSV, JSON or NDJSON, streamed through a cursor.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export journal rows.",
        subcommands: [Calls.self]
    )

    struct Calls: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the calls started in a period, one row per call.",
            discussion: """
                Rows are read through a cursor 1,000 at a time and written as they come, so an export of any size \
                runs in constant memory. CSV follows RFC 4180 (UTF-8, CRLF, a header row). Times are printed in \
                --time-zone. Fields: \(CallExportField.allNames.joined(separator: ", ")).
                Example: calljournal export calls --from 2026-11-01 --to 2026-12-01 --format csv > november.csv
                """
        )

        @OptionGroup var options: ConfigurationOptions

        @Option(help: ArgumentHelp("Start of the period, e.g. 2026-11-01.", valueName: "time"))
        var from: String

        @Option(help: ArgumentHelp("End of the period (not included).", valueName: "time"))
        var to: String

        @Option(help: "csv, json or ndjson.")
        var format: RowFormat = .csv

        @Option(help: ArgumentHelp("Comma-separated fields to export (default: all).", valueName: "names"))
        var fields: String?

        @Option(help: ArgumentHelp("Time zone for dates without one and the times printed.", valueName: "zone"))
        var timeZone = "UTC"

        func validate() throws {
            guard format != .table else { throw ValidationError("export writes csv, json or ndjson") }
            _ = try selectedFields()
        }

        func selectedFields() throws -> [CallExportField] {
            guard let fields else { return CallExportField.all }
            return try fields.split(separator: ",").map { name in
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                guard let field = CallExportField.named(trimmed) else {
                    throw ValidationError("unknown field \(trimmed); known: \(CallExportField.allNames.joined(separator: ", "))")
                }
                return field
            }
        }

        func run() async throws {
            let chosen = try selectedFields()
            let (period, format) = (JournalReports.Period(from: from, to: to, timeZone: timeZone), format)
            try await options.withJournal { connection in
                var writer: RowWriter?
                try CallExport(connection: connection).calls(period, fields: chosen) { rows in
                    if writer == nil {
                        let types = rows.columnTypes.isEmpty ? chosen.map(\.type.rawValue) : rows.columnTypes
                        writer = RowWriter(format: format, columns: chosen.map(\.name), kinds: types.map(ColumnKind.init(postgresType:)))
                        writer?.begin()
                    }
                    for row in rows.cells { writer?.write(row) }
                }
                writer?.end()
            }
        }
    }
}
