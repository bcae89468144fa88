import Foundation
import Persistence

/// Everything `calljournal` reads from its YAML file and environment, validated.
///
/// Key names are those of the file (`postgres.url`); each has an environment override made by
/// upper-casing it with `_` for `.` and the prefix `CALLJOURNAL_` (`CALLJOURNAL_POSTGRES_URL`).
/// Secrets are never stored in `description`. See `calljournal.example.yaml` for every key.
struct DaemonConfiguration: Sendable, CustomStringConvertible {
    struct Postgres: Sendable {
        var url: String = ""
        var password: Secret?
        var autoMigrate = false
        var statementTimeout: Duration = .seconds(30)
    }

    struct AMIServer: Sendable {
        var pbx: String
        var host = "127.0.0.1"
        var port = 5038
        var username = "calljournal"
        var secret: Secret?
        var useMD5Challenge = true
        var events = "call,cdr,dialplan,agent"
        var trunks: [String] = ["trunk"]
        var connectTimeout: Duration = .seconds(5)
        var actionTimeout: Duration = .seconds(10)
        var keepaliveInterval: Duration = .seconds(15)
        var reconnectMaximum: Duration = .seconds(30)
    }

    struct FastAGI: Sendable {
        var host = "127.0.0.1"
        var port = 4573
        var allow: [String] = []
        var maxSessions = 2000
        var requestDeadline: Duration = .seconds(120)
        var sipDialTemplate = "PJSIP/{account}"
        var phoneDialTemplate = "PJSIP/{number}@trunk"
        var maxValueDigits = 8
        var categoryRetries = 2
        var digitTimeout: Duration = .seconds(8)
    }

    struct Journal: Sendable {
        var targetMinTalkSeconds = 30.0
        var callbackDeadlineHours = 4.0
        var callbackForUnattended = true
        var batchSize = 2000
        var flushInterval: Duration = .milliseconds(200)
    }

    struct Spool: Sendable {
        var directory = "/var/lib/calljournal/spool"
        var maxBytes = 1 << 30
    }

    struct HTTP: Sendable {
        var host = "127.0.0.1"
        var port = 9464
        var enabled = true
    }

    var postgres = Postgres()
    var amiServers: [AMIServer] = [AMIServer(pbx: "main")]
    var fastAGI = FastAGI()
    var journal = Journal()
    var spool = Spool()
    var http = HTTP()
    var logLevel = "info"
    /// Where the configuration came from, for messages.
    var sources: [String] = []

    var postgresSettings: PostgresConnectionSettings {
        PostgresConnectionSettings(
            connectionString: postgres.url, password: postgres.password?.value, statementTimeout: postgres.statementTimeout
        )
    }

    var description: String {
        let servers = amiServers.map { "\($0.pbx)=\($0.username)@\($0.host):\($0.port) secret=\($0.secret?.description ?? "none")" }
        return "postgres.url=\(PostgresConnectionSettings(connectionString: postgres.url).redactedTarget()) "
            + "postgres.password=\(postgres.password?.description ?? "none") ami=[\(servers.joined(separator: ", "))] "
            + "agi=\(fastAGI.host):\(fastAGI.port) allow=\(fastAGI.allow) http=\(http.host):\(http.port) "
            + "spool=\(spool.directory) log.level=\(logLevel)"
    }
}

/// A secret value and where it came from; its description never shows the value.
struct Secret: Sendable, CustomStringConvertible {
    let value: String
    let origin: String

    var description: String { "<redacted from \(origin)>" }
}
