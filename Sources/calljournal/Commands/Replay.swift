import AMIClient
import AMIModel
import ArgumentParser
import CallTracking
import Foundation
import Logging
import Persistence

/// `calljournal replay FILE…`: recorded AMI streams through the tracker (and the journal writer).
struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Feed recorded AMI streams through the call tracker into the journal, or print the calls.",
        discussion: """
            Each FILE holds the raw bytes of an AMI session (what `tcpdump -w` payloads or a tap of port 5038 \
            gives: the banner line, then messages separated by blank lines). Files are replayed in order as one \
            stream of the PBX named by --pbx. Writing is idempotent: replaying a file twice changes nothing. \
            A recording that starts during calls gives those calls as seen in part (seen_in_part), never guessed. \
            A recording from an AMI without Linkedid (Asterisk 11 and older, 12, 13.0-13.4) is refused.

            With --dry-run no database is used: the finished calls are printed as JSON, and endpoints not listed \
            as trunks count as employee endpoints named after themselves — the quickest way to check how \
            calljournal reads a trace from your own PBX.
            """
    )

    @OptionGroup var options: ConfigurationOptions

    @Argument(help: ArgumentHelp("Recorded AMI streams (ami.raw).", valueName: "file"))
    var files: [String]

    @Flag(help: "Print the finished calls as JSON instead of writing them.")
    var dryRun = false

    @Option(help: "The PBX name the calls belong to (default: the first configured AMI server).")
    var pbx: String?

    @Option(help: "An endpoint that is a trunk (repeatable; default: the PBX's configured trunks).")
    var trunk: [String] = []

    func run() async throws {
        let configuration = try await options.load()
        let logger = CommandLogging.logger(label: "calljournal.replay", level: configuration.logLevel)
        let server = configuration.amiServers.first { $0.pbx == pbx } ?? configuration.amiServers.first
        let pbxName = pbx ?? server?.pbx ?? "main"
        let trunks = trunk.isEmpty ? (server?.trunks ?? ["trunk"]) : trunk
        let trackerConfiguration = configuration.journal.tracker(pbx: pbxName)

        var recordings: [(String, AMIRecording)] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandFailure.exit("cannot read \(file)", code: 66)
            }
            let recording = AMIRecording(bytes: [UInt8](data))
            if let version = recording.bannerVersion, !AMIVersion.carriesLinkedid(version) {
                throw CommandFailure.exit("\(file): \(AMIError.unsupportedVersion(version))", code: 65)
            }
            recordings.append((file, recording))
        }
        if dryRun {
            let directory = EndpointDirectory(trunkEndpoints: Set(trunks), unknownEndpointsAreEmployees: true)
            var tracker = CallTracker(configuration: trackerConfiguration, directory: directory)
            var finished: [CallRecord] = []
            for (_, recording) in recordings {
                for event in recording.events {
                    for case .finished(let record, _) in tracker.handle(event, receivedAt: Date()) { finished.append(record) }
                }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .custom { date, encoder in
                var container = encoder.singleValueContainer()
                try container.encode(ReplayTimestamp.format(date))
            }
            print(String(decoding: try encoder.encode(finished), as: UTF8.self))
            report(recordings, calls: finished.count, inProgress: tracker.callsInProgress)
            return
        }

        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(configuration.postgresSettings)
            try Migrator(logger: logger).requireCurrent(on: connection)
        } catch let error as PostgresError {
            throw CommandFailure.exit(error.description, code: error.isConnectionFailure ? 69 : 1)
        } catch let error as MigrationError {
            throw CommandFailure.exit(error.description, code: 78)
        }
        let directory = EndpointDirectory(try DirectoryReader(connection: connection).load(), trunks: trunks)
        var tracker = CallTracker(configuration: trackerConfiguration, directory: directory)
        let store = JournalStore(connection: connection)
        var batch = JournalBatch()
        var calls = 0
        for (_, recording) in recordings {
            for event in recording.events {
                for update in tracker.handle(event, receivedAt: Date()) {
                    if case .finished = update { calls += 1 }
                    batch.add(update)
                }
                if batch.updateCount >= 1_000 {
                    try store.write(batch)
                    batch = JournalBatch()
                }
            }
        }
        try store.write(batch)
        report(recordings, calls: calls, inProgress: tracker.callsInProgress)
    }

    /// A summary on standard error, so standard output stays clean JSON in dry runs.
    private func report(_ recordings: [(String, AMIRecording)], calls: Int, inProgress: Int) {
        var standardError = FileHandleOutputStream.standardError
        let events = recordings.reduce(0) { $0 + $1.1.events.count }
        let rejected = recordings.reduce(0) { $0 + $1.1.rejected.count }
        print("replayed \(events) events from \(recordings.count) file(s): \(calls) call(s) finished, "
              + "\(inProgress) still in progress at the end, \(rejected) frame(s) rejected", to: &standardError)
        for (file, recording) in recordings where !recording.rejected.isEmpty {
            print("  \(file): \(recording.rejected.map { "\($0)" }.joined(separator: "; "))", to: &standardError)
        }
    }
}

/// Dates in replay output: UTC with milliseconds, e.g. `2026-11-22T14:46:47.860Z`.
enum ReplayTimestamp {
    static func format(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
