import CallTracking
import Foundation
import Testing

/// The ways an office connects a call beyond a plain Dial (recordings S14–S23): mobiles through the trunk,
/// click-to-dial, blonde transfer, pickup, queue abandon, IVR, attended transfer to an outside number, park. Every
/// figure is the scenario's measured timeline (its `scenario.md`), within a second.
@Suite struct CallFlowScenarioTests {
    private func only(_ scenario: String) throws -> FinishedCall {
        let calls = try Replay.finishedCalls(scenario)
        try #require(calls.count == 1, "\(scenario): \(calls.map(\.record.linkedid))")
        return calls[0]
    }

    @Test func callAnsweredOnAMobileThroughTheTrunkIsAnswered() throws {
        let finished = try only("S14")
        let call = finished.record
        #expect(call.direction == .inbound)
        #expect(call.status == .answered)
        #expect(call.callerNumber == "79161002030")
        #expect(call.didNumber == "5551003")
        #expect(call.answeredExtension == "79001110202")
        #expect(call.answeredEmployeeID == nil)
        #expect(call.legs.map(\.externalNumber) == ["79001110202"])
        #expect(call.legs.map(\.employeeExtension) == [nil])
        #expect(call.legs[0].endedBy == .hangup)
        #expect(isClose(call.waitSeconds, to: 3.02))
        // The mobile stays 2 s in the post-call menu after the caller hangs up: not talk.
        #expect(isClose(call.talkSeconds, to: 6.02))
        #expect(call.hungUpFirst == .client)
        #expect(finished.decision == .close(number: "79161002030", at: try #require(call.answeredAt)))
    }

    @Test func aMobileOfAnEmployeeIsTheirLeg() throws {
        var directory = Replay.directory
        directory.employeesByPhone["79001110202"] = TrackedEmployee(id: 3, extensionNumber: "103")
        var replay = Replay(directory: directory)
        replay.feed(try Replay.events("S14"))
        let call = try #require(replay.finished.first).record
        #expect(call.answeredEmployeeID == 3)
        #expect(call.answeredExtension == "103")
        #expect(call.attributedEmployeeID == 3)
        #expect(call.legs.map(\.externalNumber) == ["79001110202"])
    }

    @Test func ringGroupOfAnExtensionAndAMobileAnsweredByTheMobile() throws {
        let call = try only("S15").record
        #expect(call.status == .answered)
        #expect(call.didNumber == "5551015")
        #expect(call.answeredExtension == "79001110303")
        #expect(call.legs.map(\.employeeExtension) == ["101", nil])
        #expect(call.legs.map(\.externalNumber) == [nil, "79001110303"])
        #expect(call.legs.map(\.disposition) == [.cancelled, .answered])
        #expect(isClose(call.waitSeconds, to: 3.01))
        #expect(isClose(call.talkSeconds, to: 5.05))
        // The mobile hung up: the company's side, not the caller.
        #expect(call.hungUpFirst == .employee)
    }

    @Test func clickToDialAnsweredByTheClient() throws {
        let finished = try only("S16")
        let call = finished.record
        #expect(call.direction == .outbound)
        #expect(call.status == .answered)
        #expect(call.callerNumber == "101")
        #expect(call.calledNumber == "79263334455")
        #expect(call.dialedNumber == "79263334455")
        #expect(call.shownNumber == "74951234567")
        #expect(call.clientNumber == "79263334455")
        #expect(call.answeredEmployeeID == 1)
        #expect(call.attributedEmployeeID == 1)
        #expect(call.didNumber == nil)
        // 101 picks up at +2.01 s and the client is dialled; the client answers at +5.07 s, hangs up at +11.02 s.
        #expect(isClose(call.legs[0].answeredAt?.timeIntervalSince(call.startedAt), to: 2.01))
        #expect(isClose(call.waitSeconds, to: 3.06))
        #expect(isClose(call.talkSeconds, to: 5.95))
        #expect(call.hungUpFirst == .client)
        #expect(finished.decision == .close(number: "79263334455", at: try #require(call.answeredAt)))
    }

    @Test func clickToDialToABusyClientIsBusy() throws {
        let finished = try only("S17")
        let call = finished.record
        #expect(call.direction == .outbound)
        #expect(call.status == .busy)
        #expect(call.callerNumber == "102")
        #expect(call.calledNumber == "79264445566")
        #expect(call.answeredAt == nil)
        #expect(call.talkSeconds == 0)
        // 102 did pick up to place the call.
        #expect(call.legs.map(\.disposition) == [.answered])
        #expect(call.attributedEmployeeID == 2)
        #expect(call.hungUpFirst == .system)
        #expect(finished.decision == .none)
    }

