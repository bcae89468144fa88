import CLibPQ
import Foundation

/// How to reach PostgreSQL: the DBA's libpq connection string, passed on untouched, plus safe
/// defaults for the keys they left unset.
///
/// The string may be a URI (`postgresql://calljournal@db1,db2/calls?sslmode=verify-full`) or
/// key/value pairs (`host=/run/postgresql dbname=calls`); empty means "all from the `PG*`
/// variables". libpq itself reads `PGHOST`, `PGPASSWORD`, `~/.pgpass`, `PGSSLMODE` and friends,
/// so they work as DBAs expect. Defaults added only when neither the string nor the environment
/// sets them (see docs/configuration.md):
///
/// | key | default | why |
/// |---|---|---|
/// | `connect_timeout` | 5 | unset waits forever on a host that drops SYNs; it applies per host |
/// | `keepalives`, `keepalives_idle`, `_interval`, `_count` | 1, 30, 10, 3 | find a peer that vanished |
/// | `tcp_user_timeout` | 30000 ms | fail writes to a peer that vanished without a RST |
/// | `target_session_attrs` | `read-write` (several hosts only) | never write to a standby after failover |
/// | `application_name` | `calljournal` | shows in `pg_stat_activity` |
///
/// `statement_timeout` is set after connecting when the server's value is 0 (unset by the DBA).
public struct PostgresConnectionSettings: Sendable, Equatable, CustomStringConvertible {
    /// The connection string as configured.
    public var connectionString: String
    /// Applied after connect when the server's own `statement_timeout` is 0; `nil` leaves it alone.
    public var statementTimeout: Duration?
    /// The default `application_name`.
    public var applicationName: String
    /// A password from a secret file or systemd credential, used when the string has none.
    public var password: String?

    public init(
        connectionString: String = "", password: String? = nil, statementTimeout: Duration? = .seconds(30),
        applicationName: String = "calljournal"
    ) {
        self.connectionString = connectionString
        self.password = password
        self.statementTimeout = statementTimeout
        self.applicationName = applicationName
    }

    /// The keyword/value pairs handed to `PQconnectdbParams`, or an error naming the bad string.
    /// A password given in the string is kept (libpq needs it) but never appears in any message.
    func resolvedParameters(environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(PostgresError) -> [(String, String)]
    {
        var parameters: [(String, String)] = []
        if !connectionString.isEmpty {
            var errorMessage: UnsafeMutablePointer<CChar>?
            guard let options = PQconninfoParse(connectionString, &errorMessage) else {
                let message = errorMessage.map { String(cString: $0) } ?? "out of memory"
                if let errorMessage { PQfreemem(errorMessage) }
                throw PostgresError(
                    operation: "parse the PostgreSQL connection string", sqlState: PostgresError.cannotConnect,
                    message: message.trimmingCharacters(in: .whitespacesAndNewlines),
                    hint: "use a libpq URI (postgresql://user@host/db) or key=value pairs"
                )
            }
            defer { PQconninfoFree(options) }
            var option = options
            while let keyword = option.pointee.keyword {
                if let value = option.pointee.val {
                    parameters.append((String(cString: keyword), String(cString: value)))
                }
                option += 1
            }
        }
        func isSet(_ key: String, env: String?) -> Bool {
            parameters.contains { $0.0 == key } || (env.map { environment[$0]?.isEmpty == false } ?? false)
        }
        func addDefault(_ key: String, _ value: String, env: String? = nil) {
            if !isSet(key, env: env) { parameters.append((key, value)) }
        }
        addDefault("connect_timeout", "5", env: "PGCONNECT_TIMEOUT")
        addDefault("keepalives", "1")
        addDefault("keepalives_idle", "30")
        addDefault("keepalives_interval", "10")
        addDefault("keepalives_count", "3")
        addDefault("tcp_user_timeout", "30000")
        addDefault("application_name", applicationName, env: "PGAPPNAME")
        if let password { addDefault("password", password) }
        let hosts = parameters.first { $0.0 == "host" }?.1 ?? environment["PGHOST"] ?? ""
        let hostAddresses = parameters.first { $0.0 == "hostaddr" }?.1 ?? environment["PGHOSTADDR"] ?? ""
        if hosts.contains(",") || hostAddresses.contains(",") {
            addDefault("target_session_attrs", "read-write", env: "PGTARGETSESSIONATTRS")
        }
        return parameters
    }

    public var description: String { redactedTarget() }

    /// The target without secrets, for messages: `host=db1,db2 port=5432 dbname=calls user=calljournal`.
    public func redactedTarget() -> String { redactedTarget(environment: ProcessInfo.processInfo.environment) }

    func redactedTarget(environment: [String: String]) -> String {
        let parameters = (try? resolvedParameters(environment: environment)) ?? []
        func value(_ key: String, _ env: String) -> String? {
            parameters.first { $0.0 == key }?.1 ?? environment[env]
        }
        let parts: [(String, String?)] = [
            ("host", value("host", "PGHOST")), ("port", value("port", "PGPORT")),
            ("dbname", value("dbname", "PGDATABASE")), ("user", value("user", "PGUSER")),
        ]
        let text = parts.compactMap { key, value in value.map { "\(key)=\($0)" } }.joined(separator: " ")
        return text.isEmpty ? "(libpq defaults)" : text
    }
}
