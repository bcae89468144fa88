import ArgumentParser
import Persistence

/// `calljournal report …`: the report functions of the journal schema, printed for people or tools.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Journal metrics, employee efficiency and callback tasks for a period.",
        discussion: """
            Each report is one SQL function in schema calljournal (docs/dba.md), run by Persistence's \
            JournalReports; this command is a thin front to them. A period is [--from, --to) on the call's start. Dates without a zone are read in --time-zone.
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

        /// Runs a report in `--time-zone` and prints its rows.
        func run(_ report: (JournalReports, JournalReports.Period) throws -> PostgresRows) async throws {
            let (period, format) = (JournalReports.Period(from: from, to: to, timeZone: timeZone), format)
            try await options.withJournal { connection in
                printRows(try report(JournalReports(connection: connection), period), as: format)
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
            let filter = JournalReports.CallFilter(
                direction: direction, employeeExtension: employee, department: department, source: source, did: did)
            let by = by
            try await period.run { reports, period in try reports.journalMetrics(period, filter: filter, by: by) }
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
            let department = department
            try await period.run { reports, period in try reports.employeeEfficiency(period, department: department) }
        }
    }

    struct Callbacks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Callback tasks of missed calls: open, overdue, done, expired, with the time to call back.")
        @OptionGroup var period: Period

        func run() async throws {
            try await period.run { reports, period in try reports.callbackTasks(period) }
        }
    }
}
