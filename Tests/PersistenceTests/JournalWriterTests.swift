import CallTracking
import Foundation
import Logging
import Persistence
import Testing

@Suite("Journal writer through a PostgreSQL outage (needs PostgreSQL)")
struct JournalWriterTests {
    let t0 = Date(timeIntervalSince1970: 1_795_358_807)

    func call(_ index: Int) -> CallRecord {
        var record = CallRecord(pbx: "main", linkedid: "1795358807.\(index)", direction: .inbound, startedAt: t0 + Double(index))
        record.callerNumber = "7916\(String(format: "%07d", index))"
        record.status = .answered
        record.answeredAt = record.startedAt + 2
        record.endedAt = record.startedAt + 30
        record.waitSeconds = 2
        record.talkSeconds = 28
        record.lastEventAt = record.endedAt ?? record.startedAt
        return record
    }

    func makeWriter(_ database: TestDatabase, spool: URL) throws -> JournalWriter {
        let client = PostgresClient(settings: database.settings, backoff: .init(initial: .milliseconds(1), maximum: .milliseconds(2)),
                                    logger: Logger(label: "test"))
        return JournalWriter(client: client, spool: try Spool(directory: spool, maximumBytes: 1 << 30),
                             configuration: .init(quarantineDirectory: spool.appendingPathComponent("quarantine")),
                             logger: Logger(label: "test"))
    }

