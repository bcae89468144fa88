public import Foundation
import LogKeys
public import Logging

/// A stand-in for Asterisk on loopback, built from recorded traffic: it serves AMI (banner, MD5 or plain login)
/// replaying recorded scenarios with their original timing, and connects to a FastAGI server to play Asterisk's
/// side of the recorded sessions (route lookups, post-call menus with the recorded digits) at the right moments.
public struct PBXSimulator: Sendable {
    public struct Configuration: Sendable {
        /// A folder of scenario folders (`S1-…/ami.raw`, `agi-NN-*.{asterisk.raw,log}`).
        public var traces: URL
        /// Scenario names or prefixes to play (`["S1", "S8"]`); empty plays all.
        public var only: [String] = []
        public var amiHost = "127.0.0.1"
        public var amiPort = 5038
        public var username = "calljournal"
        public var secret = "calljournal"
        public var agiHost = "127.0.0.1"
        public var agiPort = 4573
        /// 1 plays in real time; 10 ten times faster (timestamps keep the recorded durations).
        public var speed = 1.0
        /// How many times to play the scenarios; 0 loops until stopped. Rounds after the first get fresh ids and
        /// caller numbers.
        public var rounds = 1
        /// Fault injection: drop every AMI session once, after this many events.
        public var dropAfterEvents: Int?
        /// Fault injection: after the drop, refuse manager connections until this many more events were published,
        /// so what happens meanwhile is certain to fall inside the gap.
        public var outageEvents = 0
        /// Keep an ``AMITimeline`` of the run, returned in the summary.
        public var recordsTimeline = false
        /// Fault injection: send a malformed frame (binary garbage and an oversized line) every this many events.
        public var garbageEvery: Int?

        public init(traces: URL) {
            self.traces = traces
        }
    }

    /// What a run did.
    public struct Summary: Sendable, Equatable {
        public var rounds = 0
        public var events = 0
        public var agiSessions = 0
        public var agiFailures = 0
        /// What was sent to which manager session, when `recordsTimeline` was set.
        public var timeline: AMITimeline?
    }

    public let configuration: Configuration
    let logger: Logger

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Serves AMI, waits for a manager to log in, plays the rounds, and returns what it did. `amiBound` is told the
    /// AMI port once listening (useful with port 0).
    public func run(amiBound: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> Summary {
        let all = try RecordedScenario.all(in: configuration.traces)
        let scenarios = configuration.only.isEmpty ? all : all.filter { scenario in
            configuration.only.contains { scenario.name == $0 || scenario.name.hasPrefix($0 + "-") }
        }
        guard !scenarios.isEmpty else { throw SimulatorError.noScenarios(configuration.traces.path) }
        let hub = AMIEventHub(recordsTimeline: configuration.recordsTimeline)
        let server = AMIReplayServer(host: configuration.amiHost, port: configuration.amiPort, username: configuration.username,
                                     secret: configuration.secret, hub: hub, logger: logger)
        return try await withThrowingTaskGroup(of: Summary?.self) { group in
            group.addTask {
                try await server.run(bound: amiBound)
                return nil
            }
            group.addTask {
                await hub.waitForLogin()
                logger.info("a manager logged in; replaying", metadata: [
                    LogKey.scenarios: "\(scenarios.count)", LogKey.speed: "\(configuration.speed)", LogKey.rounds: "\(configuration.rounds)",
                ])
                var summary = await ScenarioPlayer(scenarios: scenarios, configuration: configuration, hub: hub, logger: logger).run()
                summary.timeline = await hub.timeline
                return summary
            }
            while let result = try await group.next() {
                if let summary = result {
                    group.cancelAll()
                    return summary
                }
            }
            return Summary()
        }
    }
}

public enum SimulatorError: Error, CustomStringConvertible {
    case noScenarios(String)

    public var description: String {
        switch self {
        case .noScenarios(let path): "no recorded scenarios (S*/ami.raw) found in \(path)"
        }
    }
}
