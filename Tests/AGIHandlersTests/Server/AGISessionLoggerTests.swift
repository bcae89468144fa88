@testable import AGIHandlers
import Logging
import Testing

/// What a session's log lines carry of the peer's environment.
@Suite struct AGISessionLoggerTests {
    /// Keeps metadata so that the test can read it back; logs nothing.
    private struct MetadataHandler: LogHandler {
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {}
    }

    private func sessionLogger(channel: String, uniqueID: String) throws -> Logger {
        let core = AGIServerCore(
            configuration: ServerHarness.testConfiguration,
            router: .standard(directory: StaticDirectorySource(LabDirectory.snapshot), store: InMemoryAnnotationStore()),
            metrics: AGIServerMetrics(), logger: Logger(label: "test") { _ in MetadataHandler() }, registry: AGISessionRegistry())
        let environment = try AGIEnvironment(variables: [
            ("agi_network_script", "route"), ("agi_channel", channel), ("agi_uniqueid", uniqueID),
        ])
        return core.sessionLogger(script: "route", environment: environment)
    }

    @Test func anOrdinaryChannelIsLoggedAsItIs() throws {
        let logger = try sessionLogger(channel: "PJSIP/trunk-00000000", uniqueID: "1795358807.0")
        #expect(logger[metadataKey: "agi.channel"] == "PJSIP/trunk-00000000")
        #expect(logger[metadataKey: "agi.uniqueid"] == "1795358807.0")
        #expect(logger[metadataKey: "agi.script"] == "route")
    }

    /// A terminal escape, a carriage return or DEL in a peer's value must not reach the log as it is: it could
    /// rewrite what an operator sees, or forge a line.
    @Test func controlBytesAndOverlongValuesAreNotLoggedAsTheyAre() throws {
        let logger = try sessionLogger(
            channel: "PJSIP/101\u{1B}[2J\r\u{7F}-1", uniqueID: String(repeating: "9", count: 40))
        #expect(logger[metadataKey: "agi.channel"] == "PJSIP/101?[2J??-1")
        #expect(logger[metadataKey: "agi.uniqueid"] == "\(String(repeating: "9", count: 32))…")
    }
}