    @Test func blondeTransferIsItsOwnKindAndTheTargetLegIsOnTheCall() throws {
        let calls = try Replay.finishedCalls("S18")
        try #require(calls.count == 2)
        let call = try #require(calls.first { $0.record.direction == .inbound }).record
        let consultation = try #require(calls.first { $0.record.direction == .internal }).record
        #expect(call.status == .answered)
        #expect(call.answeredExtension == "101")
        #expect(call.legs.map(\.employeeExtension) == ["101", "103"])
        #expect(call.legs.map(\.endedBy) == [.blondeTransfer, .hangup])
        // 103 rang from the consultation INVITE (+6.44 s) until it answered (+11.51 s), ~5 s in all.
        let target = call.legs[1]
        #expect(isClose(target.answeredAt?.timeIntervalSince(target.startedAt), to: 5.07))
        #expect(isClose(target.talkSeconds, to: 5.0))
        // 101 held the caller from +6.13 s until the transfer at +8.48 s.
        #expect(isClose(call.legs[0].holdSeconds, to: 2.35))
        #expect(isClose(call.talkSeconds, to: 4.06 + 5.0))
        #expect(call.hungUpFirst == .client)
        // The consultation call is kept, marked, and carries no transfer of its own.
        #expect(consultation.consultationFor == call.linkedid)
        #expect(consultation.legs.allSatisfy { ![.blindTransfer, .attendedTransfer, .blondeTransfer].contains($0.endedBy) })
        #expect(calls.first { $0.record.direction == .internal }?.decision == CallbackDecision.none)
    }

    @Test func pickupIsAnsweredByWhoPickedUpWithoutAPhantomCall() throws {
        let call = try only("S19").record
        #expect(call.status == .answered)
        #expect(call.answeredExtension == "102")
        #expect(call.legs.map(\.employeeExtension) == ["101", "102"])
        #expect(call.legs[0].endedBy == .pickedUp)
        #expect(call.legs[0].answeredAt == nil)
        #expect(isClose(call.waitSeconds, to: 3.04))
        #expect(isClose(call.talkSeconds, to: 5.0))
        #expect(call.hungUpFirst == .client)
    }

    @Test func callerHangingUpInTheQueueIsAbandonedThere() throws {
        let finished = try only("S20")
        let call = finished.record
        #expect(call.status == .abandoned)
        #expect(call.queueName == "support")
        #expect(call.queuePosition == 1)
        #expect(isClose(call.waitSeconds, to: 8.03))
        #expect(call.talkSeconds == 0)
        #expect(call.legs.map(\.disposition) == [.cancelled, .cancelled])
        guard case .openOrJoin(let number, _, _) = finished.decision else {
            Issue.record("expected a callback task, got \(finished.decision)")
            return
        }
        #expect(number == "79037772020")
    }

    @Test func callThatOnlyReachedTheIVRIsKeptUnattributed() throws {
        let finished = try only("S21")
        let call = finished.record
        #expect(call.direction == .inbound)
        #expect(call.status == .abandoned)
        #expect(call.didNumber == "5551300")
        #expect(!call.reachedEmployee)
        #expect(call.legs.isEmpty)
        #expect(call.attributedEmployeeID == nil)
        #expect(isClose(call.waitSeconds, to: 4.5))
        #expect(call.hungUpFirst == .client)
        if case .openOrJoin = finished.decision {} else { Issue.record("callback_for_unattended defaults to true") }

        var replay = Replay(configuration: CallTrackerConfiguration(pbx: "lab", callbackForUnattended: false))
        replay.feed(try Replay.events("S21"))
        #expect(replay.finished.first?.decision == CallbackDecision.none)
    }

    @Test func attendedTransferToAnOutsideNumberGivesItsLeg() throws {
        let calls = try Replay.finishedCalls("S22")
        try #require(calls.count == 2)
        let call = try #require(calls.first { $0.record.direction == .inbound }).record
        let consultation = try #require(calls.first { $0.record.direction == .outbound }).record
        #expect(call.status == .answered)
        #expect(call.answeredExtension == "101")
        #expect(call.legs.map { $0.employeeExtension ?? $0.externalNumber } == ["101", "74957654321"])
        #expect(call.legs.map(\.endedBy) == [.attendedTransfer, .hangup])
        #expect(isClose(call.legs[1].talkSeconds, to: 5.02))
        #expect(call.hungUpFirst == .employee)
        #expect(consultation.consultationFor == call.linkedid)
        #expect(consultation.dialedNumber == "74957654321")
        #expect(consultation.status == .answered)
    }

    @Test func parkedAndRetrievedIsOneCallWithoutTheParkedTime() throws {
        let call = try only("S23").record
        #expect(call.status == .answered)
        #expect(call.answeredExtension == "101")
        #expect(call.legs.map(\.employeeExtension) == ["101", "102"])
        #expect(call.legs.map(\.endedBy) == [.parked, .hangup])
        let parkedAt = try #require(call.legs[0].endedAt), retrievedAt = try #require(call.legs[1].answeredAt)
        #expect(isClose(retrievedAt.timeIntervalSince(parkedAt), to: 7.6))
        #expect(isClose(call.legs[0].talkSeconds, to: 4.0))
        #expect(isClose(call.legs[1].talkSeconds, to: 5.0))
        #expect(isClose(call.talkSeconds, to: 9.0))
        #expect(call.hungUpFirst == .client)
    }

    /// Each recording gives its calls and no others: a pickup or a park retrieval dialled from a phone (`*8`, `701`)
    /// leaves no call of its own.
    @Test func featureCodesLeaveNoCallBehind() throws {
        for scenario in ["S19", "S23"] {
            let calls = try Replay.finishedCalls(scenario)
            #expect(calls.count == 1, "\(scenario)")
            #expect(calls.allSatisfy { $0.record.direction == .inbound }, "\(scenario)")
        }
    }
}
