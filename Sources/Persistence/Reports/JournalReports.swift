/// The journal's reports: the SQL functions of schema `calljournal` (docs/dba.md) that DBAs and BI tools call
/// directly, run for a period with the session in the reader's time zone.
///
/// Each report is one statement over one function; the rules live in SQL, so `calljournal report` and any other front
/// print the same figures.
public struct JournalReports {
    /// The period `[from, to)` on the call's start, and the time zone of dates given without one, of buckets and of
    /// the times returned (an IANA name).
    public struct Period: Sendable {
        public var from: String
        public var to: String
        public var timeZone: String

        public init(from: String, to: String, timeZone: String = "UTC") {
            self.from = from
            self.to = to
            self.timeZone = timeZone
        }
    }

    /// Which calls the journal metrics count; `nil` is no filter.
    public struct CallFilter: Sendable {
        /// `inbound`, `outbound` or `internal`.
        public var direction: String?
        /// The extension of the employee whose calls count.
        public var employeeExtension: String?
        /// The department that answered.
        public var department: String?
        /// The source label of the DID dialled.
        public var source: String?
        /// The company number dialled.
        public var did: String?

        public init(
            direction: String? = nil, employeeExtension: String? = nil, department: String? = nil, source: String? = nil,
            did: String? = nil
        ) {
            self.direction = direction
            self.employeeExtension = employeeExtension
            self.department = department
            self.source = source
            self.did = did
        }
    }

    private let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Total, answered, target and new-caller calls, talk and wait: one row for the period, or a series by `bucket`
    /// (`hour`, `day` or `week`). Throws ``DirectoryError/notFound(_:)`` for an extension no employee has.
    public func journalMetrics(_ period: Period, filter: CallFilter = CallFilter(), by bucket: String? = nil) throws -> PostgresRows {
        let filters = [filter.direction.postgresBind, filter.department.postgresBind, filter.source.postgresBind, filter.did.postgresBind]
        guard let bucket else {
            return try run("""
                SELECT * FROM calljournal.journal_metrics($1::timestamptz, $2::timestamptz, $5, $4, $6, $7, $8)
                """, period, employee: filter.employeeExtension, filters)
        }
        return try run("""
            SELECT * FROM calljournal.journal_metrics_series($1::timestamptz, $2::timestamptz, $9, $3,
                          $5, $4, $6, $7, $8)
            """, period, employee: filter.employeeExtension, filters + [bucket.postgresBind])
    }

    /// Employee efficiency: incoming answered, unique numbers, wait, outgoing, conversations, talk; one row per
    /// employee, of one department when given.
    public func employeeEfficiency(_ period: Period, department: String? = nil) throws -> PostgresRows {
        try run("""
            SELECT employee_id, full_name, extension, array_to_string(departments, ', ') AS departments,
                   incoming_answered, incoming_unique_numbers, incoming_unique_numbers_total, avg_wait_seconds,
                   outgoing_calls, outgoing_unique_numbers, outgoing_conversations, total_talk_seconds,
                   avg_talk_seconds
              FROM calljournal.employee_efficiency($1::timestamptz, $2::timestamptz, $5)
            """, period, [department.postgresBind])
    }

    /// Callback tasks of missed calls: open, overdue, done, expired, with the time to call back.
    public func callbackTasks(_ period: Period) throws -> PostgresRows {
        try run("SELECT * FROM calljournal.callback_tasks_report($1::timestamptz, $2::timestamptz)", period)
    }

    /// Runs a report with the session in the period's time zone. `$1`/`$2` are the period, `$3` the time zone and
    /// `$4` the id of the employee with extension `employee` (NULL when not given); `binds` follow from `$5`.
    private func run(_ sql: String, _ period: Period, employee: String? = nil, _ binds: [PostgresBind] = []) throws -> PostgresRows {
        try connection.query("SELECT set_config('TimeZone', $1, false)", period.timeZone, operation: "set the time zone")
        var employeeID: Int64?
        if let employee {
            employeeID = try connection.query(
                "SELECT id FROM calljournal.employees WHERE extension = $1", employee, operation: "find employee"
            ).first?.decode("id", as: Int64.self)
            guard employeeID != nil else { throw DirectoryError.notFound("no employee has extension \(employee)") }
        }
        return try connection.query(
            sql, [period.from.postgresBind, period.to.postgresBind, period.timeZone.postgresBind, employeeID.postgresBind] + binds,
            operation: "run the report")
    }
}
