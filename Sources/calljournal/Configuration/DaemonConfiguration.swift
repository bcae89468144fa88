import AGIHandlers
import AMIClient
import CallTracking
import Foundation
import Persistence

/// Everything `calljournal` reads from its YAML file and environment, validated.
///
/// Key names are those of the file (`postgres.url`); each has an environment override made by
/// upper-casing it with `_` for `.` and the prefix `CALLJOURNAL_` (`CALLJOURNAL_POSTGRES_URL`).
/// Secrets are never stored in `description`. See `calljournal.example.yaml` for every key.
struct DaemonConfiguration: Sendable, CustomStringConvertible {
    struct Postgres: Sendable {
        /// The connection string (`postgres.url`) and statement timeout; the password is added from ``password``.
        var settings = PostgresConnectionSettings()
        var password: Secret?
        var autoMigrate = false

        var url: String {
            get { settings.connectionString }
            set { settings.connectionString = newValue }
        }
    }

    /// One Asterisk: how to reach it, where its secret came from, and which of its endpoints are trunks.
    struct AMIServer: Sendable {
        /// The client's settings; its `secret` is ``secret``'s value.
        var client: AMIClientConfiguration
        var secret: Secret?
        var trunks: [String] = ["trunk"]

        init(pbx: String) {
            client = AMIClientConfiguration(pbx: pbx, secret: "")
        }

        var pbx: String { client.pbx }
    }

    /// The FastAGI server and its scripts.
    struct FastAGI: Sendable {
        var server = AGIServerConfiguration()
        var routeTemplates = RouteDialTemplates()
        var postCall = PostCallHandler.Configuration()
    }

    struct Journal: Sendable {
        /// The tracker's settings but its PBX, which each AMI server names (``tracker(pbx:)``).
        var tracking = CallTrackerConfiguration(pbx: "")
        /// The writer's settings; its quarantine directory lies beside the spool directory.
        var writer = JournalWriter.Configuration(
            quarantineDirectory: Journal.quarantineDirectory(besideSpool: Spool().directory))

        func tracker(pbx: String) -> CallTrackerConfiguration {
            var configuration = tracking
            configuration.pbx = pbx
            return configuration
        }

        static func quarantineDirectory(besideSpool spoolDirectory: String) -> URL {
            URL(fileURLWithPath: spoolDirectory).deletingLastPathComponent().appendingPathComponent("quarantine")
        }
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
        var settings = postgres.settings
        settings.password = postgres.password?.value
        return settings
    }

    var description: String {
        let servers = amiServers.map {
            "\($0.pbx)=\($0.client.username)@\($0.client.host):\($0.client.port) secret=\($0.secret?.description ?? "none")"
        }
        return "postgres.url=\(PostgresConnectionSettings(connectionString: postgres.url).redactedTarget()) "
            + "postgres.password=\(postgres.password?.description ?? "none") ami=[\(servers.joined(separator: ", "))] "
            + "agi=\(fastAGI.server.host):\(fastAGI.server.port) allow=\(fastAGI.server.allowedClients.map(\.description)) "
            + "http=\(http.host):\(http.port) spool=\(spool.directory) log.level=\(logLevel)"
    }
}

/// A secret value and where it came from; its description never shows the value.
struct Secret: Sendable, CustomStringConvertible {
    let value: String
    let origin: String

    var description: String { "<redacted from \(origin)>" }
}
