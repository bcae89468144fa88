import Configuration
import Foundation
import SystemPackage

/// Reads `DaemonConfiguration` from the YAML file and `CALLJOURNAL_*` environment variables,
/// collecting every problem instead of stopping at the first, so `check-config` can list them all.
struct ConfigurationLoader {
    var path: String
    var environment: [String: String] = ProcessInfo.processInfo.environment
    /// When false, a missing file is not a problem (defaults plus environment).
    var fileRequired: Bool

    static let defaultPath = "/etc/calljournal/calljournal.yaml"
    static let environmentPrefix = "CALLJOURNAL_"

    /// Loads the configuration; `problems` is empty when it is usable.
    func load() async -> (configuration: DaemonConfiguration, problems: [String]) {
        var problems: [String] = []
        var providers: [any ConfigProvider] = []
        // Environment first: it overrides the file. Only CALLJOURNAL_* variables count, so PG*
        // and unrelated variables never leak into keys.
        var stripped: [String: String] = [:]
        for (name, value) in environment where name.hasPrefix(Self.environmentPrefix) {
            stripped[String(name.dropFirst(Self.environmentPrefix.count))] = value
        }
        providers.append(EnvironmentVariablesProvider(environmentVariables: stripped, secretsSpecifier: .dynamic { key, _ in
            key.contains("SECRET") || key.contains("PASSWORD")
        }))
        var sources = ["environment (\(stripped.count) CALLJOURNAL_* variables)"]
        let fileExists = FileManager.default.fileExists(atPath: path)
        if fileExists {
            do {
                providers.append(try await FileProvider<YAMLSnapshot>(filePath: FilePath(path)))
                sources.append("file \(path)")
            } catch {
                problems.append("\(path): cannot read the YAML file: \(error)")
            }
        } else if fileRequired {
            problems.append("\(path): no such file (use --config PATH, or create it from calljournal.example.yaml)")
        }
        var reader = ConfigurationKeys(reader: ConfigReader(providers: providers), environment: environment)
        var configuration = reader.read()
        configuration.sources = sources
        problems += reader.problems
        return (configuration, problems)
    }
}

/// Reads and validates each key; every problem names the key and says what is wanted.
struct ConfigurationKeys {
    let reader: ConfigReader
    let environment: [String: String]
    var problems: [String] = []

    init(reader: ConfigReader, environment: [String: String]) {
        self.reader = reader
        self.environment = environment
    }

    /// The whole configuration: each component's settings start from that component's defaults and are read over
    /// by its `+ConfigReader` extension.
    mutating func read() -> DaemonConfiguration {
        var configuration = DaemonConfiguration()
        configuration.postgres.settings.read(&self)
        configuration.postgres.password = secret("postgres.password", credential: "postgres-password")
        configuration.postgres.autoMigrate = bool("postgres.auto_migrate") ?? configuration.postgres.autoMigrate

        let names = array("ami.servers") ?? ["main"]
        configuration.amiServers = names.map { readAMIServer($0) }
        if Set(names).count != names.count { problems.append("ami.servers: names must be unique, got \(names)") }

        configuration.fastAGI.server.read(&self)
        configuration.fastAGI.routeTemplates.read(&self)
        configuration.fastAGI.postCall.read(&self)

        configuration.journal.tracking.read(&self)
        configuration.spool.directory = string("spool.directory") ?? configuration.spool.directory
        configuration.spool.maxBytes = int("spool.max_bytes", 1 << 20 ... Int.max) ?? configuration.spool.maxBytes
        configuration.journal.writer.read(&self)
        configuration.journal.writer.quarantineDirectory =
            DaemonConfiguration.Journal.quarantineDirectory(besideSpool: configuration.spool.directory)

        if let listen = string("http.listen") {
            if listen == "off" || listen == "none" {
                configuration.http.enabled = false
            } else if let (host, port) = hostPort(listen, key: "http.listen") {
                configuration.http.host = host
                configuration.http.port = port
            }
        }
        if let level = string("log.level") {
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            if levels.contains(level) { configuration.logLevel = level } else {
                problems.append("log.level: '\(level)' is not one of \(levels.joined(separator: ", "))")
            }
        }
        return configuration
    }

