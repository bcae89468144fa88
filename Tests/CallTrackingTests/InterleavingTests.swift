import AMIModel
import CallTracking
import Foundation
import Testing
import TestFixtures

/// Calls whose events interleave give the same journal as each call alone (Asterisk orders events per channel, not
/// across calls).
@Suite struct InterleavingTests {
    private func allTraces() throws -> [[AMIMessage]] {
        try Fixtures.scenarios.map { try Replay.events($0) }
    }

    private func finishedByLinkedid(_ events: [AMIMessage]) -> [String: FinishedCall] {
        var replay = Replay()
        replay.feed(events)
        return byLinkedid(replay.finished)
    }

    /// Finished calls by Linkedid; a call finished twice is an error.
    private func byLinkedid(_ calls: [FinishedCall]) -> [String: FinishedCall] {
        let result = Dictionary(calls.map { ($0.record.linkedid, $0) }) { first, _ in first }
        #expect(result.count == calls.count, "a call finished more than once")
        return result
    }

    private func aloneByLinkedid(_ traces: [[AMIMessage]]) -> [String: FinishedCall] {
        traces.reduce(into: [:]) { result, trace in result.merge(finishedByLinkedid(trace)) { first, _ in first } }
    }

    @Test func allScenariosInterleavedEventByEventGiveTheSameRecords() throws {
        let traces = try allTraces()
        try #require(traces.count == 23)
        var merged: [AMIMessage] = []
        var cursors = traces.map { $0.makeIterator() }
        var exhausted = false
        while !exhausted {
            exhausted = true
            for index in cursors.indices {
                if let event = cursors[index].next() {
                    merged.append(event)
                    exhausted = false
                }
            }
        }
        let alone = aloneByLinkedid(traces)
        #expect(alone.count == 27)
        #expect(finishedByLinkedid(merged) == alone)
    }

    /// Every trace is moved in time so that all calls start within a few seconds of each other, then the events
    /// are merged by `Timestamp`: the calls now really overlap, as on a busy PBX.
    @Test func allScenariosMergedByTimestampGiveTheSameRecords() throws {
        let base = try #require(traceOrigin(try Replay.events("S1")))
        let traces = try allTraces().enumerated().map { index, trace in
            let origin = traceOrigin(trace) ?? base
            let shift = base.timeIntervalSince(origin) + Double(index) * 0.37
            return trace.map { event in
                guard let time = event.timestamp else { return event }
                return event.replacing("Timestamp", with: String(format: "%.6f", time.timeIntervalSince1970 + shift))
            }
        }
        let merged = traces.flatMap { $0 }.enumerated().sorted { lhs, rhs in
            let (a, b) = (lhs.element.timestamp ?? .distantPast, rhs.element.timestamp ?? .distantPast)
            return a != b ? a < b : lhs.offset < rhs.offset
        }.map(\.element)

        var replay = Replay()
        var peak = 0
        for event in merged {
            replay.feed([event])
            peak = max(peak, replay.tracker.callsInProgress)
        }
        #expect(peak >= 10)
        #expect(replay.tracker.callsInProgress == 0)
        #expect(byLinkedid(replay.finished) == aloneByLinkedid(traces))
    }
}
