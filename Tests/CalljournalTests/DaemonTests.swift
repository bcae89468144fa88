import Foundation
import PBXSimulator
import Testing

/// The daemon end to end, and on its worst days: the real binary beside the Asterisk stand-in, against PostgreSQL.
@Suite("Daemon end to end and under faults (needs PostgreSQL)", .serialized)
struct DaemonTests {
    /// 27 calls per round of the 23 recorded scenarios: 24 calls of their clients and the consultation calls of
    /// the attended and blonde transfers (S9, S18, S22).
    static let callsPerRound = 27

    @Test func servesTheRecordedCallsThenStopsCleanlyOnSIGTERM() async throws {
        let harness = try DaemonHarness()
        let notify = try NotifySocket(path: harness.workdir.appendingPathComponent("notify").path)
        let serve = try harness.startServe(environment: ["NOTIFY_SOCKET": notify.path])
        try await harness.eventually("READY=1 on NOTIFY_SOCKET") { notify.received().contains { $0.contains("READY=1") } }
        let simulator = try harness.startSimulator(speed: 50)
        #expect(try await harness.wait(for: simulator) == 0, "\(harness.logs())")
        try await harness.eventually("every call finished in the journal") {
            let counts = try harness.callCounts()
            return counts.rows == Self.callsPerRound && counts.inProgress == 0
        }
        // The post-call menus of S1 and S12 were saved; S13's agent hung up mid-menu and nothing was saved.
        let marks = try harness.database.query("""
            SELECT c.caller_number || ':' || k.code || ':' || coalesce(c.value::text, '')
              FROM calljournal.call_category_marks m JOIN calljournal.calls c ON c.id = m.call_id
              JOIN calljournal.call_categories k ON k.id = m.category_id ORDER BY 1
            """)
        #expect(marks == ["79160000001:1:250.00", "79161234567:2:500.00"])
        kill(serve.processIdentifier, SIGTERM)
        #expect(try await harness.wait(for: serve, timeout: .seconds(30)) == 0, "\(harness.logs())")
        #expect(notify.received().contains { $0.contains("STOPPING=1") })
    }

