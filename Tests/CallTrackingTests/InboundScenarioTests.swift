import CallTracking
import Foundation
import Testing

/// Inbound calls through DID 5551000 routed to one agent (scenarios S1–S5, S13). Expected facts and timeline figures
/// come from each scenario's `scenario.md`.
@Suite struct InboundScenarioTests {
    @Test func answeredCallWhereTheCallerHangsUpFirst() throws {
        let calls = try Replay.finishedCalls("S1")
        try #require(calls.count == 1)
        let call = calls[0].record
        #expect(call.direction == .inbound)
        #expect(call.status == .answered)
        #expect(call.callerNumber == "79161234567")
        #expect(call.didNumber == "5551000")
        #expect(call.calledNumber == "5551000")
        #expect(call.answeredEmployeeID == 1)
        #expect(call.answeredExtension == "101")
        // 101 answers at +3.01 s, the caller hangs up at +9.03 s.
        #expect(isClose(call.waitSeconds, to: 3.01))
        #expect(isClose(call.talkSeconds, to: 6.02))
        #expect(call.hungUpFirst == .client)
        #expect(call.hangupCause == 16)
        #expect(call.recordingFile == "/var/lib/asterisk-lab/recordings/20261122-144647-1795358807.0.wav")
        #expect(call.reachedEmployee)
        #expect(!call.isTarget)
        #expect(call.legs.count == 1)
        #expect(call.legs.first?.disposition == .answered)
        #expect(call.legs.first?.endedBy == .hangup)
        #expect(calls[0].decision == .close(number: "79161234567", at: try #require(call.answeredAt)))
    }

    /// The agent's channel goes on into `[postcall]` for ~6 s after the caller left (Dial `F()`); that is neither
    /// talk nor part of the call's duration.
    @Test func postCallMenuAddsNoTalkAndNoSecondAnswer() throws {
        for scenario in ["S1", "S13"] {
            let call = try #require(try Replay.finishedCalls(scenario).first).record
            let leg = try #require(call.legs.first)
            #expect(call.legs.count == 1)
            #expect(leg.talkSeconds == call.talkSeconds)
            let ended = try #require(call.endedAt)
            // The call ends when the caller leaves (the same millisecond as the leg), seconds before the agent's
            // channel is gone.
            #expect(isClose(ended.timeIntervalSince(try #require(leg.endedAt)), to: 0, within: 0.01))
            #expect(call.lastEventAt.timeIntervalSince(ended) > 3)
        }
    }

    @Test func answeredCallWhereTheAgentHangsUpFirst() throws {
        let call = try #require(try Replay.finishedCalls("S2").first).record
        #expect(call.direction == .inbound)
        #expect(call.status == .answered)
        #expect(call.callerNumber == "79035556677")
        #expect(call.didNumber == "5551000")
        #expect(call.answeredExtension == "101")
        #expect(isClose(call.waitSeconds, to: 2.01))
        #expect(isClose(call.talkSeconds, to: 5.02))
        #expect(call.hungUpFirst == .employee)
    }

    @Test func ringTimeoutIsMissedAndOpensACallback() throws {
        let finished = try #require(try Replay.finishedCalls("S3").first)
        let call = finished.record
        #expect(call.status == .missed)
        #expect(call.callerNumber == "79167654321")
        #expect(call.didNumber == "5551000")
        #expect(call.answeredAt == nil)
        #expect(call.answeredExtension == nil)
        #expect(call.reachedEmployee)
        // 101 rings until the Dial timeout at +20.03 s.
        #expect(isClose(call.waitSeconds, to: 20.03))
        #expect(call.talkSeconds == 0)
        #expect(call.hungUpFirst == .system)
        #expect(call.legs.map(\.disposition) == [.noAnswer])
        let ended = try #require(call.endedAt)
        #expect(finished.decision == .openOrJoin(number: "79167654321", missedAt: ended, deadline: ended + 4 * 3600))
    }

    @Test func rejectedCallIsBusyAndOpensACallback() throws {
        let finished = try #require(try Replay.finishedCalls("S4").first)
        let call = finished.record
        #expect(call.status == .busy)
        #expect(call.callerNumber == "79261112233")
        #expect(isClose(call.waitSeconds, to: 1.51))
        #expect(call.talkSeconds == 0)
        #expect(call.hangupCause == 17)
        #expect(call.hangupCauseText == "User busy")
        #expect(call.legs.map(\.disposition) == [.busy])
        guard case .openOrJoin(let number, _, _) = finished.decision else {
            Issue.record("a busy inbound call must open a callback task, got \(finished.decision)")
            return
        }
        #expect(number == "79261112233")
    }

    @Test func callerGivingUpWhileRingingIsAbandoned() throws {
        let finished = try #require(try Replay.finishedCalls("S5").first)
        let call = finished.record
        #expect(call.status == .abandoned)
        #expect(call.callerNumber == "79854443322")
        #expect(isClose(call.waitSeconds, to: 4.01))
        #expect(call.talkSeconds == 0)
        #expect(call.hungUpFirst == .client)
        #expect(call.legs.map(\.disposition) == [.cancelled])
        guard case .openOrJoin(let number, _, _) = finished.decision else {
            Issue.record("an abandoned inbound call must open a callback task, got \(finished.decision)")
            return
        }
        #expect(number == "79854443322")
    }

    @Test func agentHangingUpInThePostCallMenuDoesNotChangeWhoHungUpFirst() throws {
        let call = try #require(try Replay.finishedCalls("S13").first).record
        #expect(call.status == .answered)
        #expect(call.callerNumber == "79267778800")
        #expect(call.didNumber == "5551000")
        #expect(call.answeredExtension == "101")
        #expect(isClose(call.waitSeconds, to: 2.01))
        #expect(isClose(call.talkSeconds, to: 4.02))
        #expect(call.hungUpFirst == .client)
    }

    @Test func everyAnsweredInboundCallNamesItsRecording() throws {
        for scenario in ["S1", "S2", "S8", "S9", "S10", "S11", "S13", "S14", "S19", "S23"] {
            let call = try #require(try Replay.finishedCalls(scenario).first { $0.record.direction == .inbound }).record
            #expect(call.recordingFile?.hasSuffix("-\(call.linkedid).wav") == true, "\(scenario)")
        }
    }

    /// MixMonitor leaves a 44-byte header-only file for a call nobody talked on: no recording is named for it.
    @Test func unansweredCallsHaveNoRecording() throws {
        for scenario in ["S3", "S4", "S5", "S20"] {
            let call = try #require(try Replay.finishedCalls(scenario).first).record
            #expect(call.status != .answered, "\(scenario)")
            #expect(call.recordingFile == nil, "\(scenario)")
        }
    }
}
