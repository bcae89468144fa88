import CallTracking
import Foundation
import Testing

/// Calls placed by agents: extension to extension (S6) and out through the trunk (S7).
@Suite struct InternalOutboundScenarioTests {
    @Test func internalCallFrom101To102() throws {
        let finished = try #require(try Replay.finishedCalls("S6").first)
        let call = finished.record
        #expect(call.direction == .internal)
        #expect(call.status == .answered)
        #expect(call.callerNumber == "101")
        #expect(call.calledNumber == "102")
        #expect(call.didNumber == nil)
        #expect(call.answeredEmployeeID == 2)
        #expect(call.answeredExtension == "102")
        // 102 answers at +2.01 s, 101 hangs up at +7.03 s; both legs talk at once, which counts once.
        #expect(isClose(call.waitSeconds, to: 2.01))
        #expect(isClose(call.talkSeconds, to: 5.02))
        // On internal calls the caller and the callee hang up, not a client or an employee.
        #expect(call.hungUpFirst == .caller)
        #expect(finished.legExtensions == ["101", "102"])
        #expect(call.legs.map(\.disposition) == [.answered, .answered])
        #expect(call.recordingFile == nil)
        #expect(finished.decision == .none)
    }

    @Test func outboundCallShowsTheCompanyNumberAndDialsWithoutTheTrunk() throws {
        let finished = try #require(try Replay.finishedCalls("S7").first)
        let call = finished.record
        #expect(call.direction == .outbound)
        #expect(call.status == .answered)
        // The dialplan replaced 102's caller ID with the company number; the agent comes from the channel name.
        #expect(call.shownNumber == "74951234567")
        #expect(call.dialedNumber == "74951112233")
        #expect(call.calledNumber == "74951112233")
        #expect(call.clientNumber == "74951112233")
        #expect(call.callerNumber == "102")
        #expect(call.answeredEmployeeID == 2)
        #expect(call.answeredExtension == "102")
        #expect(finished.legExtensions == ["102"])
        // The far end answers at +3.00 s, 102 hangs up at +8.03 s.
        #expect(isClose(call.waitSeconds, to: 3.0))
        #expect(isClose(call.talkSeconds, to: 5.03))
        #expect(call.hungUpFirst == .employee)
        #expect(finished.decision == .close(number: "74951112233", at: try #require(call.answeredAt)))
    }
}
