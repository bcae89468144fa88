@testable import calljournal
import Testing

@Suite("configuration")
struct ConfigurationLoaderTests {
    private func load(_ environment: [String: String]) async -> (DaemonConfiguration, [String]) {
        let loader = ConfigurationLoader(path: "/nonexistent/calljournal.yaml", environment: environment, fileRequired: false)
        return await loader.load()
    }

    /// Without a file, every component has the defaults calljournal.example.yaml documents.
    @Test func defaultsAreTheDocumentedOnes() async {
        let (configuration, problems) = await load(["CALLJOURNAL_AMI_MAIN_SECRET": "s"])
        #expect(problems.isEmpty)
        let ami = configuration.amiServers[0].client
        #expect(ami.eventMask == "call,cdr,dialplan,agent")
        #expect(ami.username == "calljournal")
        #expect(ami.pingInterval == .seconds(15))
        #expect(ami.reconnect.maximum == .seconds(30))
        #expect(configuration.fastAGI.server.maximumSessions == 2000)
        #expect(configuration.fastAGI.server.sessionDeadline == .seconds(120))
        #expect(configuration.fastAGI.postCall.valueMaxDigits == 8)
        #expect(configuration.fastAGI.postCall.digitTimeout == .seconds(8))
        #expect(configuration.fastAGI.postCall.categoryMaxDigits == 6)
        #expect(configuration.journal.writer.batchSize == 2000)
        #expect(configuration.journal.writer.quarantineDirectory.path == "/var/lib/calljournal/quarantine")
        #expect(configuration.journal.tracker(pbx: "main").callbackDeadlineSeconds == 4 * 3600)
        #expect(configuration.postgresSettings.statementTimeout == .seconds(30))
    }

    @Test func keysReadOverTheComponentsDefaults() async {
        let (configuration, problems) = await load([
            "CALLJOURNAL_AMI_SERVERS": "east", "CALLJOURNAL_AMI_EAST_SECRET": "s", "CALLJOURNAL_AMI_EAST_EVENTS": "on",
            "CALLJOURNAL_AMI_EAST_RECONNECT_MAX_MS": "5000", "CALLJOURNAL_AGI_LISTEN": "0.0.0.0:4600",
            "CALLJOURNAL_AGI_ALLOW": "10.0.0.0/8", "CALLJOURNAL_AGI_POSTCALL_MAX_VALUE_DIGITS": "5",
            "CALLJOURNAL_JOURNAL_CALLBACK_DEADLINE_HOURS": "2", "CALLJOURNAL_SPOOL_DIRECTORY": "/tmp/cj/spool",
        ])
        #expect(problems.isEmpty)
        #expect(configuration.amiServers.map(\.pbx) == ["east"])
        #expect(configuration.amiServers[0].client.eventMask == "on")
        #expect(configuration.amiServers[0].client.secret == "s")
        #expect(configuration.amiServers[0].client.reconnect.maximum == .seconds(5))
        #expect(configuration.fastAGI.server.host == "0.0.0.0")
        #expect(configuration.fastAGI.server.port == 4600)
        #expect(configuration.fastAGI.server.allowedClients.map(\.description) == ["10.0.0.0/8"])
        #expect(configuration.fastAGI.postCall.valueMaxDigits == 5)
        #expect(configuration.journal.tracker(pbx: "east").callbackDeadlineSeconds == 7200)
        #expect(configuration.journal.writer.quarantineDirectory.path == "/tmp/cj/quarantine")
    }

    @Test func badValuesAreProblemsNamingTheirKeys() async {
        let (_, problems) = await load([
            "CALLJOURNAL_AMI_MAIN_SECRET": "s", "CALLJOURNAL_AGI_ALLOW": "nonsense", "CALLJOURNAL_AGI_MAX_SESSIONS": "0",
        ])
        #expect(problems.contains { $0.hasPrefix("agi.allow: 'nonsense'") })
        #expect(problems.contains { $0.hasPrefix("agi.max_sessions: '0'") })
    }
}
