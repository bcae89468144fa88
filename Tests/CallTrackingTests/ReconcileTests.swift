import AMIModel
import CallTracking
import Foundation
import Testing

/// After an AMI reconnect the tracker compares what it holds with the `CoreShowChannel` list.
@Suite struct ReconcileTests {
    /// S1 up to the moment the caller hangs up (+9.03 s): the call is talking.
    private func talkingS1() throws -> (events: [AMIMessage], cut: Int, replay: Replay) {
        let events = try Replay.events("S1")
        let cut = try #require(events.firstIndex { $0.eventName == "HangupRequest" })
        var replay = Replay()
        replay.feed(events[..<cut])
        return (events, cut, replay)
    }

    @Test func callWhoseChannelsVanishedIsFinishedAsEndedWhileDisconnected() throws {
        var (events, cut, replay) = try talkingS1()
        try #require(replay.tracker.callsInProgress == 1)
        let now = try #require(events[cut].timestamp).addingTimeInterval(30)
        let updates = replay.reconcile([], now: now)
        try #require(updates.count == 1)
        guard case .finished(let call, let decision) = updates[0] else {
            Issue.record("expected the call to finish, got \(updates[0])")
            return
        }
        #expect(call.endedWhileDisconnected)
        // It ends at the last sign of life seen before the outage (an RTCP report), not at the reconnect 30 s later.
        let callChannels = Set(call.legs.map(\.uniqueid) + [call.linkedid])
        let signs: Set = ["RTCPSent", "RTCPReceived", "Newchannel", "Newstate", "DialBegin", "DialEnd", "BridgeEnter"]
        let lastSign = try #require(events[..<cut].last {
            signs.contains($0.eventName ?? "") && callChannels.contains($0["Uniqueid"] ?? "")
        }?.timestamp)
        #expect(call.endedAt == lastSign)
        #expect(call.status == .answered)
        #expect(call.answeredExtension == "101")
        let talk = try #require(call.talkSeconds)
        #expect(isClose(talk, to: lastSign.timeIntervalSince(try #require(call.answeredAt)), within: 0.001))
        #expect(talk > 4 && talk <= 6.02, "the 6 s of real talk, as far as they were seen")
        #expect(decision == .close(number: "79161234567", at: try #require(call.answeredAt)))
        #expect(replay.tracker.callsInProgress == 0)
        #expect(replay.tracker.channelsInProgress == 0)
    }

    @Test func aPBXClockAheadOfOursNeverEndsACallBeforeItsLastEvent() throws {
        var (events, cut, replay) = try talkingS1()
        let lastSeen = try #require(events[cut - 1].timestamp)
        // Our clock says it is ten minutes before the PBX's latest timestamp.
        let updates = replay.reconcile([], now: lastSeen.addingTimeInterval(-600))
        guard case .finished(let call, _) = try #require(updates.first) else {
            Issue.record("expected the call to finish")
            return
        }
        #expect(call.endedAt.map { $0 <= lastSeen } == true, "no later than what the PBX said last")
        #expect(call.endedAt.map { $0 >= (call.answeredAt ?? call.startedAt) } == true)
        #expect((call.talkSeconds ?? -1) >= 0)
    }

    @Test func callWithALiveChannelContinues() throws {
        var (events, cut, replay) = try talkingS1()
        let now = try #require(events[cut].timestamp)
        let agentOnly = CoreShowChannels.live(in: events, at: now).filter { $0["Channel"]?.hasPrefix("PJSIP/101") == true }
        try #require(agentOnly.count == 1)
        #expect(replay.reconcile(agentOnly, now: now).allSatisfy { if case .finished = $0 { false } else { true } })
        #expect(replay.tracker.callsInProgress == 1)
        #expect(replay.tracker.channelsInProgress == 1)
        let later = replay.reconcile([], now: now.addingTimeInterval(5))
        #expect(later.count == 1)
        #expect(replay.tracker.callsInProgress == 0)
    }

    @Test func liveChannelsOfACallNotSeenBeforeAreAdoptedAndFinishNormally() throws {
        let events = try Replay.events("S2")
        let origin = try #require(traceOrigin(events))
        // Reconnected at +4 s, while 101 and the caller talk; the rest of the trace follows.
        let now = origin.addingTimeInterval(4)
        let live = CoreShowChannels.live(in: events, at: now)
        try #require(live.count == 2)
        var replay = Replay()
        let adopted = replay.reconcile(live, now: now)
        try #require(adopted.count == 1)
        guard case .started(let started) = adopted[0] else {
            Issue.record("expected the adopted call to start, got \(adopted[0])")
            return
        }
        #expect(started.direction == .inbound)
        #expect(started.callerNumber == "79035556677")
        #expect(started.didNumber == "5551000")
        #expect(started.answeredExtension == "101")
        #expect(started.seenInPart)
        #expect(started.legs.map(\.employeeExtension) == ["101"])
        #expect(replay.tracker.callsInProgress == 1)

        replay.feed(events.filter { ($0.timestamp ?? .distantPast) > now })
        let call = try #require(replay.finished.first).record
        #expect(call.status == .answered)
        #expect(call.seenInPart)
        #expect(call.hungUpFirst == .employee)
        #expect(!call.endedWhileDisconnected)
        // The answer happened before the reconnect and was not seen: its time, the wait and the talk are unknown
        // rather than estimated.
        #expect(call.answeredAt == nil)
        #expect(call.waitSeconds == nil)
        #expect(call.talkSeconds == nil)
        #expect(replay.tracker.callsInProgress == 0)
        #expect(replay.tracker.channelsInProgress == 0)
    }

    @Test func knownLiveChannelsChangeNothing() throws {
        var (events, cut, replay) = try talkingS1()
        let now = try #require(events[cut].timestamp)
        let live = CoreShowChannels.live(in: events, at: now)
        try #require(live.count == 2)
        #expect(replay.reconcile(live, now: now).isEmpty)
        replay.feed(events[cut...])
        let call = try #require(replay.finished.first).record
        #expect(!call.endedWhileDisconnected)
        #expect(isClose(call.talkSeconds, to: 6.02))
    }
}
