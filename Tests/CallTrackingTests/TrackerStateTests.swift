import CallTracking
import Foundation
import Testing
import TestFixtures

/// The tracker keeps state only for live calls.
@Suite struct TrackerStateTests {
    @Test(arguments: Fixtures.scenarios)
    func finishedCallsLeaveNothingBehind(scenario: String) throws {
        let events = try Replay.events(scenario)
        var replay = Replay()
        replay.feed(events.prefix(events.count / 2))
        #expect(replay.tracker.callsInProgress > 0, "a call is in progress halfway through \(scenario)")
        #expect(replay.tracker.channelsInProgress > 0)
        replay.feed(events.dropFirst(events.count / 2))
        #expect(replay.tracker.callsInProgress == 0)
        #expect(replay.tracker.channelsInProgress == 0)
    }

    /// One `started` and one `finished` per call; everything in between is a `changed` of a call in progress.
    @Test(arguments: Fixtures.scenarios)
    func everyCallStartsOnceAndFinishesOnce(scenario: String) throws {
        var replay = Replay()
        replay.feed(try Replay.events(scenario))
        var started: [String] = [], finished: [String] = []
        for update in replay.updates {
            switch update {
            case .started(let record): started.append(record.linkedid)
            case .changed(let record):
                #expect(record.status == .inProgress)
                #expect(started.contains(record.linkedid) && !finished.contains(record.linkedid))
            case .finished(let record, _):
                #expect(record.status != .inProgress)
                finished.append(record.linkedid)
            }
        }
        #expect(!started.isEmpty)
        #expect(started.sorted() == finished.sorted())
        #expect(Set(started).count == started.count)
    }

    @Test func theSameTraceTwiceGivesTheSameRecordsTwice() throws {
        let events = try Replay.events("S9")
        var replay = Replay()
        replay.feed(events)
        let first = replay.finished
        replay.feed(events)
        #expect(first.count == 2)
        #expect(Array(replay.finished.dropFirst(first.count)) == first)
    }

    @Test func irrelevantEventsCauseNoUpdates() throws {
        var replay = Replay()
        let noise = try Replay.events("S1").filter { ["Newexten", "RTCPSent", "DeviceStateChange"].contains($0.eventName) }
        try #require(noise.count > 10)
        replay.feed(noise)
        #expect(replay.updates.isEmpty)
        #expect(replay.tracker.channelsInProgress == 0)
    }
}
