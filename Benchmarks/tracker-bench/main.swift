import AMIModel
import CallTracking
import Foundation
import Logging
import Persistence
import TestFixtures

// tracker-bench: CallTracker throughput over a generated stream of at least a million events.
//
//   tracker-bench [--events N] [--spacing SECONDS] [--postgres [--batch-size UPDATES]]
//
// With --postgres the updates are also written by the journal writer's store, one transaction per 2000 updates
// (the writer's default batch size), into a fresh database `calljournal_bench` on the server the PG* variables name; the time then covers the
// tracker and the writer.
//
// Every recorded scenario is replayed round after round with fresh ids, rounds `spacing` seconds apart, merged by
// time. Only `CallTracker.handle` is timed; building the events is not. Exits non-zero when calls are left in
// progress or not every generated call finished exactly once.

func option(_ name: String, default value: Double) -> Double {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count,
          let parsed = Double(arguments[index + 1]) else { return value }
    return parsed
}

let wantedEvents = Int(option("--events", default: 1_000_000))
let spacing = option("--spacing", default: 0.7)

var templates: [TemplateEvent] = []
var callsPerRound = 0
for scenario in Fixtures.scenarios {
    let events = TraceTemplate.events(fromTrace: try Fixtures.data(scenario, "ami.raw"))
    callsPerRound += Set(events.compactMap { event in
        event.fields.first { $0.key == "Linkedid" }?.value
    }).count
    templates += events
}
let rounds = (wantedEvents + templates.count - 1) / templates.count
let stream = EventStream(templates: templates, spacing: spacing, rounds: rounds, base: 1_900_000_000)

let directory = EndpointDirectory(
    employeesByEndpoint: Dictionary(uniqueKeysWithValues: (1 ... 4).map {
        ("10\($0)", TrackedEmployee(id: Int64($0), extensionNumber: "10\($0)"))
    }),
    trunkEndpoints: ["trunk"]
)
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

for window in 0 ..< stream.windowCount {
    let events = stream.window(window)
    let start = clock.now
    for event in events {
        let result = tracker.handle(event, receivedAt: receivedAt)
        updates += result.count
        for update in result {
            if case .finished = update { finished += 1 }
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
let expectedCalls = rounds * callsPerRound
print("events handled:        \(handled) (\(rounds) rounds of \(templates.count) recorded events, \(callsPerRound) calls each)")
print("path timed:            \(store == nil ? "tracker" : "tracker + journal writer into PostgreSQL (\(batches) transactions)")")
print("time:                  \(String(format: "%.3f", seconds)) s")
print("events/s:              \(String(format: "%.0f", Double(handled) / seconds))")
print("calls finished:        \(finished) of \(expectedCalls)")
print("calls/s:               \(String(format: "%.0f", Double(finished) / seconds))")
print("updates emitted:       \(updates)")
print("calls in progress:     peak \(peakCalls), mean \(concurrencySum / max(1, stream.windowCount)) (sampled every \(spacing) s of call time)")
print("peak RSS (VmHWM):      \(PeakMemory.kilobytes().map { "\($0) kB" } ?? "unknown")")
print("left in progress:      \(tracker.callsInProgress) calls, \(tracker.channelsInProgress) channels")

if tracker.callsInProgress != 0 || tracker.channelsInProgress != 0 || finished != expectedCalls {
    print("FAILED: the tracker did not return to an empty state with every call finished once")
    exit(1)
}

if let store {
    let rows = try store.connection.query("SELECT count(*) AS calls, count(*) FILTER (WHERE status = 'in_progress') AS open FROM calljournal.calls")
    print("journal rows:          \(rows.first?["calls"] ?? "?") calls, \(rows.first?["open"] ?? "?") in progress")
}

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
