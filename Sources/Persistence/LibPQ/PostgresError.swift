/// An error from PostgreSQL or from libpq, safe to log: it never carries a password or a row's values.
///
/// `sqlState` is the five-character SQLSTATE code (`23505` unique_violation, `08006`
/// connection_failure, …); errors raised by libpq itself before the server answered use the
/// connection-exception class `08xxx` so callers can tell a lost connection from a rejected row.
public struct PostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What we were doing: `connect to host=db1 port=5432 dbname=calls user=calljournal`, `execute upsertCall`.
    public var operation: String
    /// SQLSTATE, e.g. `23505`.
    public var sqlState: String
    /// The server's (or libpq's) primary message.
    public var message: String
    /// The server's DETAIL, if any.
    public var detail: String?
    /// The server's HINT, if any.
    public var hint: String?
    /// The constraint named by the server for integrity errors.
    public var constraint: String?

    public init(
        operation: String, sqlState: String, message: String,
        detail: String? = nil, hint: String? = nil, constraint: String? = nil
    ) {
        self.operation = operation
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
    }

    /// True when the connection is gone or unusable (class 08, admin shutdown, crash recovery):
    /// the statement may be retried on a new connection.
    public var isConnectionFailure: Bool {
        sqlState.hasPrefix("08") || sqlState == "57P01" || sqlState == "57P02" || sqlState == "57P03"
    }

    /// True for failures worth retrying as they are: lost connections, serialization failures,
    /// deadlocks, a server that is starting or out of resources, a cancelled (timed out) statement.
    public var isTransient: Bool {
        isConnectionFailure || sqlState == "40001" || sqlState == "40P01" || sqlState.hasPrefix("53")
            || sqlState == "57014"
    }

    /// True when the data itself was rejected (class 22 data exception, 23 integrity violation):
    /// retrying the same row will fail again.
    public var isDataError: Bool { sqlState.hasPrefix("22") || sqlState.hasPrefix("23") }

    /// True when one statement hit a limit that a smaller statement may not: class 54 (program limit exceeded, such
    /// as too many parameters or a statement too complex) or 57014 (cancelled: `statement_timeout`, or an operator's
    /// `pg_cancel_backend`). Retrying the same large batch would fail again; its calls one by one may not.
    public var isStatementLimit: Bool { sqlState.hasPrefix("54") || sqlState == "57014" }

    public var description: String {
        var text = "PostgreSQL: \(operation) failed (\(sqlState)"
        if let name = Self.conditionNames[sqlState] { text += " \(name)" }
        if let constraint { text += " on \(constraint)" }
        text += "): \(message)"
        if let detail { text += " DETAIL: \(detail)" }
        if let hint { text += " HINT: \(hint)" }
        return text
    }

    /// The SQLSTATE libpq-side failures are reported with (connection_failure).
    public static let connectionFailure = "08006"
    /// The SQLSTATE for a connection that could not be established.
    public static let cannotConnect = "08001"

    static let conditionNames: [String: String] = [
        "08000": "connection_exception", "08001": "sqlclient_unable_to_establish_sqlconnection",
        "08003": "connection_does_not_exist", "08006": "connection_failure",
        "22001": "string_data_right_truncation", "22003": "numeric_value_out_of_range",
        "22007": "invalid_datetime_format", "22P02": "invalid_text_representation",
        "23502": "not_null_violation", "23503": "foreign_key_violation",
        "23505": "unique_violation", "23514": "check_violation",
        "28000": "invalid_authorization_specification", "28P01": "invalid_password",
        "3D000": "invalid_catalog_name", "3F000": "invalid_schema_name",
        "40001": "serialization_failure", "40P01": "deadlock_detected",
        "42501": "insufficient_privilege", "42601": "syntax_error", "42P01": "undefined_table",
        "42703": "undefined_column", "57014": "query_canceled", "57P01": "admin_shutdown",
        "57P02": "crash_shutdown", "57P03": "cannot_connect_now",
    ]
}