    private mutating func readAMIServer(_ name: String) -> DaemonConfiguration.AMIServer {
        var server = DaemonConfiguration.AMIServer(pbx: name)
        if name.isEmpty || name.contains(where: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            problems.append("ami.servers: '\(name)' must be letters, digits, '-' or '_' (it is stored as calls.pbx)")
        }
        let prefix = "ami.\(name)."
        server.client.read(&self, prefix: prefix)
        server.secret = secret(prefix + "secret", credential: "ami-\(name)-secret")
        if server.secret == nil {
            problems.append("\(prefix)secret: not set; give \(prefix)secret_file, a systemd credential ami-\(name)-secret, or CALLJOURNAL_\(Self.environmentName(prefix + "secret"))")
        }
        server.client.secret = server.secret?.value ?? ""
        server.trunks = array(prefix + "trunks") ?? server.trunks
        return server
    }

    // MARK: Typed reads that record problems

    func string(_ key: String) -> String? {
        reader.string(forKey: ConfigKey(key.split(separator: ".").map(String.init)))
    }

    func array(_ key: String) -> [String]? {
        let configKey = ConfigKey(key.split(separator: ".").map(String.init))
        if let values = reader.stringArray(forKey: configKey) { return values.map { $0.trimmingCharacters(in: .whitespaces) } }
        return reader.string(forKey: configKey).map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let text = string(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default:
            problems.append("\(key): '\(text)' is not a boolean (true or false)")
            return nil
        }
    }

    mutating func int(_ key: String, _ range: ClosedRange<Int>) -> Int? {
        guard let text = string(key) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            problems.append("\(key): '\(text)' must be a whole number in \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return value
    }

    mutating func double(_ key: String, _ range: ClosedRange<Double>) -> Double? {
        guard let text = string(key) else { return nil }
        guard let value = Double(text), range.contains(value) else {
            problems.append("\(key): '\(text)' must be a number in \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return value
    }

    mutating func milliseconds(_ key: String, _ range: ClosedRange<Int>) -> Duration? {
        int(key, range).map { .milliseconds($0) }
    }

    mutating func template(_ key: String, placeholder: String) -> String? {
        guard let text = string(key) else { return nil }
        guard text.contains(placeholder), !text.contains("&"), !text.contains(where: \.isNewline) else {
            problems.append("\(key): '\(text)' must contain \(placeholder) and no '&' or line breaks")
            return nil
        }
        return text
    }

    mutating func hostPort(_ text: String, key: String) -> (String, Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1 ... 65_535).contains(port) else {
            problems.append("\(key): '\(text)' must be HOST:PORT, e.g. 127.0.0.1:4573")
            return nil
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }

    /// A secret from, in order: `KEY_file` (a path), the systemd credential, or the key itself.
    mutating func secret(_ key: String, credential: String) -> Secret? {
        if let path = string(key + "_file") {
            do {
                let text = try String(contentsOfFile: path, encoding: .utf8)
                return Secret(value: text.trimmingCharacters(in: .newlines), origin: path)
            } catch {
                let reason = FileManager.default.fileExists(atPath: path) ? "not readable by this user" : "no such file"
                problems.append("\(key)_file: cannot read \(path): \(reason)")
                return Secret(value: "", origin: path)
            }
        }
        if let directory = environment["CREDENTIALS_DIRECTORY"] {
            let path = directory + "/" + credential
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                return Secret(value: text.trimmingCharacters(in: .newlines), origin: "systemd credential \(credential)")
            }
        }
        let configKey = ConfigKey(key.split(separator: ".").map(String.init))
        return reader.string(forKey: configKey, isSecret: true).map { Secret(value: $0, origin: key) }
    }

    static func environmentName(_ key: String) -> String {
        key.uppercased().replacingOccurrences(of: ".", with: "_")
    }
}
