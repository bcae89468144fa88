import PBXSimulator
import AGIHandlers
import Testing

@Suite struct PostCallHandlerTests {
    /// The recorded postcall session with the channel as Asterisk had it: its linkedid (from
    /// the AGI URL Asterisk built from `${CHANNEL(linkedid)}`), the transfer variables the AMI
    /// stream shows on that channel, and the digits the agent typed.
    private func recordedChannel(_ recorded: RecordedAGISession, death: SimulatedChannel.Death = .never) throws
        -> SimulatedChannel
    {
        let environment = String(decoding: recorded.environmentBytes, as: UTF8.self)
        let linkedid = try #require(environment.split(separator: "linkedid=").last?.prefix { $0 != "&" })
        let channelName = try #require(environment.split(separator: "\n").first { $0.hasPrefix("agi_channel: ") }?.dropFirst(13))
        var variables = ["CHANNEL(linkedid)": String(linkedid)]
        for name in ["BLINDTRANSFER", "ATTENDEDTRANSFER"] {
            if let value = try recorded.amiVariable(name, onChannel: String(channelName)) { variables[name] = value }
        }
        return SimulatedChannel(variables: variables, digits: recorded.getDataResults, death: death)
    }

    /// The menu these tests were written for: 3-digit codes, values up to 9 digits, 6 s per key.
    private static let menu = PostCallHandler.Configuration(categoryMaxDigits: 3, valueMaxDigits: 9, digitTimeout: .seconds(6))

    private func play(
        _ recorded: RecordedAGISession, channel: SimulatedChannel, environment: [UInt8]? = nil,
        store: InMemoryAnnotationStore = InMemoryAnnotationStore()
    ) async throws -> (AGISessionPlayer.Transcript, [PostCallResult], AGIServerMetricsSnapshot) {
        let router = AGIScriptRouter.standard(directory: StaticDirectorySource(LabDirectory.snapshot), store: store, postCall: Self.menu)
        let (transcript, metrics) = try await ServerHarness.withServer(store: store, router: router) { server, port in
            let transcript = try await AGISessionPlayer.play(
                port: port, environment: environment ?? recorded.environmentBytes, channel: channel)
            return (transcript, try await ServerHarness.settledMetrics(server))
        }
        return (transcript, await store.postCallResults, metrics)
    }

