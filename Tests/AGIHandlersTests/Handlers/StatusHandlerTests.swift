import PBXSimulator
import AGIHandlers
import Testing

@Suite struct StatusHandlerTests {
    private func play(_ script: String, channel: String, simulated: SimulatedChannel = SimulatedChannel()) async throws
        -> (AGISessionPlayer.Transcript, [(employeeID: Int64, isOnline: Bool)])
    {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-02-postcall")
        let store = InMemoryAnnotationStore()
        let transcript = try await ServerHarness.withServer(store: store) { _, port in
            try await AGISessionPlayer.play(
                port: port, environment: recorded.environment(script: script, channel: channel), channel: simulated)
        }
        return (transcript, await store.onlineChanges)
    }

    @Test func toggleTurnsAnOnlineAgentOffline() async throws {
        let (transcript, changes) = try await play("status?set=toggle", channel: "PJSIP/101-0000001a")
        #expect(changes.map(\.employeeID) == [1])
        #expect(changes.map(\.isOnline) == [false])
        #expect(transcript.commands.first == "ANSWER")
        #expect(transcript.channel.variables["OPERATOR_STATUS"] == "OFFLINE")
        #expect(transcript.channel.played == ["calljournal/en/you-are-offline"])
    }

    /// The status is saved before its prompt plays; a prompt Asterisk cannot open (answered `result=-1` with the
    /// channel still up) ends the session normally, after the probe that tells it from a hang-up.
    @Test func aMissingPromptDoesNotUndoTheStatus() async throws {
        var simulated = SimulatedChannel()
        simulated.missingSounds = ["calljournal/en/you-are-offline"]
        let (transcript, changes) = try await play("status?set=toggle", channel: "PJSIP/101-0000001a", simulated: simulated)
        #expect(changes.map(\.isOnline) == [false])
        #expect(transcript.channel.variables["OPERATOR_STATUS"] == "OFFLINE")
        #expect(transcript.commands.last?.hasPrefix("VERBOSE") == true)
        #expect(transcript.closedByServer)
    }

    @Test func onlineForAnOfflineAgentInUkrainian() async throws {
        let (transcript, changes) = try await play("status?set=online&lang=uk", channel: "PJSIP/104-000000ff")
        #expect(changes.map(\.employeeID) == [4])
        #expect(changes.map(\.isOnline) == [true])
        #expect(transcript.channel.played == ["calljournal/uk/you-are-online"])
    }

    @Test func unknownEndpointAndBadRequestChangeNothing() async throws {
        let (unknown, noChanges) = try await play("status?set=online", channel: "Local/101@from-agents-00000001;2")
        #expect(noChanges.isEmpty)
        #expect(unknown.channel.variables["OPERATOR_STATUS"] == "UNKNOWN")
        let (invalid, stillNone) = try await play("status?set=maybe", channel: "PJSIP/101-0000001a")
        #expect(stillNone.isEmpty)
        #expect(invalid.channel.variables["OPERATOR_STATUS"] == "INVALID")
    }

    @Test func endpointIsTakenFromTheChannelName() {
        #expect(ChannelEndpoint(channelName: "PJSIP/101-0000001a")?.endpoint == "101")
        #expect(ChannelEndpoint(channelName: "PJSIP/agent-7-0000001a")?.endpoint == "agent-7")
        #expect(ChannelEndpoint(channelName: "PJSIP/trunk-00000000")?.endpoint == "trunk")
        #expect(ChannelEndpoint(channelName: "Local/101@from-agents-00000001;2") == nil)
        #expect(ChannelEndpoint(channelName: "PJSIP/101") == nil)
        #expect(ChannelEndpoint(channelName: "PJSIP/1&2-0000001a") == nil)
    }
}
