import AMIModel
import CallTracking
import Foundation
import Testing

/// How the directory and the configuration shape the records.
@Suite struct DirectoryAndFlagsTests {
    private func finished(
        _ events: [AMIMessage], configuration: CallTrackerConfiguration = Replay.configuration,
        directory: EndpointDirectory = Replay.directory
    ) throws -> FinishedCall {
        var replay = Replay(configuration: configuration, directory: directory)
        replay.feed(events)
        return try #require(replay.finished.first)
    }

    @Test func answeredCallWithEnoughTalkIsATarget() throws {
        let events = try Replay.events("S1")
        // S1 talks ~6 s: below the default 30 s, above 5 s.
        #expect(try !finished(events).record.isTarget)
        #expect(try finished(events, configuration: CallTrackerConfiguration(pbx: "lab", targetMinTalkSeconds: 5)).record.isTarget)
        // A missed call is never a target.
        #expect(try !finished(try Replay.events("S3"), configuration: CallTrackerConfiguration(pbx: "lab", targetMinTalkSeconds: 0)).record.isTarget)
    }

    @Test func callbackDeadlineFollowsTheConfiguration() throws {
        let call = try finished(try Replay.events("S5"), configuration: CallTrackerConfiguration(pbx: "lab", callbackDeadlineSeconds: 600))
        guard case .openOrJoin(_, let missedAt, let deadline) = call.decision else {
            Issue.record("expected a callback task, got \(call.decision)")
            return
        }
        #expect(deadline.timeIntervalSince(missedAt) == 600)
        #expect(call.record.pbx == "lab")
    }

    @Test func employeeFlaggedIgnoreInJournalIsNotAttributed() throws {
        var directory = Replay.directory
        directory.employeesByEndpoint["101"] = TrackedEmployee(id: 1, extensionNumber: "101", ignoreInJournal: true)
        let call = try finished(try Replay.events("S1"), directory: directory).record
        #expect(call.status == .answered)
        #expect(call.answeredEmployeeID == nil)
        #expect(call.legs.first?.employeeID == nil)
        #expect(call.legs.first?.employeeExtension == nil)
        #expect(call.legs.first?.endpoint == "101")
    }

    /// `calljournal replay --dry-run` has no database: endpoints that are not trunks count as employees named after
    /// themselves.
    @Test func unknownEndpointsCountAsEmployeesInReplayMode() throws {
        let directory = EndpointDirectory(trunkEndpoints: ["trunk"], unknownEndpointsAreEmployees: true)
        let call = try finished(try Replay.events("S11"), directory: directory).record
        #expect(call.legs.map(\.employeeExtension) == ["101", "102"])
        #expect(call.legs.allSatisfy { $0.employeeID == nil })
        #expect(call.answeredExtension == "101")

        let strict = try finished(try Replay.events("S11"), directory: EndpointDirectory(trunkEndpoints: ["trunk"])).record
        #expect(strict.legs.isEmpty)
        #expect(!strict.reachedEmployee)
    }

    @Test func directoryUpdateAppliesToChannelsSeenAfterIt() throws {
        let events = try Replay.events("S1")
        var replay = Replay(directory: EndpointDirectory(trunkEndpoints: ["trunk"]))
        replay.tracker.updateDirectory(Replay.directory)
        replay.feed(events)
        #expect(replay.finished.first?.record.answeredEmployeeID == 1)
    }

    /// S5 without anything about 101's channel: the caller waited in the dialplan and hung up, no employee rang.
    @Test func callThatNeverRangAnEmployeeIsKeptAndMarked() throws {
        let events = try Replay.events("S5").filter { event in
            !event.fields.contains { $0.value.contains("PJSIP/101") || $0.value == "1795358873.9" }
        }
        let call = try finished(events)
        #expect(!call.record.reachedEmployee)
        #expect(call.record.legs.isEmpty)
        #expect(call.record.status == .abandoned)
        #expect(call.record.callerNumber == "79854443322")
        guard case .openOrJoin(let number, _, _) = call.decision else {
            Issue.record("a caller who gave up must get a callback task, got \(call.decision)")
            return
        }
        #expect(number == "79854443322")
    }
}
