import AMIClient
import AMIModel
import CallTracking
import Foundation
import Logging
import Persistence
import TestFixtures

// tracker-bench: CallTracker throughput over a generated stream of at least a million events.
//
//   tracker-bench [--events N] [--spacing SECONDS] [--scenarios N] [--postgres [--batch-size UPDATES]]
//
// --scenarios N uses the first N recordings only (13: S1-S13, the stream figures were measured on before the later
// recordings existed), to compare with older figures on the same stream.
// With --postgres the updates are also written by the journal writer's store, one transaction per 2000 updates
// (the writer's default batch size), into a fresh database `calljournal_bench` on the server the PG* variables name; the time then covers the
// tracker and the writer.
//
// Every recorded scenario is replayed round after round with fresh ids, rounds `spacing` seconds apart, merged by
// time. Only `CallTracker.handle` is timed; building the events is not. Before printing any figure it checks that
// every generated call finished exactly once (each by its Linkedid), that nothing is left in the tracker and, with
// --postgres, that the journal holds one finished row per generated call; otherwise it says what is wrong, prints
// no figure and exits 1.

func option(_ name: String, default value: Double) -> Double {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count,
          let parsed = Double(arguments[index + 1]) else { return value }
    return parsed
}

let wantedEvents = Int(option("--events", default: 1_000_000))
let spacing = option("--spacing", default: 0.7)

let directory = EndpointDirectory(
    employeesByEndpoint: Dictionary(uniqueKeysWithValues: (1 ... 4).map {
        ("10\($0)", TrackedEmployee(id: Int64($0), extensionNumber: "10\($0)"))
    }),
    trunkEndpoints: ["trunk"]
)

let scenarioCount = Int(option("--scenarios", default: Double(Fixtures.scenarios.count)))
var templates: [TemplateEvent] = []
// The recorded calls: what the tracker journals from each recording replayed once, untimed.
var recordedCalls = Set<String>()
for scenario in Fixtures.scenarios.prefix(scenarioCount) {
    let bytes = try Fixtures.data(scenario, "ami.raw")
    templates += TraceTemplate.events(fromTrace: bytes)
    var once = CallTracker(configuration: CallTrackerConfiguration(pbx: "bench"), directory: directory)
    for event in AMIRecording(bytes: bytes).events {
        for case .finished(let record, _) in once.handle(event, receivedAt: Date(timeIntervalSince1970: 0)) {
            recordedCalls.insert(record.linkedid)
        }
    }
}
let rounds = (wantedEvents + templates.count - 1) / templates.count
let stream = EventStream(templates: templates, calls: recordedCalls, spacing: spacing, rounds: rounds, base: 1_900_000_000)
let callsPerRound = stream.recordedLinkedids.count
var tracker = CallTracker(configuration: CallTrackerConfiguration(pbx: "bench"), directory: directory)
let store = CommandLine.arguments.contains("--postgres") ? try benchmarkStore() : nil
// As the daemon's writer: a transaction once `journal.batch_size` (2000) updates are pending.
let batchSize = Int(option("--batch-size", default: 2000))
var batches = 0
var batch = JournalBatch()
let receivedAt = Date(timeIntervalSince1970: 1_900_000_000)
let clock = ContinuousClock()
var elapsed = Duration.zero
var handled = 0, updates = 0, finished = 0, peakCalls = 0, concurrencySum = 0
// How many times each generated call finished, by its number: one byte a call, so memory stays flat.
var finishes = [UInt8](repeating: 0, count: stream.callCount)
var strays: [String] = []

for window in 0 ..< stream.windowCount {
    let events = stream.window(window)
    let start = clock.now
    for event in events {
        let result = tracker.handle(event, receivedAt: receivedAt)
        updates += result.count
        for update in result {
            if case .finished(let record, _) = update {
                finished += 1
                if let number = stream.callNumber(linkedid: record.linkedid) {
                    finishes[number] = finishes[number] &+ 1
                } else {
                    strays.append(record.linkedid)
                }
            }
            if store != nil { batch.add(update) }
        }
    }
    if let store, batch.updateCount >= batchSize || window == stream.windowCount - 1 {
        try store.write(batch)
        batch = JournalBatch()
        batches += 1
    }
    elapsed += clock.now - start
    handled += events.count
    peakCalls = max(peakCalls, tracker.callsInProgress)
    concurrencySum += tracker.callsInProgress
}

