import Foundation
import PBXSimulator
import TestFixtures
import Testing

/// A running calljournal beside the Asterisk stand-in, as subprocesses on loopback, against a scratch database:
/// the real binary, the real wiring, real sockets.
final class DaemonHarness {
    let database: ScratchDatabase
    let workdir: URL
    let amiPort: Int
    let agiPort: Int
    let httpPort: Int
    private(set) var processes: [Process] = []

    /// The recorded scenarios bundled with the tests.
    static var traces: String { Fixtures.tracesDirectory.path }

    init(spoolMaxBytes: Int = 1 << 30, function: String = #function) throws {
        database = try ScratchDatabase.create(function: function)
        workdir = FileManager.default.temporaryDirectory.appendingPathComponent("cj-daemon-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workdir, withIntermediateDirectories: true)
        (amiPort, agiPort, httpPort) = (try Self.freePort(), try Self.freePort(), try Self.freePort())
        let runner = CommandRunner()
        let setup = [
            ["migrate"], ["department", "add", "Sales"],
            ["employee", "add", "--extension", "101", "--name", "Alice", "--sip", "101", "--department", "Sales"],
            ["employee", "add", "--extension", "102", "--name", "Boris", "--sip", "102"],
            ["employee", "add", "--extension", "103", "--name", "Chen", "--sip", "103"],
            ["employee", "add", "--extension", "104", "--name", "Daria", "--sip", "104"],
            ["category", "add", "1", "Consultation"], ["category", "add", "2", "Sale"], ["category", "add", "3", "Complaint"],
        ]
        for command in setup {
            let result = try runner.run(command + ["--database-url", database.url])
            #expect(result.status == 0, "\(command): \(result.standardError)")
        }
        try "demo".write(to: workdir.appendingPathComponent("secret"), atomically: true, encoding: .utf8)
        try """
            postgres:
              url: "\(database.url)"
            ami:
              servers: [lab]
              lab:
                host: 127.0.0.1
                port: \(amiPort)
                username: calljournal
                secret_file: \(workdir.path)/secret
                reconnect_max_ms: 1000
            agi:
              listen: "127.0.0.1:\(agiPort)"
            journal:
              flush_interval_ms: 100
            spool:
              directory: \(workdir.path)/spool
              max_bytes: \(spoolMaxBytes)
            http:
              listen: "127.0.0.1:\(httpPort)"
            """.write(to: workdir.appendingPathComponent("calljournal.yaml"), atomically: true, encoding: .utf8)
    }

    deinit {
        for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: workdir)
    }

    /// Starts `calljournal simulate` on the AMI port, playing against the FastAGI port, keeping its timeline.
    @discardableResult
    func startSimulator(speed: Double, rounds: Int = 1, extra: [String] = []) throws -> Process {
        try launch(["simulate", "--traces", Self.traces, "--ami-listen", "127.0.0.1:\(amiPort)",
                    "--agi", "127.0.0.1:\(agiPort)", "--secret-file", workdir.appendingPathComponent("secret").path,
                    "--speed", String(speed), "--rounds", String(rounds), "--log-level", "warning",
                    "--timeline", timelineURL.path] + extra,
                   log: "simulate")
    }

    private var timelineURL: URL { workdir.appendingPathComponent("timeline.json") }

    /// What the simulator sent to which AMI session, written when it ended.
    func timeline() throws -> AMITimeline {
        try JSONDecoder().decode(AMITimeline.self, from: Data(contentsOf: timelineURL))
    }

    /// Checks the journal against the simulator's timeline: every call at most once, no call the simulator did not
    /// place, and every call it placed except those in `mayBeMissing`.
    func expectJournal(of timeline: AMITimeline, missingAtMost mayBeMissing: Set<String>,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let journal = try database.query("SELECT linkedid FROM calljournal.calls")
        let placed = Set(timeline.calls.filter { !$0.absorbed }.map(\.linkedid))
        #expect(Set(journal).count == journal.count, "no call twice", sourceLocation: sourceLocation)
        #expect(Set(journal).subtracting(placed).isEmpty, "no call the simulator did not place",
                sourceLocation: sourceLocation)
        let missing = placed.subtracting(journal)
        #expect(missing.isSubset(of: mayBeMissing),
                "missing outside the gap: \(missing.subtracting(mayBeMissing).sorted()); inside it \(mayBeMissing.sorted())",
                sourceLocation: sourceLocation)
    }

    /// Starts `calljournal serve` with the harness configuration.
    @discardableResult
    func startServe(environment: [String: String] = [:]) throws -> Process {
        try launch(["serve", "--config", workdir.appendingPathComponent("calljournal.yaml").path], log: "serve",
                   environment: environment)
    }

    private func launch(_ arguments: [String], log: String, environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let logURL = workdir.appendingPathComponent("\(log)-\(processes.count).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logURL)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        processes.append(process)
        return process
    }

    /// Everything the processes logged, for failure messages and log assertions.
    func logs() -> String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: workdir.path)) ?? []
        return names.filter { $0.hasSuffix(".log") }.sorted().map { name in
            "--- \(name)\n" + ((try? String(contentsOf: workdir.appendingPathComponent(name), encoding: .utf8)) ?? "")
        }.joined(separator: "\n")
    }

    /// Waits for a process to end (at most `timeout`), returning its exit status.
    func wait(for process: Process, timeout: Duration = .seconds(120)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                Issue.record("process \(process.arguments?.first ?? "") did not end within \(timeout)\n\(logs())")
                kill(process.processIdentifier, SIGKILL)
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    /// Polls `condition` every 100 ms until it holds (at most `timeout`).
    func eventually(_ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                let open = (try? database.query("""
                    SELECT concat_ws(' ', linkedid, status, caller_number, last_event_at, created_at) FROM calljournal.calls
                     WHERE status = 'in_progress'
                    """)) ?? []
                Issue.record("timed out waiting for \(what); calls in progress: \(open)\n\(logs())")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The sum of a metric's samples on `/metrics`, or nil while the daemon does not answer.
    func metric(_ name: String) -> Double? {
        let result = try? CommandRunner.execute(URL(fileURLWithPath: "/usr/bin/env"),
                                                ["curl", "-sf", "--max-time", "2", "http://127.0.0.1:\(httpPort)/metrics"])
        guard let result, result.status == 0 else { return nil }
        return result.standardOutput.split(separator: "\n")
            .filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0, +)
    }

    /// Calls in the journal: (rows, distinct calls, still in progress).
    func callCounts() throws -> (rows: Int, distinct: Int, inProgress: Int) {
        let row = try database.query("""
            SELECT count(*), count(DISTINCT (pbx, linkedid)), count(*) FILTER (WHERE status = 'in_progress')
              FROM calljournal.calls
            """).first?.split(separator: "|").compactMap { Int($0) } ?? []
        guard row.count == 3 else { return (-1, -1, -1) }
        return (row[0], row[1], row[2])
    }

    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
