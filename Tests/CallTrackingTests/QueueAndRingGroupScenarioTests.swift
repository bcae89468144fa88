import CallTracking
import Foundation
import Testing

/// Calls offered to several agents at once: a ringall queue (S10) and a ring group `PJSIP/101&PJSIP/102` (S11).
@Suite struct QueueAndRingGroupScenarioTests {
    @Test func queueCallAnsweredBy102() throws {
        let finished = try #require(try Replay.finishedCalls("S10").first)
        let call = finished.record
        #expect(call.direction == .inbound)
        #expect(call.status == .answered)
        #expect(call.callerNumber == "79165550101")
        #expect(call.didNumber == "5551200")
        #expect(call.queueName == "support")
        #expect(call.answeredEmployeeID == 2)
        #expect(call.answeredExtension == "102")
        #expect(finished.legExtensions == ["101", "102"])
        #expect(call.legs.map(\.disposition) == [.cancelled, .answered])
        // The caller is answered by Asterisk at once and waits in the queue; 102 answers at +3.03 s and hangs up at
        // +8.03 s.
        #expect(isClose(call.waitSeconds, to: 3.03))
        #expect(isClose(call.talkSeconds, to: 5.0))
        #expect(call.hungUpFirst == .employee)
        #expect(finished.decision == .close(number: "79165550101", at: try #require(call.answeredAt)))
    }

    @Test func ringGroupAnsweredBy101With102Cancelled() throws {
        let finished = try #require(try Replay.finishedCalls("S11").first)
        let call = finished.record
        #expect(call.status == .answered)
        #expect(call.callerNumber == "79169990011")
        #expect(call.didNumber == "5551000")
        #expect(call.queueName == nil)
        #expect(call.answeredExtension == "101")
        #expect(finished.legExtensions == ["101", "102"])
        #expect(call.legs.map(\.disposition) == [.answered, .cancelled])
        // Both ring from the start.
        #expect(isClose(call.legs[1].startedAt.timeIntervalSince(call.legs[0].startedAt), to: 0, within: 0.1))
        // 101 answers at +2.01 s and hangs up at +7.01 s.
        #expect(isClose(call.waitSeconds, to: 2.01))
        #expect(isClose(call.talkSeconds, to: 5.0))
        #expect(call.hungUpFirst == .employee)
    }

    @Test func twoOverlappingInboundCalls() throws {
        let calls = try Replay.finishedCalls("S12")
        try #require(calls.count == 2)
        let a = try #require(calls.first { $0.record.callerNumber == "79160000001" }).record
        let b = try #require(calls.first { $0.record.callerNumber == "79160000002" }).record
        #expect(a.linkedid != b.linkedid)
        #expect(a.didNumber == "5551000")
        #expect(a.answeredExtension == "101")
        #expect(a.hungUpFirst == .client)
        // A: answered at +2.01 s, caller hangs up at +10.03 s. B: calls at +1.50 s, answered at +4.51 s, the agent
        // hangs up at +8.53 s.
        #expect(isClose(a.waitSeconds, to: 2.01))
        #expect(isClose(a.talkSeconds, to: 8.02))
        #expect(b.didNumber == "5551001")
        #expect(b.answeredExtension == "102")
        #expect(b.hungUpFirst == .employee)
        #expect(isClose(b.waitSeconds, to: 3.01))
        #expect(isClose(b.talkSeconds, to: 4.02))
        #expect(a.status == .answered && b.status == .answered)
    }
}
