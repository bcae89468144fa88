import CLibPQ
import Foundation

/// One libpq connection (`PGconn *`), owned by this object and finished exactly once in `deinit`.
///
/// Every call blocks the calling thread until PostgreSQL answers, so a connection lives on one
/// thread: `PostgresClient` runs it on a dedicated thread, off Swift's cooperative pool. Only
/// parameterized statements are offered for values; `execute(script:)` runs trusted SQL text
/// (migrations) without parameters.
///
/// Sessions are set to `DateStyle=ISO`, `TimeZone=UTC`, `IntervalStyle=iso_8601`, so values
/// decode the same way whatever the server's defaults.
public final class PostgresConnection {
    private let handle: OpaquePointer
    /// Where this connection goes, without secrets: for logs and errors.
    public let target: String
    private var preparedStatements: Set<String> = []

    /// Opens a connection and prepares the session. Throws with SQLSTATE 08001 when it cannot.
    public static func connect(_ settings: PostgresConnectionSettings) throws(PostgresError) -> PostgresConnection {
        let parameters = try settings.resolvedParameters()
        let target = settings.redactedTarget()
        let keywords = parameters.map { strdup($0.0) } + [nil]
        let values = parameters.map { strdup($0.1) } + [nil]
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let handle = keywords.map { UnsafePointer($0) }.withUnsafeBufferPointer { keywordPointers in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { valuePointers in
                PQconnectdbParams(keywordPointers.baseAddress, valuePointers.baseAddress, 0)
            }
        }
        guard let handle else {
            throw PostgresError(operation: "connect to \(target)", sqlState: PostgresError.cannotConnect, message: "out of memory")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(handle)
            throw PostgresError(
                operation: "connect to \(target)", sqlState: Self.sqlState(forConnectError: message), message: message,
                hint: "check the postgres.url setting, PG* variables and ~/.pgpass; the server must accept this user"
            )
        }
        let connection = PostgresConnection(handle: handle, target: target)
        try connection.prepareSession(settings)
        return connection
    }

    private init(handle: OpaquePointer, target: String) {
        self.handle = handle
        self.target = target
        // Server NOTICEs (e.g. "schema already exists, skipping") would go to stderr unasked.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit { PQfinish(handle) }

    /// True while libpq considers the connection usable.
    public var isConnected: Bool { PQstatus(handle) == CONNECTION_OK }

    /// The server's process id for this session (useful to `pg_terminate_backend` it in tests).
    public var backendProcessID: Int32 { PQbackendPID(handle) }

    /// The server version as an integer, e.g. 150018.
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    private func prepareSession(_ settings: PostgresConnectionSettings) throws(PostgresError) {
        try execute(script: "SET DateStyle = 'ISO, MDY'; SET TimeZone = 'UTC'; SET IntervalStyle = 'iso_8601'; SET extra_float_digits = 3")
        if let timeout = settings.statementTimeout {
            let current = try query("SELECT current_setting('statement_timeout') AS value").first?["value"]
            if current == "0" {
                let milliseconds = Int64(timeout / .milliseconds(1))
                _ = try query("SELECT set_config('statement_timeout', $1, false)", [String(milliseconds).postgresBind])
            }
        }
    }

    // MARK: Statements

    /// Runs one statement with `$n` parameters and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ binds: [PostgresBind] = [], operation: String? = nil) throws(PostgresError) -> PostgresRows {
        try withBinds(binds) { (types, values, count) throws(PostgresError) in
            try result(PQexecParams(handle, sql, count, types, values, nil, nil, 0), operation: operation ?? Self.summary(sql))
        }
    }

    /// Runs one statement with parameters given as Swift values.
    @discardableResult
    public func query(_ sql: String, _ values: any PostgresEncodable..., operation: String? = nil) throws(PostgresError) -> PostgresRows {
        try query(sql, values.map(\.postgresBind), operation: operation)
    }

    /// Prepares `sql` under `name` once per session; later calls with the same name reuse it.
    public func prepare(_ name: String, _ sql: String, types: [PostgresType]) throws(PostgresError) {
        guard !preparedStatements.contains(name) else { return }
        let oids = types.map { Oid($0.rawValue) }
        try oids.withUnsafeBufferPointer { (pointer) throws(PostgresError) in
            _ = try result(PQprepare(handle, name, sql, Int32(oids.count), pointer.baseAddress), operation: "prepare \(name)")
        }
        preparedStatements.insert(name)
    }

    /// Runs a statement prepared with `prepare(_:_:types:)`.
    @discardableResult
    public func queryPrepared(_ name: String, _ binds: [PostgresBind]) throws(PostgresError) -> PostgresRows {
        try withBinds(binds) { (_, values, count) throws(PostgresError) in
            try result(PQexecPrepared(handle, name, count, values, nil, nil, 0), operation: "execute \(name)")
        }
    }

