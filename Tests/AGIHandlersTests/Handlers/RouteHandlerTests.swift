import PBXSimulator
import AGIHandlers
import Testing

@Suite struct RouteHandlerTests {
    static var routeSessions: [RecordedAGISession] {
        get throws { try RecordedAGISession.all().filter { $0.name.hasSuffix("route") } }
    }

    /// The lab stub's `SET VARIABLE ROUTE_DIAL` line in a recorded session.
    private func recordedDialCommand(_ session: RecordedAGISession) throws -> String {
        try #require(session.serverCommands.first { $0.hasPrefix("SET VARIABLE ROUTE_DIAL") })
    }

    /// What the lab stub set ROUTE_DIAL to in a recorded session.
    private func recordedDial(_ session: RecordedAGISession) throws -> String {
        let command = try #require(session.serverCommands.first { $0.hasPrefix("SET VARIABLE ROUTE_DIAL") })
        return AsteriskArgumentSplitter.split(command)[3]
    }

    @Test(arguments: try routeSessions)
    func recordedCallsRingWhomTheLabRang(_ recorded: RecordedAGISession) async throws {
        let expectedDial = try recordedDial(recorded)
        let transcript = try await ServerHarness.withServer { _, port in
            try await AGISessionPlayer.play(port: port, environment: recorded.environmentBytes, channel: SimulatedChannel())
        }
        #expect(transcript.channel.variables["ROUTE_DIAL"] == expectedDial)
        #expect(transcript.channel.variables["ROUTE_STATUS"] == "OK")
        #expect(transcript.channel.variables["ROUTE_EMPLOYEE_ID"]?.isEmpty == false)
        #expect(transcript.closedByServer)
        #expect(transcript.commands.allSatisfy { $0.hasPrefix("SET VARIABLE ") })
    }

    @Test(arguments: try routeSessions)
    func directoryWithoutSynchronousSnapshotRoutesTheSameThroughTheAsyncSession(_ recorded: RecordedAGISession) async throws {
        let planned = try await ServerHarness.withServer { _, port in
            try await AGISessionPlayer.play(port: port, environment: recorded.environmentBytes, channel: SimulatedChannel())
        }
        let viaTask = try await ServerHarness.withServer(directory: AsyncOnlyDirectory()) { _, port in
            try await AGISessionPlayer.play(port: port, environment: recorded.environmentBytes, channel: SimulatedChannel())
        }
        #expect(viaTask.commands == planned.commands)
        #expect(viaTask.channel.variables == planned.channel.variables)
        #expect(viaTask.closedByServer)
    }

