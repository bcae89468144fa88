import ArgumentParser
import Persistence

/// `calljournal report …`: the report functions of the journal schema, printed for people or tools.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Journal metrics, employee efficiency and callback tasks for a period.",
        discussion: """
            Each report is one SQL function in schema calljournal (docs/dba.md); this command is a thin front to \
            them. A period is [--from, --to) on the call's start. Dates without a zone are read in --time-zone.
            """,
        subcommands: [Summary.self, Employees.self, Callbacks.self]
    )

    /// What every report takes.
    struct Period: ParsableArguments {
        @OptionGroup var options: ConfigurationOptions

        @Option(help: ArgumentHelp("Start of the period, e.g. 2026-11-01 or '2026-11-01 09:00+03'.", valueName: "time"))
        var from: String

        @Option(help: ArgumentHelp("End of the period (not included).", valueName: "time"))
        var to: String

        @Option(help: ArgumentHelp("Time zone for dates without one, buckets and the times printed (IANA name).",
                                   valueName: "zone"))
        var timeZone = "UTC"

        @Option(help: "Output format: table, csv or json.")
        var format: RowFormat = .table

        /// Runs a report query with the session in `--time-zone` and prints its rows. `$1`/`$2` are the period,
        /// `$3` the time zone and, when `employee` is given, `$4` that employee's id; `binds` follow.
        func run(_ sql: String, employee: String? = nil, _ binds: [PostgresBind] = []) async throws {
            let (zone, format, from, to) = (timeZone, format, from, to)
            try await options.withJournal { connection in
                try connection.query("SELECT set_config('TimeZone', $1, false)", zone, operation: "set the time zone")
                var employeeID: Int64?
                if let employee {
                    employeeID = try connection.query("SELECT id FROM calljournal.employees WHERE extension = $1", employee,
                                                      operation: "find employee").first?.decode("id", as: Int64.self)
                    guard employeeID != nil else { throw DirectoryError.notFound("no employee has extension \(employee)") }
                }
                let rows = try connection.query(
                    sql, [from.postgresBind, to.postgresBind, zone.postgresBind, employeeID.postgresBind] + binds,
                    operation: "run the report")
                printRows(rows, as: format)
            }
        }
    }

    struct Summary: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Total, answered, target and new-caller calls, talk and wait — for the period or per bucket.",
            discussion: "Example: calljournal report summary --from 2026-11-01 --to 2026-12-01 --by day --time-zone Europe/Moscow"
        )
        @OptionGroup var period: Period
        @Option(help: ArgumentHelp("A series by hour, day or week instead of one row.", valueName: "bucket"))
        var by: String?
        @Option(help: "Only inbound, outbound or internal calls.") var direction: String?
        @Option(help: ArgumentHelp("Only calls of the employee with this extension.", valueName: "extension"))
        var employee: String?
        @Option(help: "Only calls answered by this department.") var department: String?
        @Option(help: "Only calls with this source label.") var source: String?
        @Option(help: "Only calls to this company number.") var did: String?

        func run() async throws {
            let filters = [direction.postgresBind, department.postgresBind, source.postgresBind, did.postgresBind]
            if let by {
                try await period.run("""
                    SELECT * FROM calljournal.journal_metrics_series($1::timestamptz, $2::timestamptz, $9, $3,
                                  $5, $4, $6, $7, $8)
                    """, employee: employee, filters + [by.postgresBind])
            } else {
                try await period.run("""
                    SELECT * FROM calljournal.journal_metrics($1::timestamptz, $2::timestamptz, $5, $4, $6, $7, $8)
                    """, employee: employee, filters)
            }
        }
    }

    struct Employees: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Employee efficiency: incoming answered, unique numbers, wait, outgoing, conversations, talk.",
            discussion: "Example: calljournal report employees --from 2026-11-01 --to 2026-12-01 --department Sales --format csv"
        )
        @OptionGroup var period: Period
        @Option(help: "Only employees of this department.") var department: String?

        func run() async throws {
            try await period.run("""
                SELECT employee_id, full_name, extension, array_to_string(departments, ', ') AS departments,
                       incoming_answered, incoming_unique_numbers, incoming_unique_numbers_total, avg_wait_seconds,
                       outgoing_calls, outgoing_unique_numbers, outgoing_conversations, total_talk_seconds,
                       avg_talk_seconds
                  FROM calljournal.employee_efficiency($1::timestamptz, $2::timestamptz, $5)
                """, [department.postgresBind])
        }
    }

    struct Callbacks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Callback tasks of missed calls: open, overdue, done, expired, with the time to call back.")
        @OptionGroup var period: Period

        func run() async throws {
            try await period.run("SELECT * FROM calljournal.callback_tasks_report($1::timestamptz, $2::timestamptz)")
        }
    }
}
