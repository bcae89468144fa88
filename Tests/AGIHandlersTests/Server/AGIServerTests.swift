import PBXSimulator
import AGIHandlers
import NIOCore
import NIOPosix
import Synchronization
import Testing

@Suite struct AGIServerTests {
    /// Sends raw bytes and collects what the server sends until it closes.
    private func exchange(port: Int, sending bytes: [UInt8]) async throws -> [UInt8] {
        let connection = try await AGISessionPlayer.connect(port: port)
        return try await connection.executeThenClose { inbound, outbound in
            try? await outbound.write(ByteBuffer(bytes: bytes))
            var reader = LineReader(inbound)
            while try await reader.nextLine() != nil {}
            return reader.received
        }
    }

    @Test func unknownScriptGetsAClearVerboseAndTheSessionEnds() async throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-01-route")
        let (transcript, metrics) = try await ServerHarness.withServer { server, port in
            let transcript = try await AGISessionPlayer.play(
                port: port, environment: recorded.environment(script: "rout?did=5551000"), channel: SimulatedChannel())
            return (transcript, try await ServerHarness.settledMetrics(server))
        }
        #expect(transcript.commands.count == 1)
        #expect(transcript.commands.first?.hasPrefix("VERBOSE \"calljournal: no FastAGI script named \\\"rout\\\"") == true)
        #expect(transcript.closedByServer)
        #expect(metrics.sessionsByScript["unknown"] == 1)
    }

    @Test func garbageIsClosedWithoutAnswer() async throws {
        let (reply, metrics) = try await ServerHarness.withServer { server, port in
            let reply = try await exchange(port: port, sending: Array("GET / HTTP/1.1\r\nHost: pbx\r\n\r\n".utf8))
            return (reply, try await ServerHarness.settledMetrics(server))
        }
        #expect(reply.isEmpty)
        #expect(metrics.failures["protocol"] == 1)
        #expect(metrics.sessionsByScript["none"] == 1)
    }

    @Test func oversizedEnvironmentIsClosed() async throws {
        let bytes = Array("agi_network: yes\n".utf8)
            + (0..<400).flatMap { Array("agi_arg_\($0): \(String(repeating: "x", count: 60))\n".utf8) }
        let (reply, metrics) = try await ServerHarness.withServer { server, port in
            (try await exchange(port: port, sending: bytes), try await ServerHarness.settledMetrics(server))
        }
        #expect(reply.isEmpty)
        #expect(metrics.failures["protocol"] == 1)
    }

    @Test func megabyteLineIsCutAtTheLineLimit() async throws {
        let bytes = Array("agi_network_script: route?ext=".utf8) + Array(repeating: UInt8(ascii: "1"), count: 1 << 20)
        let (reply, metrics) = try await ServerHarness.withServer { server, port in
            (try await exchange(port: port, sending: bytes), try await ServerHarness.settledMetrics(server))
        }
        #expect(reply.isEmpty)
        #expect(metrics.failures["protocol"] == 1)
    }

    @Test func stalledClientIsClosedAfterTheHeaderTimeout() async throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-01-route")
        let half = Array(recorded.environmentBytes.prefix(200))
        let clock = ContinuousClock()
        var configuration = ServerHarness.testConfiguration
        configuration.headerTimeout = .milliseconds(300)
        let (elapsed, metrics) = try await ServerHarness.withServer(configuration: configuration) { server, port in
            let started = clock.now
            _ = try await exchange(port: port, sending: half)
            return (started.duration(to: clock.now), try await ServerHarness.settledMetrics(server))
        }
        #expect(elapsed >= .milliseconds(250))
        // The header timer closed it, not the session deadline, the only other limit before the environment is whole.
        #expect(elapsed < .seconds(30))
        #expect(metrics.failures["timeout"] == 1)
    }

    @Test func silentAsteriskIsClosedAfterTheCommandTimeout() async throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-01-route")
        var configuration = ServerHarness.testConfiguration
        configuration.commandTimeout = .milliseconds(200)
        let (reply, metrics) = try await ServerHarness.withServer(configuration: configuration) { server, port in
            (try await exchange(port: port, sending: recorded.environmentBytes), try await ServerHarness.settledMetrics(server))
        }
        #expect(String(decoding: reply, as: UTF8.self).hasPrefix("SET VARIABLE ROUTE_STATUS \"OK\"\n"))
        #expect(metrics.failures["timeout"] == 1)
    }

    @Test func connectionsBeyondTheSessionLimitAreRefused() async throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-01-route")
        var configuration = ServerHarness.testConfiguration
        configuration.maximumSessions = 1
        let holding = Countdown(1)
        let refusalSeen = Countdown(1)
        let environment = recorded.environmentBytes
        let (held, refused, metrics) = try await ServerHarness.withServer(configuration: configuration) { server, port in
            let held = Task {
                try await AGISessionPlayer.play(port: port, environment: environment, channel: SimulatedChannel()) { _ in
                    await holding.arrive()
                    await refusalSeen.wait()
                }
            }
            await holding.wait()
            let refused = try await exchange(port: port, sending: environment)
            await refusalSeen.arrive()
            return (try await held.value, refused, try await ServerHarness.settledMetrics(server))
        }
        #expect(refused.isEmpty)
        #expect(held.channel.variables["ROUTE_DIAL"] == "PJSIP/101")
        #expect(metrics.refusedOverCapacity == 1)
    }

    @Test func nextCommandWaitsForTheResponse() async throws {
        // Asterisk reads commands through a stdio stream but waits for the next one by polling the
        // socket (run_agi() in res/res_agi.c): a second command sent early would sit unseen.
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-01-route")
        let received = try await ServerHarness.withServer { _, port in
            let recorder = try await ByteRecorder.connect(port: port)
            try await recorder.send(recorded.environmentBytes)
            var lineCounts: [Int] = []
            for _ in 0..<4 {
                try await recorder.waitForLines(lineCounts.count + 1)
                try await Task.sleep(for: .milliseconds(100))  // time for an early second command to show
                lineCounts.append(recorder.lineCount)
                try await recorder.send(Array("200 result=1\n".utf8))
            }
            try await recorder.closed()
            return lineCounts
        }
        #expect(received == [1, 2, 3, 4])
    }

    @Test func secondServerOnTheSamePortFailsToStart() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let router = AGIScriptRouter.standard(
            directory: StaticDirectorySource(LabDirectory.snapshot), store: InMemoryAnnotationStore())
        let first = try await AGIServer.bind(
            configuration: ServerHarness.testConfiguration, router: router, group: group, logger: ServerHarness.quietLogger)
        let port = try #require(first.localPort)
        var configuration = ServerHarness.testConfiguration
        configuration.port = port
        await #expect(throws: (any Error).self) {
            _ = try await AGIServer.bind(configuration: configuration, router: router, group: group, logger: ServerHarness.quietLogger)
        }
        let running = Task { try await first.run() }
        let transcript = try await AGISessionPlayer.play(
            port: port, environment: try RecordedAGISession(scenario: "S1", name: "agi-01-route").environmentBytes,
            channel: SimulatedChannel())
        running.cancel()
        try await running.value
        try await group.shutdownGracefully()
        #expect(transcript.channel.variables["ROUTE_DIAL"] == "PJSIP/101")
    }

    @Test func thousandSimultaneousSessions() async throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-01-route")
        let sessions = 1000
        let allConnected = Countdown(sessions)
        let environment = recorded.environmentBytes
        let peak = PeakGauge()
        let (dials, metrics) = try await ServerHarness.withServer { server, port in
            let dials = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<sessions {
                    group.addTask {
                        let transcript = try await AGISessionPlayer.play(
                            port: port, environment: environment, channel: SimulatedChannel()
                        ) { command in
                            // Hold every session at its first command until all of them are open.
                            guard command.hasPrefix("SET VARIABLE ROUTE_STATUS") else { return }
                            await allConnected.arrive()
                            await allConnected.wait()
                            peak.observe(server.metrics.snapshot().activeSessions)
                        }
                        return transcript.channel.variables["ROUTE_DIAL"]
                    }
                }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            return (dials, try await ServerHarness.settledMetrics(server))
        }
        #expect(dials.count == sessions)
        #expect(dials.allSatisfy { $0 == "PJSIP/101" })
        #expect(peak.highest == sessions)
        #expect(metrics.sessionsByScript["route"] == sessions)
        #expect(metrics.failures.isEmpty)
        #expect(metrics.latencyByScript["route"]?.count == sessions)
    }

    @Test func shutdownLetsARunningMenuFinishAndRefusesNewSessions() async throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-02-postcall")
        let store = InMemoryAnnotationStore()
        var configuration = ServerHarness.testConfiguration
        // The agent types until the test has seen new sessions refused, however long that takes: the drain may not
        // end the menu first.
        configuration.drainTimeout = .seconds(120)
        let server = try await AGIServer.bind(
            configuration: configuration,
            router: .standard(directory: StaticDirectorySource(LabDirectory.snapshot), store: store),
            logger: ServerHarness.quietLogger)
        let port = try #require(server.localPort)
        let menuStarted = Countdown(1)
        let refusalSeen = Countdown(1)
        let running = Task { try await server.run() }
        let channel = SimulatedChannel(variables: ["CHANNEL(linkedid)": "1795358807.0"], digits: ["2", "500"])
        let menu = Task {
            try await AGISessionPlayer.play(port: port, environment: recorded.environmentBytes, channel: channel) { command in
                guard command.hasPrefix("GET DATA") else { return }
                await menuStarted.arrive()
                await refusalSeen.wait()  // the agent is still typing during shutdown
            }
        }
        await menuStarted.wait()
        running.cancel()
        // The listeners close on the event loop soon after the cancel; a connection that still gets in is let go.
        try await waitUntil("new FastAGI connections refused") {
            guard let connection = try? await AGISessionPlayer.connect(port: port) else { return true }
            try await connection.executeThenClose { _, _ in }
            return false
        }
        await refusalSeen.arrive()
        let transcript = try await menu.value
        try await running.value
        #expect(transcript.channel.variables["POSTCALL_STATUS"] == "SAVED")
        #expect(await store.postCallResults.count == 1)
    }

    @Test func drainTimeoutClosesSessionsThatDoNotFinish() async throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-01-route")
        var configuration = ServerHarness.testConfiguration
        configuration.drainTimeout = .milliseconds(200)
        let server = try await AGIServer.bind(
            configuration: configuration,
            router: .standard(directory: StaticDirectorySource(LabDirectory.snapshot), store: InMemoryAnnotationStore()),
            logger: ServerHarness.quietLogger)
        let port = try #require(server.localPort)
        let running = Task { try await server.run() }
        let connection = try await AGISessionPlayer.connect(port: port)
        let clock = ContinuousClock()
        let elapsed = try await connection.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(bytes: recorded.environmentBytes))
            var reader = LineReader(inbound)
            _ = try await reader.nextLine()  // first command, never answered
            let started = clock.now
            running.cancel()
            while try await reader.nextLine() != nil {}
            return started.duration(to: clock.now)
        }
        try await running.value
        #expect(elapsed >= .milliseconds(150))
        // The drain closed it, not the command timeout or the session deadline.
        #expect(elapsed < .seconds(30))
        #expect(server.metrics.snapshot().failures["connection"] == 1)
    }
}

/// The highest value seen, from any task.
final class PeakGauge: Sendable {
    private let value = Mutex(0)
    func observe(_ sample: Int) { value.withLock { $0 = max($0, sample) } }
    var highest: Int { value.withLock { $0 } }
}

/// Waits until a number of arrivals.
actor Countdown {
    private var remaining: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { remaining = count }

    func arrive() {
        remaining -= 1
        if remaining == 0 {
            waiters.forEach { $0.resume() }
            waiters = []
        }
    }

    func wait() async {
        if remaining <= 0 { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}