    @Test func everyCallArrivesExactlyOnceThroughAPostgreSQLOutage() async throws {
        let harness = try DaemonHarness()
        let serve = try harness.startServe()
        let rounds = 40
        let simulator = try harness.startSimulator(speed: 400, rounds: rounds)
        try await harness.eventually("calls flowing") { try harness.callCounts().rows > 30 }

        // The outage: PostgreSQL refuses the journal's database and cuts its sessions, for a few seconds of traffic.
        let name = harness.database.name
        _ = try ScratchDatabase.psql(["-d", "postgres", "-c", "ALTER DATABASE \(name) ALLOW_CONNECTIONS false"])
        _ = try ScratchDatabase.psql(["-d", "postgres", "-c",
                                      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)'"])
        try await harness.eventually("calls going to the spool") { (harness.metric("calljournal_spool_bytes") ?? 0) > 0 }
        try await Task.sleep(for: .seconds(3))
        _ = try ScratchDatabase.psql(["-d", "postgres", "-c", "ALTER DATABASE \(name) ALLOW_CONNECTIONS true"])

        #expect(try await harness.wait(for: simulator) == 0, "\(harness.logs())")
        try await harness.eventually("the spool drained and every call in the journal", timeout: .seconds(90)) {
            let counts = try harness.callCounts()
            return counts.rows == rounds * Self.callsPerRound && counts.inProgress == 0
                && harness.metric("calljournal_spool_bytes") == 0
        }
        let counts = try harness.callCounts()
        #expect(counts.distinct == counts.rows, "no call twice")
        #expect(harness.logs().contains("keeping calls in the spool"))
        kill(serve.processIdentifier, SIGTERM)
        #expect(try await harness.wait(for: serve) == 0, "\(harness.logs())")
    }

    @Test func killNineMidReplayThenRestartLosesOnlyTheCallsInsideTheGap() async throws {
        let harness = try DaemonHarness()
        let first = try harness.startServe()
        let rounds = 30
        let simulator = try harness.startSimulator(speed: 200, rounds: rounds)
        try await harness.eventually("calls flowing") { try harness.callCounts().rows > 40 }
        kill(first.processIdentifier, SIGKILL)
        _ = try await harness.wait(for: first)
        // What the killed daemon made durable, read once its last transaction is over: when its sessions have left
        // PostgreSQL. Rows that only hold a post-call result (no AMI facts yet) do not say how far it had come.
        try await harness.eventually("the killed daemon's PostgreSQL sessions gone") {
            try harness.database.query("""
                SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'calljournal'
                """) == ["0"]
        }
        let kept = Set(try harness.database.query("SELECT linkedid FROM calljournal.calls WHERE last_event_at > '-infinity'"))
        let second = try harness.startServe()
        // FastAGI sessions that fell into the gap fail on the simulator's side, so its exit status is not checked.
        _ = try await harness.wait(for: simulator)
        try await harness.eventually("no call left in progress") { try harness.callCounts().inProgress == 0 }

        let timeline = try harness.timeline()
        #expect(timeline.sessions.count == 2, "one AMI session per daemon: \(timeline.sessions)")
        #expect(timeline.calls.filter { !$0.absorbed }.count == rounds * Self.callsPerRound)
        // The first daemon wrote each call when it began, in order: none older than the last one it wrote is missing.
        let placed = timeline.calls.filter { !$0.absorbed }
        let frontier = try #require(placed.lastIndex { kept.contains($0.linkedid) })
        let skipped = placed[...frontier].map(\.linkedid).filter { !kept.contains($0) }
        #expect(skipped.isEmpty, "calls older than the killed daemon's last write, yet never written: \(skipped)")
        // The gap runs from the first call that daemon did not write to the second daemon's listing of the live
        // channels. Calls that began and ended inside it are invisible to AMI; every other call must be there.
        let inside = try timeline.callsInsideGap(startingAt: placed[frontier].firstEvent + 1)
        try harness.expectJournal(of: timeline, missingAtMost: inside)
        kill(second.processIdentifier, SIGTERM)
        #expect(try await harness.wait(for: second) == 0, "\(harness.logs())")
    }

    @Test func aDroppedAMIConnectionIsReconciledAndNoCallStaysOpen() async throws {
        let harness = try DaemonHarness()
        let serve = try harness.startServe()
        // Drop in the middle of S1's conversation, after its 100th event, and stay unreachable for its other 50: S1
        // ends inside the gap however fast the daemon tries to reconnect.
        let simulator = try harness.startSimulator(speed: 20, extra: ["--drop-after-events", "100", "--outage-events", "50"])
        #expect(try await harness.wait(for: simulator) == 0, "\(harness.logs())")
        try await harness.eventually("no call left in progress") { try harness.callCounts().inProgress == 0 }
        #expect(harness.logs().contains("AMI connected; reconciling"))
        let reconnects = harness.metric("calljournal_ami_reconnects_total") ?? 0
        #expect(reconnects >= 1)

        let timeline = try harness.timeline()
        #expect(timeline.sessions.count == 2, "one drop, one reconnect: \(timeline.sessions)")
        #expect(timeline.calls.filter { !$0.absorbed }.count == Self.callsPerRound)
        #expect(timeline.sessions.first?.endedAt == 100)
        #expect(try #require(timeline.sessions.last).loginAt >= 150)
        // S1 began before the gap and ended in it: closed with the explicit mark rather than left open.
        #expect(timeline.calls.first?.linkedid == "1795358807.0")
        let s1 = try harness.database.query(
            "SELECT status || ':' || ended_while_disconnected FROM calljournal.calls WHERE linkedid = '1795358807.0'")
        #expect(s1 == ["answered:true"])
        // The daemon kept every event before the drop; what began and ended in the gap is invisible to AMI.
        try harness.expectJournal(of: timeline, missingAtMost: try timeline.callsInsideGap(startingAt: 100))
        kill(serve.processIdentifier, SIGTERM)
        #expect(try await harness.wait(for: serve) == 0, "\(harness.logs())")
    }

    @Test func malformedAMIFramesAndFastAGIGarbageDoNotDisturbAnyoneElse() async throws {
        let harness = try DaemonHarness()
        let serve = try harness.startServe()
        try await harness.eventually("FastAGI listening") { harness.metric("calljournal_writer_batches_total") != nil }
        let simulator = try harness.startSimulator(speed: 50, extra: ["--garbage-every", "50"])
        // Meanwhile a broken FastAGI client: binary garbage, then a megabyte with no line end.
        let garbage = try CommandRunner.execute(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
            import socket
            for payload in [bytes(range(256)) * 4 + b"\\n\\n", b"agi_network: yes\\n" + b"x" * 1048576]:
                s = socket.create_connection(("127.0.0.1", \(harness.agiPort)))
                try:
                    s.sendall(payload)
                except OSError:
                    pass
                s.settimeout(5)
                try:
                    s.recv(65536)
                except OSError:
                    pass
                s.close()
            """])
        #expect(garbage.status == 0, "\(garbage.standardError)")
        #expect(try await harness.wait(for: simulator) == 0, "\(harness.logs())")
        try await harness.eventually("every call finished in the journal") {
            let counts = try harness.callCounts()
            return counts.rows == Self.callsPerRound && counts.inProgress == 0
        }
        try await harness.eventually("the malformed frames counted", timeout: .seconds(15)) {
            (harness.metric("calljournal_ami_frames_rejected_total") ?? 0) > 0
        }
        let marks = try harness.database.query("SELECT count(*) FROM calljournal.call_category_marks")
        #expect(marks == ["2"])
        kill(serve.processIdentifier, SIGTERM)
        #expect(try await harness.wait(for: serve) == 0, "\(harness.logs())")
    }

    @Test func aFullSpoolIsLoudLosesNothingAndRecovers() async throws {
        let harness = try DaemonHarness(spoolMaxBytes: 1 << 20)
        let serve = try harness.startServe()
        try await harness.eventually("the daemon up") { harness.metric("calljournal_writer_batches_total") != nil }
        let name = harness.database.name
        _ = try ScratchDatabase.psql(["-d", "postgres", "-c", "ALTER DATABASE \(name) ALLOW_CONNECTIONS false"])
        _ = try ScratchDatabase.psql(["-d", "postgres", "-c",
                                      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)'"])
        let rounds = 60
        let simulator = try harness.startSimulator(speed: 400, rounds: rounds)
        try await harness.eventually("the spool full", timeout: .seconds(90)) {
            harness.metric("calljournal_spool_full") == 1
        }
        _ = try ScratchDatabase.psql(["-d", "postgres", "-c", "ALTER DATABASE \(name) ALLOW_CONNECTIONS true"])
        #expect(try await harness.wait(for: simulator) == 0, "\(harness.logs())")
        try await harness.eventually("every call in the journal", timeout: .seconds(90)) {
            let counts = try harness.callCounts()
            return counts.rows == rounds * Self.callsPerRound && counts.inProgress == 0
        }
        #expect(harness.logs().contains("the spool is filling while PostgreSQL is away"))
        #expect(harness.logs().contains("the spool is full"))
        #expect(try harness.callCounts().distinct == rounds * Self.callsPerRound)
        kill(serve.processIdentifier, SIGTERM)
        #expect(try await harness.wait(for: serve) == 0, "\(harness.logs())")
    }
}

/// The FastAGI scripts against the daemon's real directory in PostgreSQL.
@Suite("FastAGI scripts against PostgreSQL (needs PostgreSQL)", .serialized)
struct FastAGIDirectoryTests {
    /// An environment as Asterisk sends it, for `script` on `channel`.
    static func environment(script: String, channel: String, callerID: String = "79161234567") -> [UInt8] {
        Array("""
            agi_network: yes
            agi_network_script: \(script)
            agi_request: agi://127.0.0.1/\(script)
            agi_channel: \(channel)
            agi_language: en
            agi_type: PJSIP
            agi_uniqueid: 1795358807.0
            agi_version: 22.10.1
            agi_callerid: \(callerID)
            agi_calleridname: unknown
            agi_dnid: 5551000
            agi_context: from-trunk
            agi_extension: 5551000
            agi_priority: 7
            agi_enhanced: 0.0
            agi_accountcode: 
            agi_threadid: 1


            """.utf8)
    }

    @Test func routeStatusAndAContactsOwnerComeFromTheDatabase() async throws {
        let harness = try DaemonHarness()
        let runner = CommandRunner()
        #expect(try runner.run(["endpoint", "add", "102", "phone", "79001110202", "--database-url", harness.database.url]).status == 0)
        #expect(try runner.run(["contact", "add", "Ivan", "--phone", "79161234567", "--responsible", "102",
                                "--database-url", harness.database.url]).status == 0)
        let serve = try harness.startServe()
        try await harness.eventually("the daemon up") { harness.metric("calljournal_writer_batches_total") != nil }

        // A known client calling the DID goes to their responsible employee, on every endpoint at once.
        let route = try await AGISessionPlayer.play(
            port: harness.agiPort, environment: Self.environment(script: "route?did=5551000", channel: "PJSIP/trunk-00000000"),
            channel: SimulatedChannel())
        #expect(route.commands.contains(#"SET VARIABLE ROUTE_STATUS "OK""#))
        #expect(route.commands.contains(#"SET VARIABLE ROUTE_DIAL "PJSIP/102&PJSIP/79001110202@trunk""#))
        #expect(route.commands.contains(#"SET VARIABLE ROUTE_EMPLOYEE_NAME "Boris""#))

        // 101 presses the status key: offline in the database, and routing to 101 says OFFLINE at once.
        let status = try await AGISessionPlayer.play(
            port: harness.agiPort, environment: Self.environment(script: "status?set=offline", channel: "PJSIP/101-00000007",
                                                                 callerID: "101"),
            channel: SimulatedChannel())
        #expect(status.channel.played.contains { $0.contains("you-are-offline") }, "\(status.commands)")
        #expect(try harness.database.query("SELECT is_online FROM calljournal.employees WHERE extension = '101'") == ["f"])
        try await harness.eventually("the directory refreshed by NOTIFY", timeout: .seconds(10)) {
            let again = try await AGISessionPlayer.play(
                port: harness.agiPort, environment: Self.environment(script: "route?ext=101", channel: "PJSIP/102-00000008",
                                                                     callerID: "102"),
                channel: SimulatedChannel())
            return again.commands.contains(#"SET VARIABLE ROUTE_STATUS "OFFLINE""#)
        }
        kill(serve.processIdentifier, SIGTERM)
        #expect(try await harness.wait(for: serve) == 0, "\(harness.logs())")
    }
}
