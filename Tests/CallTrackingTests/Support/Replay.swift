import AMIClient
import AMIModel
import CallTracking
import Foundation
import TestFixtures

/// Replays recorded traces through a tracker set up like the lab: trunk endpoint `trunk`, employees 101…104 with
/// ids 1…4.
struct Replay {
    static let directory = EndpointDirectory(
        employeesByEndpoint: Dictionary(uniqueKeysWithValues: (1 ... 4).map { id in
            ("10\(id)", TrackedEmployee(id: Int64(id), extensionNumber: "10\(id)"))
        }),
        trunkEndpoints: ["trunk"]
    )
    static let configuration = CallTrackerConfiguration(pbx: "lab")
    /// Receive time for the few messages without a `Timestamp` (the login response, `FullyBooted`).
    static let receivedAt = Date(timeIntervalSince1970: 0)

    var tracker: CallTracker
    private(set) var updates: [CallUpdate] = []

    init(configuration: CallTrackerConfiguration = Replay.configuration, directory: EndpointDirectory = Replay.directory) {
        tracker = CallTracker(configuration: configuration, directory: directory)
    }

    /// The recorded AMI messages of a scenario (`"S1"` … `"S13"`).
    static func events(_ scenario: String) throws -> [AMIMessage] {
        AMIRecording(bytes: try Fixtures.data(scenario, "ami.raw")).events
    }

    /// The finished calls of a scenario replayed alone, in the order they finished.
    static func finishedCalls(_ scenario: String) throws -> [FinishedCall] {
        var replay = Replay()
        replay.feed(try events(scenario))
        return replay.finished
    }

    mutating func feed(_ events: some Sequence<AMIMessage>) {
        for event in events { updates += tracker.handle(event, receivedAt: Self.receivedAt) }
    }

    mutating func reconcile(_ live: [AMIMessage], now: Date) -> [CallUpdate] {
        let result = tracker.reconcile(liveChannels: live, now: now)
        updates += result
        return result
    }

    var finished: [FinishedCall] {
        updates.compactMap {
            if case .finished(let record, let decision) = $0 { FinishedCall(record: record, decision: decision) } else { nil }
        }
    }
}

struct FinishedCall: Hashable {
    var record: CallRecord
    var decision: CallbackDecision

    var legExtensions: [String?] { record.legs.map(\.employeeExtension) }
}

extension AMIMessage {
    /// The `Timestamp` header as a date.
    var timestamp: Date? { self["Timestamp"].flatMap(Double.init).map(Date.init(timeIntervalSince1970:)) }

    /// A copy with one field's value replaced.
    func replacing(_ key: String, with value: String) -> AMIMessage {
        AMIMessage(fields.map { $0.key.caseInsensitiveCompare(key) == .orderedSame ? ($0.key, value) : $0 })
    }
}

/// Seconds from the first call event of a trace (the scenario's "+0.00 s", the caller's `Newchannel`).
func traceOrigin(_ events: [AMIMessage]) -> Date? {
    events.first { $0.eventName == "Newchannel" }?.timestamp
}

/// Within one second of the scenario's measured timeline.
func isClose(_ value: Double?, to expected: Double, within tolerance: Double = 1) -> Bool {
    guard let value else { return false }
    return abs(value - expected) <= tolerance
}