    @Test func routeIsPlannedOnlyWhenTheDirectoryAnswersWithoutWaiting() throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-01-route")
        let environment = try environment(recorded.environmentBytes, callerID: "79161234567")
        let store = InMemoryAnnotationStore()
        let planned = try AGIScriptRouter.standard(directory: StaticDirectorySource(LabDirectory.snapshot), store: store)
            .plan(for: environment, logger: ServerHarness.quietLogger)
        guard case .commands(let commands) = planned else { Issue.record("route was not planned"); return }
        let lines = try commands.map { String(decoding: try $0.encoded(), as: UTF8.self) }
        #expect(lines.count == 4)
        #expect(lines.contains(try recordedDialCommand(recorded) + "\n"))
        let viaTask = try AGIScriptRouter.standard(directory: AsyncOnlyDirectory(), store: store)
            .plan(for: environment, logger: ServerHarness.quietLogger)
        guard case .session = viaTask else { Issue.record("an async-only directory was read on the event loop"); return }
    }

    @Test func secondRouteOnTheSameChannelClearsTheFirstAnswer() async throws {
        // S8: after the blind transfer, route runs again on the caller's channel, which still
        // holds ROUTE_DIAL from the first run. An unknown target must not ring the old one.
        let recorded = try RecordedAGISession(scenario: "S8", name: "agi-02-route")
        let channel = SimulatedChannel(variables: ["ROUTE_DIAL": "PJSIP/101", "ROUTE_EMPLOYEE_ID": "1"])
        let transcript = try await ServerHarness.withServer { _, port in
            try await AGISessionPlayer.play(
                port: port, environment: recorded.environment(script: "route?ext=199&cid=79031234500"), channel: channel)
        }
        #expect(transcript.channel.variables["ROUTE_STATUS"] == "UNKNOWN")
        #expect(transcript.channel.variables["ROUTE_DIAL"] == "")
        #expect(transcript.channel.variables["ROUTE_EMPLOYEE_ID"] == "")
    }

    @Test func offlineEmployeeIsNotRung() async throws {
        let recorded = try RecordedAGISession(scenario: "S6", name: "agi-01-route")
        let transcript = try await ServerHarness.withServer { _, port in
            try await AGISessionPlayer.play(
                port: port, environment: recorded.environment(script: "route?ext=104&cid=101"), channel: SimulatedChannel())
        }
        #expect(transcript.channel.variables["ROUTE_STATUS"] == "OFFLINE")
        #expect(transcript.channel.variables["ROUTE_DIAL"] == "")
        #expect(transcript.channel.variables["ROUTE_EMPLOYEE_NAME"] == "Agent 104")
    }

    @Test(arguments: ["route?did=5551000%0A", "route?did=abc", "route?ext=10%221", "route?ext=", "route?ext=1234567890123456789012"])
    func invalidInputsRouteNowhere(_ script: String) async throws {
        let recorded = try RecordedAGISession(scenario: "S6", name: "agi-01-route")
        let transcript = try await ServerHarness.withServer { _, port in
            try await AGISessionPlayer.play(port: port, environment: recorded.environment(script: script), channel: SimulatedChannel())
        }
        #expect(transcript.channel.variables["ROUTE_STATUS"] == "UNKNOWN")
        #expect(transcript.channel.variables["ROUTE_DIAL"] == "")
    }

    @Test func unknownClientOnADIDIsLeftToTheDialplan() throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-01-route")
        let environment = try environment(recorded.environment(script: "route?did=5551000"), callerID: "79990001122")
        let decision = RouteHandler(directory: StaticDirectorySource(LabDirectory.snapshot))
            .routeCall(environment: environment, snapshot: LabDirectory.snapshot)
        #expect(decision.status == .unknown)
        #expect(decision.employee == nil)
    }

    @Test func dialStringJoinsEveryEndpointWithConfiguredTemplates() {
        let employee = DirectoryEmployee(
            id: 9, fullName: "Sasha", extensionNumber: "109", isOnline: true, sipAccounts: ["sasha123", "bad&acct"],
            phoneNumbers: ["0501234567", "+44 20 7946 0000", "call me"])
        #expect(RouteDialTemplates().dialString(for: employee) == "PJSIP/sasha123&PJSIP/0501234567@trunk&PJSIP/+442079460000@trunk")
        let custom = RouteDialTemplates(sipTemplate: "SIP/{account}", phoneTemplate: "PJSIP/{number}@provider2")
        #expect(custom.dialString(for: employee) == "SIP/sasha123&PJSIP/0501234567@provider2&PJSIP/+442079460000@provider2")
        #expect(RouteDialTemplates(sipTemplate: "PJSIP/x", phoneTemplate: "P/{number},t").problems.count == 2)
    }

    private func environment(_ bytes: [UInt8], callerID: String) throws -> AGIEnvironment {
        var decoder = AGIEnvironmentDecoder()
        var framer = AGILineFramer(maximumLineLength: 8192)
        framer.append(bytes)
        while let line = try framer.nextLine() {
            let replaced = line.hasPrefix("agi_callerid: ") ? "agi_callerid: \(callerID)" : line
            if let environment = try decoder.lineReceived(replaced) { return environment }
        }
        throw AGIProtocolError.missingScript
    }
}

/// A directory that can only be read asynchronously, as a source backed by an actor would be.
private struct AsyncOnlyDirectory: DirectorySource {
    func current() async -> DirectorySnapshot {
        await Task.yield()
        return LabDirectory.snapshot
    }
}
