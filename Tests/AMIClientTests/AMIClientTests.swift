import AMIClient
import AMIModel
import Logging
import TestFixtures
import Testing

/// The client against a protocol-speaking server over real TCP on 127.0.0.1.
@Suite struct AMIClientTests {
    typealias Elements = AsyncStream<AMIStreamElement>.Iterator

    /// Runs the client while `body` reads its stream, then cancels it.
    func withRunningClient(
        _ client: AMIClient, timeout: Duration = .seconds(20),
        _ body: @escaping @Sendable (AMIClient, inout Elements) async throws -> Void
    ) async throws {
        try await withTimeout(timeout) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.run() }
                var elements = client.events.makeAsyncIterator()
                try await body(client, &elements)
                group.cancelAll()
            }
        }
    }

    /// Reads elements up to and including the first one `stop` accepts.
    func read(_ elements: inout Elements, until stop: (AMIStreamElement) -> Bool) async -> [AMIStreamElement] {
        var read: [AMIStreamElement] = []
        while let element = await elements.next() {
            read.append(element)
            if stop(element) { break }
        }
        return read
    }

    func eventNames(_ elements: [AMIStreamElement]) -> [String] {
        elements.compactMap { if case .event(let event) = $0 { event.name } else { nil } }
    }

    @Test func bannerMD5LoginThenTheRecordedEventsArriveInOrder() async throws {
        let replay = try recordedEvents("S1")
        let server = try await AMITestServer.start(.init(replay: replay))
        let expected = messages(decode(replay)).compactMap(\.eventName)
        let client = AMIClient(configuration: server.clientConfiguration(), logger: quietLogger)
        try await withRunningClient(client) { client, elements in
            guard case .connected(let version) = await elements.next() else {
                Issue.record("the stream did not open with the connected marker")
                return
            }
            #expect(version == "11.0.0")
            var names: [String] = []
            while names.count < expected.count, let element = await elements.next() {
                if case .event(let event) = element {
                    names.append(event.name)
                    #expect(event.pbx == "test")
                }
            }
            #expect(names == expected)
            #expect(client.metrics.eventsReceived == expected.count)
            #expect(client.metrics.isConnected)
        }
        let sent = server.actions
        #expect(sent.map { $0["Action"] } == ["Challenge", "Login"])
        #expect(sent.last?["Key"] == MD5Reference.hex("840427339labsecret"))
        #expect(sent.last?["Secret"] == nil)
        #expect(sent.last?["Events"] == "on")
        try await server.stop()
    }

    /// Runs `client` (its reconnect loop included) until `condition` holds, then stops it. A minute without it fails
    /// the test.
    func run(_ client: AMIClient, until what: String, _ condition: @escaping @Sendable () -> Bool) async throws {
        try await withTimeout(.seconds(90)) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.run() }
                #expect(await eventually(within: .seconds(60), condition), "still waiting for \(what)")
                group.cancelAll()
                try await group.waitForAll()
            }
        }
    }

    @Test func plainLoginSendsTheSecret() async throws {
        let server = try await AMITestServer.start(.init())
        let client = AMIClient(configuration: server.clientConfiguration(md5: false), logger: quietLogger)
        try await withRunningClient(client) { _, elements in
            guard case .connected = await elements.next() else {
                Issue.record("plain login did not connect")
                return
            }
        }
        #expect(server.actions.map { $0["Action"] } == ["Login"])
        #expect(server.actions.first?["Secret"] == "labsecret")
        try await server.stop()
    }

    @Test func aRejectedLoginIsATypedErrorRetriedOnlyAtTheLongestDelay() async throws {
        let server = try await AMITestServer.start(.init())
        let (logger, logs) = CapturingLogHandler.logger()
        let backoff = AMIClientConfiguration.Backoff(initial: .milliseconds(1), maximum: .milliseconds(300), jitter: 0)
        let client = AMIClient(configuration: server.clientConfiguration(secret: "wrong-secret", backoff: backoff), logger: logger)
        try await run(client, until: "three failed attempts") { client.metrics.failedAttempts >= 3 }
        // Doubling from 1 ms would try again within milliseconds; after a rejected login it is always the longest delay.
        #expect(server.connectionGaps.count >= 2)
        #expect(server.connectionGaps.allSatisfy { $0 >= .milliseconds(300) }, "\(server.connectionGaps)")
        #expect(client.metrics.authenticationFailures == client.metrics.failedAttempts, "every attempt ended at the login")
        #expect(client.metrics.sessions == 0)
        #expect(logs.count("AMI connection attempt failed") == 1)
        let failure = logs.all.first { $0.text.hasPrefix("AMI connection attempt failed") }?.text ?? ""
        #expect(failure.contains("rejected the AMI login of user 'lab'"))
        #expect(!logs.all.contains { $0.text.contains("wrong-secret") || $0.text.contains("labsecret") })
        try await server.stop()
    }

    /// A plain-login secret with a line break cannot be sent: the failure names that (not "closed by the peer"),
    /// nothing reaches Asterisk, and it is retried only at the longest delay, like a rejected login.
    @Test func aSecretThatCannotBeSentIsReportedAsSuchAndRetriedSlowly() async throws {
        let server = try await AMITestServer.start(.init())
        let (logger, logs) = CapturingLogHandler.logger()
        let backoff = AMIClientConfiguration.Backoff(initial: .milliseconds(1), maximum: .milliseconds(300), jitter: 0)
        let client = AMIClient(
            configuration: server.clientConfiguration(secret: "lab\r\nAction: Originate", md5: false, backoff: backoff),
            logger: logger)
        try await run(client, until: "three failed attempts") { client.metrics.failedAttempts >= 3 }
        #expect(server.connectionGaps.count >= 2)
        #expect(server.connectionGaps.allSatisfy { $0 >= .milliseconds(300) }, "\(server.connectionGaps)")
        #expect(server.actions.isEmpty, "nothing of the secret was sent")
        let failure = logs.all.first { $0.text.hasPrefix("AMI connection attempt failed") }?.text ?? ""
        #expect(!failure.contains("closed by the peer"))
        #expect(failure.contains("Secret"))
        #expect(!logs.all.contains { $0.text.contains("Originate") })
        try await server.stop()
    }

    @Test func anUnansweredActionTimesOutAndTheConnectionStays() async throws {
        let server = try await AMITestServer.start(.init(unanswered: ["originate"]))
        let client = AMIClient(
            configuration: server.clientConfiguration(actionTimeout: .milliseconds(300)), logger: quietLogger
        )
        try await withRunningClient(client) { client, elements in
            _ = await elements.next()
            let started = ContinuousClock.now
            await #expect(throws: AMIError.actionTimedOut(action: "Originate", after: .milliseconds(300))) {
                try await client.send(AMIAction("Originate", ["Channel": "PJSIP/101"]))
            }
            let waited = ContinuousClock.now - started
            // Its own deadline ended the wait: not before it, and long before anything else could (the test's limit).
            #expect(waited >= .milliseconds(300) && waited < .seconds(10))
            let pong = try await client.send(.ping())
            #expect(pong["Ping"] == "Pong")
            #expect(client.metrics.actionTimeouts == 1)
            #expect(client.metrics.sessions == 1)
        }
        try await server.stop()
    }

    @Test func concurrentActionsAndListsAreMatchedByActionID() async throws {
        let server = try await AMITestServer.start(.init(channelCount: 4))
        let client = AMIClient(configuration: server.clientConfiguration(), logger: quietLogger)
        try await withRunningClient(client) { client, elements in
            _ = await elements.next()
            let responses = try await withThrowingTaskGroup(of: AMIMessage.self) { group in
                for _ in 0 ..< 20 { group.addTask { try await client.send(.ping()) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(responses.compactMap(\.actionID)).count == 20)
            #expect(responses.allSatisfy { $0["Ping"] == "Pong" })
            let channels = try await client.sendList(AMIAction("CoreShowChannels"))
            #expect(channels.map { $0["Channel"] } == (0 ..< 4).map { "PJSIP/10\($0)-0000000\($0)" })
            #expect(client.metrics.eventsReceived == 0)  // list items are not stream events
            await #expect(throws: AMIError.actionFailed(action: "Bogus", message: "Invalid/unknown command")) {
                try await client.send(AMIAction("Bogus"))
            }
            await #expect(throws: AMIError.invalidAction(.lineBreakInValue(key: "CallerID"))) {
                try await client.send(AMIAction("Originate", ["CallerID": "x\r\nAction: Hangup"]))
            }
        }
        #expect(!server.actions.contains { $0["Action"] == "Hangup" })
        try await server.stop()
    }

    /// The list's place in the stream: events Asterisk sent before it come before `.listCompleted`, later ones
    /// after, so a consumer applies the snapshot on top of the older events, not under them.
    @Test func aListCompletesInItsPlaceInTheEventStream() async throws {
        let server = try await AMITestServer.start(.init(channelCount: 2, eventsAroundList: true))
        let client = AMIClient(configuration: server.clientConfiguration(), logger: quietLogger)
        try await withRunningClient(client) { client, elements in
            _ = await elements.next()
            let channels = try await client.sendList(AMIAction("CoreShowChannels", actionID: "snapshot-1"))
            #expect(channels.count == 2)
            var seen: [String] = []
            for _ in 0 ..< 3 {
                switch await elements.next() {
                case .event(let event)?: seen.append(event.name)
                case .listCompleted(let actionID)?: seen.append("list \(actionID)")
                default: seen.append("other")
                }
            }
            #expect(seen == ["Hangup", "list snapshot-1", "Newchannel"])
        }
        try await server.stop()
    }

    @Test func actionsWithoutAConnectionFailAtOnce() async throws {
        let client = AMIClient(
            configuration: AMIClientConfiguration(pbx: "none", username: "lab", secret: "x"), logger: quietLogger
        )
        await #expect(throws: AMIError.notConnected) { try await client.send(.ping()) }
    }

    @Test func aServerDyingMidMessageEndsTheSessionAfterTheCompleteEvents() async throws {
        let replay = try recordedEvents("S3")
        // Cut inside the 11th event, after its name.
        let starts = (0 ..< replay.count - 7).filter { replay[$0 ..< $0 + 7].elementsEqual(Array("Event: ".utf8)) }
        let cut = starts[10] + 12
        let server = try await AMITestServer.start(.init(replay: replay, replayCut: cut))
        let client = AMIClient(configuration: server.clientConfiguration(), logger: quietLogger)
        try await withRunningClient(client) { client, elements in
            let session = await read(&elements) { if case .disconnected = $0 { true } else { false } }
            guard case .connected = session.first, case .disconnected(let reason) = session.last else {
                Issue.record("expected connected … disconnected, got \(session.count) elements")
                return
            }
            #expect(eventNames(session).count == 10)
            #expect(reason == .connectionClosed(reason: "closed by the peer"))
            #expect(client.metrics.rejectedFrames == 1)  // the truncated event
        }
        try await server.stop()
    }

    @Test func aReconnectYieldsTheMarkerAgain() async throws {
        let replay = try recordedEvents("S5")
        let perSession = messages(decode(replay)).count
        let server = try await AMITestServer.start(.init(replay: replay, closeAfterReplay: true))
        let client = AMIClient(configuration: server.clientConfiguration(), logger: quietLogger)
        try await withRunningClient(client) { client, elements in
            var connected = 0
            let seen = await read(&elements) {
                if case .connected = $0 { connected += 1 }
                return connected == 2
            }
            #expect(eventNames(seen).count == perSession)
            #expect(seen.filter { if case .disconnected = $0 { true } else { false } }.count == 1)
            #expect(client.metrics.sessions == 2)
            #expect(client.metrics.reconnects == 1)
        }
        #expect(server.connections >= 2)
        try await server.stop()
    }

    @Test func aSilentPeerIsDetectedByTheKeepalive() async throws {
        let server = try await AMITestServer.start(.init(unanswered: ["ping"]))
        let client = AMIClient(
            configuration: server.clientConfiguration(actionTimeout: .milliseconds(300), pingInterval: .milliseconds(200)),
            logger: quietLogger
        )
        try await withRunningClient(client) { _, elements in
            let started = ContinuousClock.now
            let session = await read(&elements) { if case .disconnected = $0 { true } else { false } }
            guard case .disconnected(let reason) = session.last else {
                Issue.record("no disconnect")
                return
            }
            #expect(reason == .keepaliveTimedOut(after: .milliseconds(300)))
            // A ping every 200 ms, each given 300 ms: found out within a second, here given ten on a busy machine.
            #expect(ContinuousClock.now - started < .seconds(10))
        }
        #expect(server.actions.contains { $0["Action"] == "Ping" })
        try await server.stop()
    }
}
