import AMIClient
import AMIModel
import Logging
import Testing

/// A consumer that stops reading while Asterisk floods events.
@Suite struct AMIClientSlowConsumerTests {
    @Test func aSlowConsumerLosesCountedEventsAndTheBufferStaysBounded() async throws {
        let trace = try recordedEvents("S12")
        let replay = Array([[UInt8]](repeating: trace, count: 20).joined())
        let sent = messages(decode(replay)).count
        let limit = 64
        let server = try await AMITestServer.start(.init(replay: replay))
        let (logger, logs) = CapturingLogHandler.logger()
        let client = AMIClient(configuration: server.clientConfiguration(bufferLimit: limit), logger: logger)
        try await withTimeout(.seconds(30)) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.run() }
                // Read nothing until every event of the flood has been received.
                #expect(await eventually(within: .seconds(20)) { client.metrics.eventsReceived == sent })
                var elements = client.events.makeAsyncIterator()
                // Exactly `limit` elements waited: the marker and the oldest events.
                var buffered: [AMIStreamElement] = []
                for _ in 0 ..< limit { if let element = await elements.next() { buffered.append(element) } }
                guard case .connected = buffered.first else {
                    Issue.record("the marker was not kept")
                    return
                }
                let delivered = buffered.dropFirst().count { if case .event = $0 { true } else { false } }
                #expect(delivered == limit - 1)
                #expect(client.metrics.eventsDropped == sent - delivered)
                // The next event is preceded by the count of what was lost.
                _ = try await client.send(AMIAction("UserEvent", ["UserEvent": "probe"]))
                let gap = await elements.next()
                let next = await elements.next()
                guard case .eventsDropped(let count) = gap, case .event(let event) = next else {
                    Issue.record("expected the gap marker then the new event, got \(String(describing: gap))")
                    return
                }
                #expect(count == sent - delivered)
                #expect(event.name == "UserEvent")
                group.cancelAll()
            }
        }
        #expect(logs.count("AMI event consumer is behind") == 1)
        #expect(logs.count("AMI event consumer caught up") == 1)
        try await server.stop()
    }
}
