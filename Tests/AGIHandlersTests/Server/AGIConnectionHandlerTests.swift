@testable import AGIHandlers
import Logging
import NIOCore
import NIOEmbedded
import Testing

/// The connection handler byte by byte, without a network: an embedded channel plays the socket
/// and its loop's clock is moved by hand.
@Suite struct AGIConnectionHandlerTests {
    private struct Connection {
        let channel: EmbeddedChannel
        let loop: EmbeddedEventLoop
        let metrics: AGIServerMetrics

        func receive(_ text: String) throws { try channel.writeInbound(ByteBuffer(string: text)) }
        func receive(_ bytes: [UInt8]) throws { try channel.writeInbound(ByteBuffer(bytes: bytes)) }

        /// Everything the server wrote since the last call, as text.
        func sent() throws -> String {
            var text = ""
            while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
            return text
        }
    }

    private func connect(configuration: AGIServerConfiguration = ServerHarness.testConfiguration) throws -> Connection {
        let loop = EmbeddedEventLoop()
        let metrics = AGIServerMetrics()
        let core = AGIServerCore(
            configuration: configuration,
            router: .standard(directory: StaticDirectorySource(LabDirectory.snapshot), store: InMemoryAnnotationStore()),
            metrics: metrics, logger: ServerHarness.quietLogger, registry: AGISessionRegistry())
        #expect(metrics.reserveSession(limit: 1))
        let channel = EmbeddedChannel(loop: loop)
        try channel.pipeline.syncOperations.addHandler(AGIConnectionHandler(core: core))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 4573)).wait()
        return Connection(channel: channel, loop: loop, metrics: metrics)
    }

    @Test func s1RouteSendsOneCommandPerResponseThenCloses() throws {
        let recorded = try RecordedAGISession(scenario: "S1", name: "agi-01-route")
        let connection = try connect()
        try connection.receive(recorded.environmentBytes)
        var commands: [String] = []
        while connection.channel.isActive {
            let sent = try connection.sent()
            // res_agi.c reads commands through stdio but waits on the raw socket: never two at once.
            #expect(sent.filter { $0 == "\n" }.count == 1)
            commands.append(sent)
            try connection.receive("200 result=1\n")
        }
        #expect(
            commands == [
                "SET VARIABLE ROUTE_STATUS \"OK\"\n", "SET VARIABLE ROUTE_DIAL \"PJSIP/101\"\n",
                "SET VARIABLE ROUTE_EMPLOYEE_ID \"1\"\n", "SET VARIABLE ROUTE_EMPLOYEE_NAME \"Agent 101\"\n",
            ])
        #expect(connection.metrics.snapshot().sessionsByScript["route"] == 1)
        #expect(connection.metrics.snapshot().failures.isEmpty)
        #expect(connection.metrics.snapshot().activeSessions == 0)
    }

    @Test func environmentSplitAcrossManyReadsStillRoutes() throws {
        let recorded = try RecordedAGISession(scenario: "S6", name: "agi-01-route")
        let connection = try connect()
        for byte in recorded.environmentBytes { try connection.receive([byte]) }
        #expect(try connection.sent().hasPrefix("SET VARIABLE ROUTE_STATUS \"OK\""))
    }

    @Test func unansweredCommandTimesOut() throws {
        var configuration = ServerHarness.testConfiguration
        configuration.commandTimeout = .seconds(3)
        let connection = try connect(configuration: configuration)
        try connection.receive(try RecordedAGISession(scenario: "S1", name: "agi-01-route").environmentBytes)
        _ = try connection.sent()
        connection.loop.advanceTime(by: .milliseconds(2_999))
        #expect(connection.channel.isActive)
        connection.loop.advanceTime(by: .milliseconds(1))
        #expect(!connection.channel.isActive)
        #expect(connection.metrics.snapshot().failures == ["timeout": 1])
    }

    @Test func halfAnEnvironmentTimesOutAtTheHeaderLimit() throws {
        let connection = try connect()
        try connection.receive("agi_network: yes\nagi_network_script: route?ext=101\n")
        connection.loop.advanceTime(by: .init(ServerHarness.testConfiguration.headerTimeout))
        #expect(!connection.channel.isActive)
        #expect(connection.metrics.snapshot().failures == ["timeout": 1])
        #expect(connection.metrics.snapshot().sessionsByScript["none"] == 1)
    }

    @Test func asteriskClosingMidRouteIsAConnectionFailure() throws {
        let connection = try connect()
        try connection.receive(try RecordedAGISession(scenario: "S1", name: "agi-01-route").environmentBytes)
        try connection.receive("200 result=1\n")
        try connection.channel.close().wait()
        #expect(connection.metrics.snapshot().failures == ["connection": 1])
        #expect(connection.metrics.snapshot().sessionsByScript["route"] == 1)
    }

    @Test func rejectedCommandEndsThePlannedSessionAsAHandlerFailure() throws {
        let connection = try connect()
        try connection.receive(try RecordedAGISession(scenario: "S1", name: "agi-01-route").environmentBytes)
        try connection.receive("510 Invalid or unknown command\n")
        #expect(!connection.channel.isActive)
        #expect(connection.metrics.snapshot().failures == ["handler": 1])
    }

    @Test func hangupDuringRouteStillSetsEveryVariable() throws {
        // Variables are set on a dead channel too (S8 sets POSTCALL_* after HANGUP).
        let connection = try connect()
        try connection.receive(try RecordedAGISession(scenario: "S1", name: "agi-01-route").environmentBytes)
        var commands = 0
        while connection.channel.isActive {
            commands += try connection.sent().filter { $0 == "\n" }.count
            try connection.receive(commands == 1 ? "HANGUP\n200 result=1\n" : "200 result=1\n")
        }
        #expect(commands == 4)
        #expect(connection.metrics.snapshot().failures.isEmpty)
    }
}
