import ArgumentParser
import Foundation
import Logging
import PBXSimulator

/// `calljournal simulate`: an Asterisk stand-in built from recorded traffic.
struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stand in for Asterisk: serve AMI replaying recorded calls, and play their FastAGI sessions.",
        discussion: """
            Listens for AMI like Asterisk (banner, Challenge/MD5 or plain Login, Ping, CoreShowChannels) and, once \
            a manager has logged in, replays the recorded scenarios with their original timing divided by --speed. \
            Whenever a replayed call reaches its AGI() step, it connects to the FastAGI server and plays Asterisk's \
            side of the recorded session: the environment, then answers to every command, with the digits the \
            agent typed and hang-ups where they happened. With --rounds N (0: until stopped) the scenarios repeat \
            with fresh ids and caller numbers — a steady synthetic load. Event timestamps are moved to the present.
            Point `calljournal serve` at it: ami.host/port, username and secret as given here.
            """
    )

    @Option(help: ArgumentHelp("Folder of recorded scenarios (S1-…/ami.raw, agi-*).", valueName: "path"))
    var traces = "Tests/Fixtures/asterisk-traces"

    @Option(help: ArgumentHelp("Only these scenarios (repeatable), e.g. --only S1 --only S8.", valueName: "name"))
    var only: [String] = []

    @Option(help: ArgumentHelp("Where to serve AMI.", valueName: "host:port"))
    var amiListen = "127.0.0.1:5038"

    @Option(help: "The AMI username to accept.")
    var username = "calljournal"

    @Option(help: ArgumentHelp("A file holding the AMI secret to accept (default: the secret is 'calljournal').",
                               valueName: "path"))
    var secretFile: String?

    @Option(help: ArgumentHelp("The FastAGI server to play sessions against.", valueName: "host:port"))
    var agi = "127.0.0.1:4573"

    @Option(help: "Playback speed: 1 is real time, 10 is ten times faster.")
    var speed = 1.0

    @Option(help: "How many times to play the scenarios (0: until stopped).")
    var rounds = 1

    @Option(help: ArgumentHelp("Fault injection: drop every AMI session once after N events.", valueName: "N"))
    var dropAfterEvents: Int?

    @Option(help: ArgumentHelp("Fault injection: after the drop, refuse AMI connections for the next N events.",
                               valueName: "N"))
    var outageEvents = 0

    @Option(help: ArgumentHelp("Fault injection: send a malformed AMI frame every N events.", valueName: "N"))
    var garbageEvery: Int?

    @Option(help: ArgumentHelp("""
        At the end, write as JSON which events went to which AMI session: each call's first event, each login, \
        the end of each session and each CoreShowChannels answer, by event number.
        """, valueName: "path"))
    var timeline: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    func validate() throws {
        guard speed > 0, speed <= 1_000 else { throw ValidationError("--speed must be above 0 and at most 1000") }
        guard rounds >= 0 else { throw ValidationError("--rounds must be 0 or more") }
        guard Self.split(amiListen) != nil else { throw ValidationError("--ami-listen must be host:port") }
        guard Self.split(agi) != nil else { throw ValidationError("--agi must be host:port") }
        guard outageEvents >= 0 else { throw ValidationError("--outage-events must be 0 or more") }
        guard outageEvents == 0 || dropAfterEvents != nil else {
            throw ValidationError("--outage-events needs --drop-after-events: the outage follows the drop")
        }
    }

    func run() async throws {
        let logger = CommandLogging.logger(label: "calljournal.simulate", level: logLevel)
        var configuration = PBXSimulator.Configuration(traces: URL(fileURLWithPath: traces))
        configuration.only = only
        (configuration.amiHost, configuration.amiPort) = Self.split(amiListen) ?? ("127.0.0.1", 5038)
        (configuration.agiHost, configuration.agiPort) = Self.split(agi) ?? ("127.0.0.1", 4573)
        configuration.username = username
        if let secretFile {
            guard let secret = try? String(contentsOfFile: secretFile, encoding: .utf8) else {
                throw CommandFailure.exit("cannot read the secret file \(secretFile)", code: 66)
            }
            configuration.secret = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        configuration.speed = speed
        configuration.rounds = rounds
        configuration.dropAfterEvents = dropAfterEvents
        configuration.outageEvents = outageEvents
        configuration.garbageEvery = garbageEvery
        configuration.recordsTimeline = timeline != nil
        let summary = try await PBXSimulator(configuration: configuration, logger: logger).run()
        if let timeline, let record = summary.timeline {
            do {
                try JSONEncoder().encode(record).write(to: URL(fileURLWithPath: timeline))
            } catch {
                throw CommandFailure.exit("cannot write the timeline to \(timeline): \(error)", code: 73)
            }
        }
        print("simulation finished: \(summary.rounds) round(s), \(summary.events) AMI events, "
              + "\(summary.agiSessions) FastAGI sessions (\(summary.agiFailures) failed)")
        if summary.agiFailures > 0 { throw ExitCode(1) }
    }

    static func split(_ address: String) -> (String, Int)? {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
              (0 ... 65_535).contains(port) else { return nil }
        return (String(address[..<colon]), port)
    }
}
