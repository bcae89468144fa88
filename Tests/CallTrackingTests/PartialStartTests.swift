import AMIModel
import CallTracking
import Foundation
import Testing
import TestFixtures

/// A daemon started during calls, or a replayed capture that starts mid-call: every recording with its first 10 %,
/// 30 % and 50 % of events cut off. Nothing may be invented or turned into something else; what was not seen is
/// `unknown` or nil.
@Suite struct PartialStartTests {
    struct Cut: Sendable, CustomTestStringConvertible {
        var scenario: String
        var percent: Int
        var testDescription: String { "\(scenario) without its first \(percent) %" }
    }

    static let cuts: [Cut] = Fixtures.scenarios.flatMap { scenario in
        [10, 30, 50].map { Cut(scenario: String(scenario.prefix { $0 != "-" }), percent: $0) }
    }

    @Test(arguments: cuts)
    func aCaptureStartingMidCallInventsNothing(_ cut: Cut) throws {
        let events = try Replay.events(cut.scenario)
        let full = Dictionary(uniqueKeysWithValues: try Replay.finishedCalls(cut.scenario).map { ($0.record.linkedid, $0.record) })
        var replay = Replay()
        replay.feed(events.dropFirst(events.count * cut.percent / 100))

        #expect(replay.tracker.callsInProgress == 0, "nothing is left in progress")
        #expect(replay.tracker.channelsInProgress == 0)
        for partial in replay.finished.map(\.record) {
            guard let whole = full[partial.linkedid] else {
                Issue.record("a call the full recording does not have: \(partial.linkedid)")
                continue
            }
            #expect(partial.status == whole.status || partial.status == .unknown,
                    "\(partial.linkedid): \(whole.status) became \(partial.status)")
            #expect(partial.direction == whole.direction, "\(partial.linkedid)")
            if partial.status == .unknown {
                #expect(partial.seenInPart)
                #expect(partial.waitSeconds == nil && partial.talkSeconds == nil)
            }
            if partial.seenInPart { #expect(partial.waitSeconds == nil, "the start was not seen") }
            if let talk = partial.talkSeconds, let wholeTalk = whole.talkSeconds {
                #expect(talk <= wholeTalk + 0.001, "\(partial.linkedid): talk cannot grow by seeing less")
            }
        }
    }

    /// The tracker's view of S8 from the middle of the conversation with 101: answered, seen in part.
    @Test func aCallFirstSeenInABridgeIsAnswered() throws {
        let events = try Replay.events("S8")
        let from = try #require(events.firstIndex { $0.eventName == "Hold" || $0.eventName == "BlindTransfer" })
        var replay = Replay()
        replay.feed(events[from...])
        let call = try #require(replay.finished.first).record
        #expect(call.seenInPart)
        #expect(call.status == .answered)
    }
}