let seconds = elapsed / .seconds(1)
let expectedCalls = stream.callCount

// A figure for work that was not all done means nothing: check first.
var problems: [String] = []
func listed(_ ids: [String]) -> String {
    "\(ids.count) (\(ids.prefix(5).joined(separator: ", "))\(ids.count > 5 ? ", …" : ""))"
}
let neverFinished = finishes.indices.filter { finishes[$0] == 0 }.map(stream.linkedid(ofCall:))
let finishedAgain = finishes.indices.filter { finishes[$0] > 1 }.map(stream.linkedid(ofCall:))
if !neverFinished.isEmpty { problems.append("calls that never finished: \(listed(neverFinished))") }
if !finishedAgain.isEmpty { problems.append("calls that finished more than once: \(listed(finishedAgain))") }
if !strays.isEmpty { problems.append("calls finished that the stream does not hold: \(listed(strays))") }
if tracker.callsInProgress != 0 || tracker.channelsInProgress != 0 {
    problems.append("left in the tracker: \(tracker.callsInProgress) calls, \(tracker.channelsInProgress) channels")
}
if let store {
    let rows = try store.connection.query("""
        SELECT count(*) AS calls, count(DISTINCT linkedid) AS distinct_calls,
               count(*) FILTER (WHERE status = 'in_progress') AS open
          FROM calljournal.calls
        """)
    let counts = ["calls", "distinct_calls", "open"].map { rows.first?[$0] ?? "?" }
    if counts != ["\(expectedCalls)", "\(expectedCalls)", "0"] {
        problems.append("the journal holds \(counts[0]) rows for \(counts[1]) calls, \(counts[2]) in progress; "
            + "expected \(expectedCalls) finished calls, one row each")
    }
}
guard problems.isEmpty else {
    print("FAILED, no figures: not every generated call went through exactly once")
    for problem in problems { print("  " + problem) }
    exit(1)
}

print("events handled:        \(handled) (\(rounds) rounds of \(templates.count) recorded events, \(callsPerRound) calls each)")
print("path timed:            \(store == nil ? "tracker" : "tracker + journal writer into PostgreSQL (\(batches) transactions)")")
print("time:                  \(String(format: "%.3f", seconds)) s")
print("events/s:              \(String(format: "%.0f", Double(handled) / seconds))")
print("calls finished:        \(finished) of \(expectedCalls), each once")
print("calls/s:               \(String(format: "%.0f", Double(finished) / seconds))")
print("updates emitted:       \(updates)")
print("calls in progress:     peak \(peakCalls), mean \(concurrencySum / max(1, stream.windowCount)) (sampled every \(spacing) s of call time)")
print("peak RSS (VmHWM):      \(PeakMemory.kilobytes().map { "\($0) kB" } ?? "unknown")")
print("left in progress:      \(tracker.callsInProgress) calls, \(tracker.channelsInProgress) channels")
if store != nil { print("journal rows:          \(expectedCalls) calls, none in progress") }

/// A fresh, migrated `calljournal_bench` database with employees 101–104.
func benchmarkStore() throws -> JournalStore {
    let admin = try PostgresConnection.connect(PostgresConnectionSettings(connectionString: "dbname=postgres"))
    try admin.execute(script: "DROP DATABASE IF EXISTS calljournal_bench")
    try admin.execute(script: "CREATE DATABASE calljournal_bench")
    let connection = try PostgresConnection.connect(PostgresConnectionSettings(connectionString: "dbname=calljournal_bench"))
    _ = try Migrator(logger: Logger(label: "bench")).migrate(on: connection)
    try connection.execute(script: """
        INSERT INTO calljournal.employees (full_name, extension)
            SELECT 'Agent ' || x, x::text FROM generate_series(101, 104) x;
        """)
    return JournalStore(connection: connection)
}