    /// Runs trusted SQL text that may hold several statements and no parameters (migrations).
    public func execute(script sql: String, operation: String? = nil) throws(PostgresError) {
        _ = try result(PQexec(handle, sql), operation: operation ?? Self.summary(sql))
    }

    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute(script: "BEGIN", operation: "begin transaction")
        do {
            let value = try body()
            try execute(script: "COMMIT", operation: "commit transaction")
            return value
        } catch {
            // On a lost connection the ROLLBACK fails too; the server rolls back on its own.
            if isConnected { try? execute(script: "ROLLBACK", operation: "roll back transaction") }
            throw error
        }
    }

    // MARK: COPY

    /// Streams rows into `COPY … FROM STDIN` (text format) and returns how many were copied.
    /// Cells are escaped here: tabs, newlines and backslashes in values are data, `nil` is NULL.
    @discardableResult
    public func copyIn(_ sql: String, rows: some Sequence<[String?]>) throws(PostgresError) -> Int {
        let operation = Self.summary(sql)
        _ = try result(PQexec(handle, sql), operation: operation, accept: PGRES_COPY_IN)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        var count = 0
        for row in rows {
            PostgresCopyText.appendRow(row, to: &buffer)
            count += 1
            if buffer.count >= 1 << 16 { try sendCopyData(&buffer, operation: operation) }
        }
        try sendCopyData(&buffer, operation: operation)
        guard PQputCopyEnd(handle, nil) == 1 else { throw connectionError(operation) }
        var final: PostgresError?
        while let next = PQgetResult(handle) {
            do { _ = try result(next, operation: operation) } catch { final = final ?? error }
        }
        if let final { throw final }
        return count
    }

    private func sendCopyData(_ buffer: inout [UInt8], operation: String) throws(PostgresError) {
        guard !buffer.isEmpty else { return }
        let sent = buffer.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
        }
        guard sent == 1 else { throw connectionError(operation) }
        buffer.removeAll(keepingCapacity: true)
    }

    // MARK: LISTEN / NOTIFY

    /// Subscribes this session to a notification channel.
    public func listen(_ channel: String) throws(PostgresError) {
        try execute(script: "LISTEN \(quoteIdentifier(channel))", operation: "listen on \(channel)")
    }

    /// Waits up to `timeout` for notifications and returns those that arrived (maybe none).
    /// Throws when the connection is lost while waiting.
    public func waitForNotifications(timeout: Duration) throws(PostgresError) -> [PostgresNotification] {
        var notifications = drainNotifications()
        guard notifications.isEmpty else { return notifications }
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        guard descriptor.fd >= 0 else { throw connectionError("wait for notifications") }
        let milliseconds = Int32(max(0, min(timeout / .milliseconds(1), Double(Int32.max))))
        let ready = poll(&descriptor, 1, milliseconds)
        if ready > 0 {
            guard PQconsumeInput(handle) == 1 else { throw connectionError("wait for notifications") }
            notifications = drainNotifications()
        }
        return notifications
    }

    private func drainNotifications() -> [PostgresNotification] {
        var notifications: [PostgresNotification] = []
        while let notify = PQnotifies(handle) {
            notifications.append(PostgresNotification(
                channel: String(cString: notify.pointee.relname), payload: String(cString: notify.pointee.extra),
                senderProcessID: notify.pointee.be_pid
            ))
            PQfreemem(notify)
        }
        return notifications
    }

    /// Quotes an identifier for the rare statement that cannot take a parameter (LISTEN).
    public func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: Results and errors

    private func withBinds<T>(
        _ binds: [PostgresBind],
        _ body: (UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?, Int32) throws(PostgresError) -> T
    ) throws(PostgresError) -> T {
        let types = binds.map { Oid($0.type.rawValue) }
        let values: [UnsafeMutablePointer<CChar>?] = binds.map { $0.text.map { strdup($0) } ?? nil }
        defer { values.forEach { free($0) } }
        let constValues = values.map { UnsafePointer($0) }
        return try types.withUnsafeBufferPointer { (typePointer) throws(PostgresError) -> T in
            try constValues.withUnsafeBufferPointer { (valuePointer) throws(PostgresError) -> T in
                try body(typePointer.baseAddress, valuePointer.baseAddress, Int32(binds.count))
            }
        }
    }

    private func result(
        _ pointer: OpaquePointer?, operation: String, accept: ExecStatusType = PGRES_COMMAND_OK
    ) throws(PostgresError) -> PostgresRows {
        guard let pointer else { throw connectionError(operation) }
        let owned = PostgresResult(pointer)
        let status = PQresultStatus(pointer)
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, accept:
            return owned.rows()
        default:
            throw owned.error(operation: operation, connectionAlive: isConnected)
        }
    }

    private func connectionError(_ operation: String) -> PostgresError {
        let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
        return PostgresError(
            operation: operation, sqlState: PostgresError.connectionFailure,
            message: message.isEmpty ? "connection to \(target) lost" : message
        )
    }

    static func sqlState(forConnectError message: String) -> String {
        if message.contains("password authentication failed") { return "28P01" }
        if message.contains("does not exist") && message.contains("database") { return "3D000" }
        if message.contains("no pg_hba.conf entry") { return "28000" }
        return PostgresError.cannotConnect
    }

    /// The first words of a statement, for error messages: never its parameters.
    static func summary(_ sql: String) -> String {
        let words = sql.split(whereSeparator: \.isWhitespace).prefix(4).joined(separator: " ")
        return "statement \"\(words)\(words.count < sql.count ? " …" : "")\""
    }
}