    @Test func s1AgentKeysCategory2Value500() async throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-02-postcall")
        #expect(recorded.getDataResults == ["2", "500"])
        let (transcript, saved, metrics) = try await play(recorded, channel: try recordedChannel(recorded))
        #expect(saved == [PostCallResult(linkedid: "1795358807.0", uniqueid: "1795358807.1", employeeID: 1, categoryID: 12, value: 500)])
        #expect(transcript.channel.variables["POSTCALL_STATUS"] == "SAVED")
        #expect(transcript.channel.variables["POSTCALL_CATEGORY"] == "2")
        #expect(transcript.channel.variables["POSTCALL_VALUE"] == "500")
        #expect(transcript.channel.played == ["calljournal/en/enter-category", "calljournal/en/enter-value", "calljournal/en/saved"])
        #expect(metrics.failures.isEmpty)
        #expect(metrics.sessionsByScript["postcall"] == 1)
    }

    @Test func s12FirstCallKeysCategory1Value250() async throws {
        let recorded = try RecordedAGISession(scenario: "S12", name: "agi-03-postcall")
        let (_, saved, _) = try await play(recorded, channel: try recordedChannel(recorded))
        #expect(saved.map(\.categoryID) == [11])
        #expect(saved.map(\.value) == [250])
        #expect(saved.map(\.linkedid) == ["1795358976.27"])
    }

    @Test func s13HangupWhileTypingTheValueSavesNothing() async throws {
        let recorded = try RecordedAGISession(scenario: "S13", name: "agi-02-postcall")
        #expect(recorded.getDataResults == ["3", "-1"])
        let (transcript, saved, metrics) = try await play(recorded, channel: try recordedChannel(recorded))
        #expect(saved.isEmpty)
        #expect(transcript.channel.variables["POSTCALL_STATUS"] == nil)
        #expect(transcript.closedByServer)
        #expect(metrics.failures.isEmpty, "a hangup is the ordinary end of a menu, not an error")
    }

    @Test func s8BlindTransfererChannelIsNotRecorded() async throws {
        let recorded = try RecordedAGISession(scenario: "S8", name: "agi-03-postcall")
        let channel = try recordedChannel(recorded, death: .atFirstChannelCommand)
        #expect(channel.variables["BLINDTRANSFER"] == "PJSIP/trunk-0000000e")
        let (transcript, saved, _) = try await play(recorded, channel: channel)
        #expect(saved.isEmpty)
        #expect(transcript.channel.variables["POSTCALL_STATUS"] == "SKIPPED")
        #expect(transcript.channel.played.isEmpty)
    }

    @Test func s9AttendedTransfererChannelIsNotRecorded() async throws {
        let recorded = try RecordedAGISession(scenario: "S9", name: "agi-03-postcall")
        let channel = try recordedChannel(recorded, death: .atStart)
        #expect(channel.variables["ATTENDEDTRANSFER"] == "PJSIP/trunk-00000011")
        let (transcript, saved, _) = try await play(recorded, channel: channel)
        #expect(saved.isEmpty)
        #expect(transcript.channel.variables["POSTCALL_STATUS"] == "SKIPPED")
    }

    @Test(arguments: [SimulatedChannel.Death.atStart, .atFirstChannelCommand])
    func dyingChannelWithoutTransferMarksIsStillNotRecorded(_ death: SimulatedChannel.Death) async throws {
        let recorded = try RecordedAGISession(scenario: "S8", name: "agi-03-postcall")
        var channel = try recordedChannel(recorded, death: death)
        channel.variables["BLINDTRANSFER"] = nil
        channel.digits = ["2", "500"]
        let (transcript, saved, _) = try await play(recorded, channel: channel)
        #expect(saved.isEmpty)
        #expect(transcript.closedByServer)
    }

    @Test func unknownCodeIsAskedAgainTwiceThenInvalid() async throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-02-postcall")
        var channel = try recordedChannel(recorded)
        channel.digits = ["9", "77", "0"]
        let (transcript, saved, _) = try await play(recorded, channel: channel)
        #expect(saved.isEmpty)
        #expect(transcript.channel.variables["POSTCALL_STATUS"] == "INVALID")
        #expect(
            transcript.channel.played.map { $0.split(separator: "/").last.map(String.init) ?? "" } == [
                "enter-category", "invalid-code", "enter-category", "invalid-code", "enter-category",
            ])
    }

    @Test func secondTryWithAValidCodeIsSaved() async throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-02-postcall")
        var channel = try recordedChannel(recorded)
        channel.digits = ["9", "3", ""]
        let (transcript, saved, _) = try await play(recorded, channel: channel)
        #expect(saved.map(\.categoryID) == [13])
        #expect(saved.map(\.value) == [nil], "no value typed: the value is not set")
        #expect(transcript.channel.variables["POSTCALL_VALUE"] == "")
    }

    /// Keys other than digits never pass for a code: `1A` is not category 1.
    @Test(arguments: ["1A", "1*", "*1"])
    func aCodeWithOtherKeysIsInvalid(_ typed: String) async throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-02-postcall")
        var channel = try recordedChannel(recorded)
        channel.digits = [typed, typed, typed]
        let (transcript, saved, _) = try await play(recorded, channel: channel)
        #expect(saved.isEmpty)
        #expect(transcript.channel.variables["POSTCALL_STATUS"] == "INVALID")
    }

    /// `1*5` is not 15, and `50` cut short by a pause (Asterisk's `(timeout)`) is not a value confirmed with `#`:
    /// both are asked again, and the value typed properly the next time is saved.
    @Test(arguments: ["1*5", "50 (timeout)", "5B"])
    func aValueNotConfirmedOrWithOtherKeysIsAskedAgain(_ typed: String) async throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-02-postcall")
        var channel = try recordedChannel(recorded)
        channel.digits = ["2", typed, "500"]
        let (transcript, saved, _) = try await play(recorded, channel: channel)
        #expect(saved.map(\.value) == [500])
        #expect(transcript.channel.variables["POSTCALL_STATUS"] == "SAVED")
        #expect(
            transcript.channel.played.map { $0.split(separator: "/").last.map(String.init) ?? "" } == [
                "enter-category", "enter-value", "enter-value", "saved",
            ])
    }

    @Test func aValueInvalidEveryTimeEndsInvalidAndSavesNothing() async throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-02-postcall")
        var channel = try recordedChannel(recorded)
        channel.digits = ["2", "1*", "1*", "1*"]
        let (transcript, saved, _) = try await play(recorded, channel: channel)
        #expect(saved.isEmpty)
        #expect(transcript.channel.variables["POSTCALL_STATUS"] == "INVALID")
    }

    /// Typing the most digits allowed ends input without `#`; that value is complete.
    @Test func aValueOfTheFullLengthNeedsNoHash() async throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-02-postcall")
        var channel = try recordedChannel(recorded)
        channel.digits = ["2", "123456789"]
        let (_, saved, _) = try await play(recorded, channel: channel)
        #expect(saved.map(\.value) == [123_456_789])
    }

    /// Asterisk answers `result=-1` both when the channel hung up and when it cannot open a prompt. With the sounds
    /// not installed the channel lives on: no `HANGUP` follows the probe, so the menu reports FAILED and counts a
    /// failure instead of passing for a hang-up.
    @Test(arguments: ["calljournal/en/enter-category", "calljournal/en/enter-value"])
    func aPromptThatCannotBePlayedOnALiveChannelIsAFailureNotAHangup(_ missing: String) async throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-02-postcall")
        var channel = try recordedChannel(recorded)
        channel.missingSounds = [missing]
        let (transcript, saved, metrics) = try await play(recorded, channel: channel)
        #expect(saved.isEmpty)
        #expect(transcript.channel.variables["POSTCALL_STATUS"] == "FAILED")
        #expect(metrics.failures["handler"] == 1)
        #expect(transcript.commands.contains { $0.hasPrefix("VERBOSE") }, "the probe that tells a hang-up from a failure")
        #expect(transcript.closedByServer)
    }

    @Test func nothingTypedIsSkipped() async throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-02-postcall")
        var channel = try recordedChannel(recorded)
        channel.digits = []
        let (transcript, saved, _) = try await play(recorded, channel: channel)
        #expect(saved.isEmpty)
        #expect(transcript.channel.variables["POSTCALL_STATUS"] == "SKIPPED")
    }

    @Test(arguments: [
        ("postcall?ask=category,value&lang=ru", "en", "ru"), ("postcall?lang=de", "en", "en"), ("postcall", "uk", "uk"),
        ("postcall?lang=../../etc", "ru_RU", "ru"),
    ])
    func promptLanguage(_ script: String, _ channelLanguage: String, _ expected: String) async throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-02-postcall")
        let environment = recorded.environment(script: script, language: channelLanguage)
        let (transcript, _, _) = try await play(recorded, channel: try recordedChannel(recorded), environment: environment)
        #expect(transcript.channel.played.first == "calljournal/\(expected)/enter-category")
    }

    @Test func valueOnlyMenuAndConfiguredLength() async throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-02-postcall")
        var channel = try recordedChannel(recorded)
        channel.digits = ["123456789"]
        let environment = recorded.environment(script: "postcall?ask=value")
        let (transcript, saved, _) = try await play(recorded, channel: channel, environment: environment)
        #expect(saved.map(\.value) == [123_456_789])
        #expect(saved.map(\.categoryID) == [nil])
        #expect(transcript.commands.contains { $0.hasPrefix("GET DATA \"calljournal/en/enter-value\" 6000 9") })
    }

    @Test func storeFailureIsReportedToTheDialplanAndCounted() async throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-02-postcall")
        let store = InMemoryAnnotationStore()
        await store.failEverySave()
        let (transcript, _, metrics) = try await play(recorded, channel: try recordedChannel(recorded), store: store)
        #expect(transcript.channel.variables["POSTCALL_STATUS"] == "FAILED")
        #expect(metrics.failures["handler"] == 1)
    }

    @Test func channelNobodyOwnsIsSkipped() async throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-02-postcall")
        let environment = recorded.environment(channel: "PJSIP/999-00000001")
        let (transcript, saved, _) = try await play(recorded, channel: try recordedChannel(recorded), environment: environment)
        #expect(saved.isEmpty)
        #expect(transcript.channel.variables["POSTCALL_STATUS"] == "SKIPPED")
        #expect(transcript.commands.contains { $0.hasPrefix("VERBOSE") && $0.contains("PJSIP/999-00000001") })
    }
}
