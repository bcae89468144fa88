import CallTracking
import Foundation
import Testing

/// Transfers: blind (S8, SIP REFER) and attended (S9, REFER with Replaces after a consultation call).
@Suite struct TransferScenarioTests {
    @Test func blindTransferGivesTwoLegs() throws {
        let calls = try Replay.finishedCalls("S8")
        try #require(calls.count == 1)
        let call = calls[0].record
        #expect(call.direction == .inbound)
        #expect(call.status == .answered)
        #expect(call.callerNumber == "79031234500")
        #expect(call.didNumber == "5551000")
        #expect(call.answeredExtension == "101")
        #expect(calls[0].legExtensions == ["101", "102"])
        let first = call.legs[0], second = call.legs[1]
        #expect(first.endedBy == .blindTransfer)
        #expect(second.endedBy == .hangup)
        #expect(second.disposition == .answered)
        // 101 answers at +2.01 s and transfers at +6.03 s; 102 rings from +6.03 s, answers at +8.03 s; the caller
        // hangs up at +13.03 s.
        #expect(isClose(call.waitSeconds, to: 2.01))
        #expect(isClose(first.talkSeconds, to: 4.02))
        #expect(isClose(second.answeredAt?.timeIntervalSince(second.startedAt), to: 2.0))
        #expect(isClose(second.talkSeconds, to: 5.0))
        #expect(isClose(call.talkSeconds, to: 9.02))
        #expect(call.hungUpFirst == .client)
    }

    @Test func attendedTransferMovesTheTargetIntoTheCallersCall() throws {
        let calls = try Replay.finishedCalls("S9")
        try #require(calls.count == 2)
        let consultation = try #require(calls.first { $0.record.direction == .internal })
        let call = try #require(calls.first { $0.record.direction == .inbound }).record

        #expect(call.status == .answered)
        #expect(call.callerNumber == "79037778899")
        #expect(call.didNumber == "5551000")
        #expect(call.answeredExtension == "101")
        #expect(call.legs.map(\.employeeExtension) == ["101", "103"])
        #expect(call.legs.map(\.endedBy) == [.attendedTransfer, .hangup])
        #expect(call.consultationFor == nil)
        // 101 held the caller from +6.03 s (Hold) until the transfer at +11.36 s: not talk.
        #expect(isClose(call.legs[0].holdSeconds, to: 5.33))
        #expect(isClose(call.holdSeconds, to: 5.33))
        #expect(isClose(call.legs[0].talkSeconds, to: 4.02))
        #expect(isClose(call.talkSeconds, to: 9.02))
        // The caller talks to 103 from the transfer at +11.36 s until 103 hangs up at +16.36 s.
        #expect(isClose(call.legs[1].talkSeconds, to: 5.0))
        #expect(call.hungUpFirst == .employee)
        #expect(call.legs[1].uniqueid == "1795358934.20")

        // The consultation 101 -> 103 is an internal call of its own: 103 answers at +8.33 s, talk until +11.36 s.
        let consult = consultation.record
        #expect(consult.linkedid == "1795358934.19")
        #expect(consult.status == .answered)
        #expect(consult.callerNumber == "101")
        #expect(consult.calledNumber == "103")
        #expect(consult.answeredExtension == "103")
        #expect(consultation.legExtensions == ["101", "103"])
        // The transfer is recorded once, on the transferred call: the consultation's legs simply end, 103's by
        // moving to the caller's call.
        #expect(consult.consultationFor == "1795358928.17")
        #expect(consult.legs.map(\.endedBy) == [.hangup, .moved])
        #expect(isClose(consult.waitSeconds, to: 2.0))
        #expect(isClose(consult.talkSeconds, to: 3.03))
        #expect(consultation.decision == .none)
    }
}