    @Test func callsWrittenDuringAnOutageArriveExactlyOnceAfterIt() async throws {
        let database = try TestDatabase.create()
        let admin = try PostgresConnection.connect(PostgresConnectionSettings(connectionString: "dbname=postgres"))
        let spoolDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("cj-writer-\(UUID().uuidString)")
        let writer = try makeWriter(database, spool: spoolDirectory)

        writer.submit((0 ..< 1_000).map { CallUpdate.finished(call($0), .none) })
        await writer.flush()

        // The outage: no new connections, and the writer's session is cut.
        try admin.query("ALTER DATABASE \(admin.quoteIdentifier(database.name)) ALLOW_CONNECTIONS false")
        try admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", database.name)
        for chunk in stride(from: 1_000, to: 3_000, by: 500) {
            writer.submit((chunk ..< chunk + 500).map { CallUpdate.finished(call($0), .none) })
            await writer.flush()
        }
        let during = await writer.statistics
        #expect(during.recordsSpooled == 4)
        #expect(during.spoolBytes > 0)
        // A drain that fails at once gives its segment back: the outage's batches share one file.
        #expect(during.spoolSegments == 1)

        // Recovery: the spool drains first, then new calls flow again (liveness).
        try admin.query("ALTER DATABASE \(admin.quoteIdentifier(database.name)) ALLOW_CONNECTIONS true")
        try await Task.sleep(for: .milliseconds(10))
        writer.submit((3_000 ..< 3_100).map { CallUpdate.finished(call($0), .none) })
        await writer.flush()
        let after = await writer.statistics
        #expect(after.spoolBytes == 0)
        #expect(after.recordsDrained == 4)

        // Conservation: every call exactly once.
        let check = try database.connect()
        let counts = try #require(try check.query(
            "SELECT count(*) AS n, count(DISTINCT linkedid) AS d FROM calljournal.calls").first)
        #expect(counts.cells == ["3100", "3100"])
    }

    @Test func aCallPostgreSQLRejectsIsQuarantinedAndTheRestWritten() async throws {
        let database = try TestDatabase.create()
        let spoolDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("cj-writer-\(UUID().uuidString)")
        let writer = try makeWriter(database, spool: spoolDirectory)
        var bad = call(5)
        bad.talkSeconds = -3   // breaks CHECK (talk_seconds >= 0)
        writer.submit((0 ..< 10).map { CallUpdate.finished($0 == 5 ? bad : call($0), .none) })
        await writer.flush()
        let statistics = await writer.statistics
        #expect(statistics.quarantinedCalls == 1)
        let rows = try database.connect().query("SELECT count(*) AS n FROM calljournal.calls")
        #expect(rows.cells == [["9"]])
        let files = try FileManager.default.contentsOfDirectory(atPath: spoolDirectory.appendingPathComponent("quarantine").path)
        #expect(files.count == 1)
        #expect(files.first?.contains("1795358807.5") == true)
        let text = try String(contentsOf: spoolDirectory.appendingPathComponent("quarantine/\(files[0])"), encoding: .utf8)
        #expect(text.contains("23514"))
    }

    /// A record that passes its checksum but does not decode (another version's format) is kept byte for byte in
    /// the quarantine directory; the records around it are written and the segment is removed.
    @Test func anUnreadableSpoolRecordIsQuarantinedByteForByteAndTheRestWritten() async throws {
        let database = try TestDatabase.create()
        let spoolDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("cj-writer-\(UUID().uuidString)")
        let unreadable = Array("{\"format\": \"from another version\"}".utf8)
        do {
            let spool = try Spool(directory: spoolDirectory, maximumBytes: 1 << 30)
            try spool.append(Array(try JSONEncoder().encode(JournalBatch((0 ..< 5).map { CallUpdate.finished(call($0), .none) }))))
            try spool.append(unreadable)
            try spool.append(Array(try JSONEncoder().encode(JournalBatch((5 ..< 10).map { CallUpdate.finished(call($0), .none) }))))
        }
        let writer = try makeWriter(database, spool: spoolDirectory)
        await writer.flush()
        let statistics = await writer.statistics
        #expect(statistics.spoolBytes == 0)
        #expect(statistics.recordsDrained == 2)
        #expect(statistics.quarantinedCalls == 1)
        let rows = try database.connect().query("SELECT count(*) AS n FROM calljournal.calls")
        #expect(rows.cells == [["10"]])
        let quarantine = spoolDirectory.appendingPathComponent("quarantine")
        let files = try FileManager.default.contentsOfDirectory(atPath: quarantine.path)
        #expect(files.count == 1)
        #expect(files.first?.hasSuffix(".record") == true)
        #expect(try Data(contentsOf: quarantine.appendingPathComponent(files[0])) == Data(unreadable))
    }

    /// Flushes from several places at once (the writer's loop and a reconcile per PBX) while the spool drains after
    /// an outage: each call arrives exactly once, and no spool file is left behind.
    @Test func concurrentFlushesDuringADrainLoseNothing() async throws {
        let database = try TestDatabase.create()
        let admin = try PostgresConnection.connect(PostgresConnectionSettings(connectionString: "dbname=postgres"))
        let spoolDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("cj-writer-\(UUID().uuidString)")
        let writer = try makeWriter(database, spool: spoolDirectory)
        try admin.query("ALTER DATABASE \(admin.quoteIdentifier(database.name)) ALLOW_CONNECTIONS false")
        for chunk in stride(from: 0, to: 2_000, by: 200) {
            writer.submit((chunk ..< chunk + 200).map { CallUpdate.finished(call($0), .none) })
            await writer.flush()
        }
        #expect(await writer.statistics.recordsSpooled == 10)
        try admin.query("ALTER DATABASE \(admin.quoteIdentifier(database.name)) ALLOW_CONNECTIONS true")
        await withTaskGroup(of: Void.self) { group in
            for round in 0 ..< 8 {
                group.addTask {
                    writer.submit((2_000 + round * 100 ..< 2_100 + round * 100).map { CallUpdate.finished(self.call($0), .none) })
                    await writer.flush()
                }
            }
        }
        await writer.flush()
        let statistics = await writer.statistics
        #expect(statistics.spoolBytes == 0)
        #expect(statistics.pendingUpdates == 0)
        let counts = try #require(try database.connect().query(
            "SELECT count(*) AS n, count(DISTINCT linkedid) AS d FROM calljournal.calls").first)
        #expect(counts.cells == ["2800", "2800"])
        let left = try FileManager.default.contentsOfDirectory(atPath: spoolDirectory.path).filter { $0.hasSuffix(".spool") }
        #expect(left.isEmpty)
    }

    /// A batch over a limit of one statement (here `statement_timeout`, behind a row lock held elsewhere) is written
    /// call by call: the other calls go in at once, the blocked one is kept and written once the lock is gone, and
    /// nothing is quarantined for a timeout.
    @Test func aBatchOverStatementTimeoutIsWrittenCallByCallAndTheBlockedCallLater() async throws {
        let database = try TestDatabase.create()
        let admin = try PostgresConnection.connect(PostgresConnectionSettings(connectionString: "dbname=postgres"))
        try admin.query("ALTER DATABASE \(admin.quoteIdentifier(database.name)) SET statement_timeout = '300ms'")
        let spoolDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("cj-writer-\(UUID().uuidString)")
        let writer = try makeWriter(database, spool: spoolDirectory)
        writer.submit([CallUpdate.changed(call(5))])
        await writer.flush()

        let locker = try database.connect()
        try locker.query("SET statement_timeout = 0")
        try locker.query("BEGIN")
        try locker.query("SELECT linkedid FROM calljournal.calls WHERE linkedid = $1 FOR UPDATE", "1795358807.5")
        var later = call(5)
        later.talkSeconds = 99
        later.lastEventAt = later.lastEventAt + 60
        writer.submit((0 ..< 10).map { CallUpdate.finished($0 == 5 ? later : call($0), .none) })
        await writer.flush()
        let during = await writer.statistics
        #expect(during.quarantinedCalls == 0)
        #expect(during.recordsSpooled == 1, "the blocked call waits in the spool")
        let rows = try database.connect().query(
            "SELECT count(*) FILTER (WHERE ended_at IS NOT NULL AND linkedid <> $1) AS written, "
                + "max(talk_seconds) FILTER (WHERE linkedid = $1) AS blocked FROM calljournal.calls", "1795358807.5")
        #expect(rows.cells == [["9", "28.000"]], "the nine others are in; the blocked call still has its old version")

        try locker.query("COMMIT")
        await writer.flush()
        let after = await writer.statistics
        #expect(after.spoolBytes == 0)
        let blocked = try database.connect().query("SELECT talk_seconds FROM calljournal.calls WHERE linkedid = $1", "1795358807.5")
        #expect(blocked.cells == [["99.000"]])
    }

    /// A full batch wakes the writer at once; it does not wait for the flush interval.
    @Test func aFullBatchIsWrittenBeforeTheFlushInterval() async throws {
        let database = try TestDatabase.create()
        let spoolDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("cj-writer-\(UUID().uuidString)")
        let client = PostgresClient(settings: database.settings, logger: Logger(label: "test"))
        let writer = JournalWriter(
            client: client, spool: try Spool(directory: spoolDirectory, maximumBytes: 1 << 30),
            configuration: .init(batchSize: 10, flushInterval: .seconds(60), quarantineDirectory: spoolDirectory.appendingPathComponent("quarantine")),
            logger: Logger(label: "test"))
        let running = Task { try await writer.run() }
        try await Task.sleep(for: .milliseconds(100))
        writer.submit((0 ..< 10).map { CallUpdate.finished(call($0), .none) })
        let check = try database.connect()
        var written = ""
        for _ in 0 ..< 100 where written != "10" {
            try await Task.sleep(for: .milliseconds(50))
            written = try check.query("SELECT count(*) AS n FROM calljournal.calls").cells.first?.first.flatMap { $0 } ?? ""
        }
        running.cancel()
        try await running.value
        #expect(written == "10")
    }

    /// After a reconnect the writer closes the calls the journal shows in progress but Asterisk no longer has, after
    /// writing what it holds: a call it just finished is not closed as ended while disconnected.
    @Test func closingCallsEndedWhileDownWritesWhatTheWriterHoldsFirst() async throws {
        let database = try TestDatabase.create()
        let spoolDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("cj-writer-\(UUID().uuidString)")
        let writer = try makeWriter(database, spool: spoolDirectory)
        var open = [call(1), call(2), call(3)]
        for index in open.indices {
            open[index].status = .inProgress
            open[index].endedAt = nil
            open[index].talkSeconds = nil
            open[index].lastEventAt = open[index].startedAt
        }
        writer.submit(open.map { CallUpdate.changed($0) })
        await writer.flush()
        writer.submit([CallUpdate.finished(call(1), .none)])
        let closed = try await writer.closeCallsEndedWhileDown(pbx: "main", liveLinkedids: ["1795358807.3"])
        #expect(closed == 1)
        let rows = try database.connect().query(
            "SELECT linkedid, ended_while_disconnected::text AS gap FROM calljournal.calls ORDER BY linkedid")
        #expect(rows.cells == [["1795358807.1", "false"], ["1795358807.2", "true"], ["1795358807.3", "false"]])
    }
}
