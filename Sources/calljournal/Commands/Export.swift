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
                guard let field = CallExportField.all.first(where: { $0.name == trimmed }) else {
                    throw ValidationError("unknown field \(trimmed); known: \(CallExportField.allNames.joined(separator: ", "))")
                }
                return field
            }
        }

        func run() async throws {
            let chosen = try selectedFields()
            let (from, to, zone, format) = (from, to, timeZone, format)
            try await options.withJournal { connection in
                try connection.query("SELECT set_config('TimeZone', $1, false)", zone, operation: "set the time zone")
                var writer: RowWriter?
                try connection.transaction {
                    // The field expressions come from the fixed list above, never from the command line.
                    try connection.query("""
                        DECLARE calljournal_export NO SCROLL CURSOR FOR
                        SELECT \(chosen.map { "\($0.expression) AS \($0.name)" }.joined(separator: ", "))
                          FROM calljournal.calls c
                          LEFT JOIN calljournal.employees e ON e.id = c.answered_employee_id
                         WHERE c.started_at >= $1::timestamptz AND c.started_at < $2::timestamptz
                         ORDER BY c.started_at, c.id
                        """, from, to, operation: "open the export cursor")
                    while true {
                        let rows = try connection.query("FETCH 1000 FROM calljournal_export", operation: "export calls")
                        if writer == nil {
                            writer = RowWriter(format: format, columns: chosen.map(\.name),
                                               kinds: rows.columnTypes.isEmpty ? chosen.map(\.kind)
                                                   : rows.columnTypes.map(ColumnKind.init(postgresType:)))
                            writer?.begin()
                        }
                        for row in rows.cells { writer?.write(row) }
                        if rows.count < 1000 { break }
                    }
                    try connection.query("CLOSE calljournal_export", operation: "close the export cursor")
                }
                writer?.end()
            }
        }
    }
}

/// A column of `export calls`: its name and the SQL expression over `calls c` and `employees e`.
struct CallExportField: Sendable {
    let name: String
    let expression: String
    let kind: ColumnKind

    init(_ name: String, _ expression: String? = nil, _ kind: ColumnKind = .text) {
        self.name = name
        self.expression = expression ?? "c.\(name)"
        self.kind = kind
    }

    static let all: [CallExportField] = [
        .init("id", nil, .number), .init("pbx"), .init("linkedid"), .init("started_at"), .init("answered_at"),
        .init("ended_at"), .init("direction"), .init("status"), .init("client_number"), .init("caller_number"),
        .init("caller_name"), .init("called_number"), .init("did"), .init("shown_number"), .init("dialed_number"),
        .init("employee", "e.full_name"), .init("employee_extension", "e.extension"), .init("answered_extension"),
        .init("departments", "array_to_string(c.department_names, ', ')"),
        .init("wait_seconds", nil, .number), .init("talk_seconds", nil, .number),
        .init("categories", """
            (SELECT string_agg(k.code || ' ' || k.name, ', ' ORDER BY k.code) FROM calljournal.call_category_marks m
               JOIN calljournal.call_categories k ON k.id = m.category_id WHERE m.call_id = c.id)
            """),
        .init("value", nil, .number), .init("comment"), .init("call_rating", nil, .number),
        .init("employee_rating", nil, .number), .init("source"), .init("medium"), .init("campaign"),
        .init("is_new_caller", nil, .boolean), .init("is_target", nil, .boolean), .init("hung_up_first"),
        .init("hangup_cause", nil, .number), .init("hangup_cause_text"), .init("queue_name"), .init("recording_file"),
        .init("ended_while_disconnected", nil, .boolean),
    ]

    static var allNames: [String] { all.map(\.name) }
}
