/// The journal's calls of a period, one row per call, read through a cursor a page at a time so that an export of
/// any size runs in constant memory.
public struct CallExport {
    private let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Reads the calls started in `period`, ordered by start, with the columns `fields`, and hands each page of up to
    /// `pageSize` rows to `body` as it arrives (at least one page, possibly empty).
    public func calls(
        _ period: JournalReports.Period, fields: [CallExportField], pageSize: Int = 1000, _ body: (PostgresRows) throws -> Void
    ) throws {
        try connection.query("SELECT set_config('TimeZone', $1, false)", period.timeZone, operation: "set the time zone")
        try connection.transaction {
            // The field expressions come from the fixed list of CallExportField, never from the command line.
            try connection.query("""
                DECLARE calljournal_export NO SCROLL CURSOR FOR
                SELECT \(fields.map { "\($0.expression) AS \($0.name)" }.joined(separator: ", "))
                  FROM calljournal.calls c
                  LEFT JOIN calljournal.employees e ON e.id = c.answered_employee_id
                 WHERE c.started_at >= $1::timestamptz AND c.started_at < $2::timestamptz
                 ORDER BY c.started_at, c.id
                """, period.from, period.to, operation: "open the export cursor")
            while true {
                let rows = try connection.query("FETCH \(pageSize) FROM calljournal_export", operation: "export calls")
                try body(rows)
                if rows.count < pageSize { break }
            }
            try connection.query("CLOSE calljournal_export", operation: "close the export cursor")
        }
    }
}
