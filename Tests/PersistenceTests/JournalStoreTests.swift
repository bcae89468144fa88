import CallTracking
import Foundation
import Persistence
import Testing

@Suite("Journal writer (needs PostgreSQL)")
struct JournalStoreTests {
    let connection: PostgresConnection
    let store: JournalStore
    let t0 = Date(timeIntervalSince1970: 1_795_358_807)

    init() throws {
        connection = try TestDatabase.create().connect()
        store = JournalStore(connection: connection)
        try connection.execute(script: """
            INSERT INTO calljournal.departments (name) VALUES ('Sales'), ('Support');
            INSERT INTO calljournal.employees (full_name, extension) OVERRIDING SYSTEM VALUE
                SELECT 'Agent ' || x, x::text FROM generate_series(101, 102) x;
            INSERT INTO calljournal.employee_departments
                SELECT e.id, d.id FROM calljournal.employees e, calljournal.departments d WHERE e.extension = '101' AND d.name = 'Sales';
            INSERT INTO calljournal.tracking_numbers VALUES ('5551000', 'google', 'cpc', 'spring');
            """)
    }

    func employeeID(_ extensionNumber: String) throws -> Int64 {
        try #require(try connection.query("SELECT id FROM calljournal.employees WHERE extension = $1", extensionNumber)
            .first?.decode("id", as: Int64.self))
    }

    /// An inbound call from `caller` to DID 5551000, in progress or answered by 101 and finished.
    func inbound(_ linkedid: String, from caller: String, at start: Date, answered: Bool = true, finished: Bool = true) throws -> CallRecord {
        var record = CallRecord(pbx: "main", linkedid: linkedid, direction: .inbound, startedAt: start)
        record.callerNumber = caller
        record.calledNumber = "5551000"
        record.didNumber = "5551000"
        record.reachedEmployee = true
        var leg = CallLeg(uniqueid: linkedid + "1", channel: "PJSIP/101-0000000\(linkedid.suffix(1))", endpoint: "101",
                          legOrder: 1, startedAt: start)
        leg.employeeID = try employeeID("101")
        leg.employeeExtension = "101"
        if answered {
            record.answeredAt = start + 3
            record.answeredEmployeeID = leg.employeeID
            record.answeredExtension = "101"
            leg.answeredAt = start + 3
            leg.disposition = .answered
        }
        if finished {
            record.endedAt = start + 40
            leg.endedAt = start + 40
            leg.endedBy = .hangup
            record.status = answered ? .answered : .missed
            record.waitSeconds = answered ? 3 : 40
            record.talkSeconds = answered ? 37 : 0
            record.isTarget = answered
            record.hungUpFirst = .client
            record.hangupCause = 16
            record.hangupCauseText = "Normal Clearing"
            if !answered { leg.disposition = .noAnswer }
        }
        record.legs = [leg]
        record.lastEventAt = record.endedAt ?? record.answeredAt ?? start
        return record
    }

    func calls() throws -> PostgresRows {
        try connection.query("""
            SELECT linkedid, status, is_new_caller, department_names, source, campaign, wait_seconds, talk_seconds,
                   (SELECT count(*) FROM calljournal.call_legs l WHERE l.call_id = c.id) AS legs
              FROM calljournal.calls c ORDER BY started_at
            """)
    }

    @Test func aCallIsWrittenInProgressThenCompleted() throws {
        try store.write(JournalBatch([.started(try inbound("1.0", from: "79161234567", at: t0, answered: false, finished: false))]))
        #expect(try calls().first?["status"] == "in_progress")
        try store.write(JournalBatch([.finished(try inbound("1.0", from: "79161234567", at: t0), .none)]))
        let row = try #require(try calls().first)
        #expect(row["status"] == "answered")
        #expect(row["wait_seconds"] == "3.000")
        #expect(row["talk_seconds"] == "37.000")
        #expect(row["department_names"] == "{Sales}")
        #expect(row["source"] == "google")
        #expect(row["campaign"] == "spring")
        #expect(row["legs"] == "1")
    }

    @Test func replayingABatchChangesNothing() throws {
        let batch = JournalBatch([
            .finished(try inbound("1.0", from: "79160000001", at: t0, answered: false), .openOrJoin(
                number: "79160000001", missedAt: t0 + 40, deadline: t0 + 40 + 4 * 3600)),
            .finished(try inbound("2.0", from: "79160000002", at: t0 + 5), .none),
        ])
        try store.write(batch)
        let before = try snapshot()
        try store.write(batch)
        try store.write(batch)
        #expect(try snapshot() == before)
        #expect(try connection.query("SELECT missed_count FROM calljournal.callback_tasks").cells == [["1"]])
    }

    @Test func anOlderVersionNeverOverwritesANewerOne() throws {
        try store.write(JournalBatch([.finished(try inbound("1.0", from: "79161234567", at: t0), .none)]))
        // The call's start arrives again (a spool replay after the final row was written).
        try store.write(JournalBatch([.started(try inbound("1.0", from: "79161234567", at: t0, answered: false, finished: false))]))
        let row = try #require(try calls().first)
        #expect(row["status"] == "answered")
        #expect(row["legs"] == "1")
    }

    @Test func theNewCallerFlagLooksAtEarlierCallsOnly() throws {
        try store.write(JournalBatch([
            .finished(try inbound("2.0", from: "79161234567", at: t0 + 3600), .none),
            .finished(try inbound("3.0", from: "79035556677", at: t0 + 7200), .none),
        ]))
        try store.write(JournalBatch([.finished(try inbound("1.0", from: "79161234567", at: t0), .none)]))
        let flags = try calls().cells.map { [$0[0], $0[2]] }
        // 1.0 is written last but happened first: the flag is decided by time, and 2.0 keeps what it was given.
        #expect(flags == [["1.0", "t"], ["2.0", "t"], ["3.0", "t"]])
        try store.write(JournalBatch([.finished(try inbound("4.0", from: "79161234567", at: t0 + 9000), .none)]))
        #expect(try calls().cells.last?[2] == "f")
    }

    @Test func missedCallsOpenAndJoinACallbackTaskThatAConversationCloses() throws {
        let number = "79167654321"
        func missed(_ id: String, _ start: Date) throws -> CallUpdate {
            .finished(try inbound(id, from: number, at: start, answered: false),
                      .openOrJoin(number: number, missedAt: start + 40, deadline: start + 40 + 14_400))
        }
        try store.write(JournalBatch([try missed("1.0", t0)]))
        try store.write(JournalBatch([try missed("2.0", t0 + 600)]))
        var task = try #require(try connection.query("""
            SELECT status, missed_count, first_missed_at = $1 AS first_ok, last_missed_at = $2 AS last_ok,
                   deadline = $3 AS deadline_ok FROM calljournal.callback_tasks
            """, t0 + 40, t0 + 640, t0 + 40 + 14_400).first)
        #expect(task["status"] == "open")
        #expect(task["missed_count"] == "2")
        #expect([task["first_ok"], task["last_ok"], task["deadline_ok"]] == ["t", "t", "t"])

        try store.write(JournalBatch([.finished(try inbound("3.0", from: number, at: t0 + 1200), .close(number: number, at: t0 + 1203))]))
        task = try #require(try connection.query("""
            SELECT t.status, c.linkedid FROM calljournal.callback_tasks t JOIN calljournal.calls c ON c.id = t.closed_by_call_id
            """).first)
        #expect(task["status"] == "done")
        #expect(task["linkedid"] == "3.0")

        // A later miss opens a new task; the closed one stays closed.
        try store.write(JournalBatch([try missed("4.0", t0 + 5000)]))
        #expect(try connection.query("SELECT status FROM calljournal.callback_tasks ORDER BY id").cells == [["done"], ["open"]])
    }

    @Test func operatorColumnsSurviveLaterEvents() throws {
        try store.write(JournalBatch([.changed(try inbound("1.0", from: "79161234567", at: t0, finished: false))]))
        try connection.query("UPDATE calljournal.calls SET value = 500, comment = 'keep me' WHERE linkedid = '1.0'")
        try store.write(JournalBatch([.finished(try inbound("1.0", from: "79161234567", at: t0), .none)]))
        let row = try #require(try connection.query("SELECT value, comment, status FROM calljournal.calls").first)
        #expect(row.cells == ["500.00", "keep me", "answered"])
    }

    @Test func aBatchIsAllOrNothing() throws {
        var bad = try inbound("2.0", from: "79160000002", at: t0)
        bad.waitSeconds = -1   // violates CHECK (wait_seconds >= 0)
        let batch = JournalBatch([.finished(try inbound("1.0", from: "79160000001", at: t0), .none), .finished(bad, .none)])
        #expect(throws: PostgresError.self) { try store.write(batch) }
        #expect(try calls().isEmpty)
    }

    func snapshot() throws -> [[String?]] {
        try connection.query("""
            SELECT c.*, l.*, t.* FROM calljournal.calls c
              LEFT JOIN calljournal.call_legs l ON l.call_id = c.id
              LEFT JOIN calljournal.callback_tasks t ON t.first_missed_call_id = c.id
             ORDER BY c.id, l.id
            """).cells
    }

    /// A caller controls their number and name: each control byte, NUL included, is stored as `?` and cannot keep
    /// the call (or the rest of its batch) out of the journal.
    @Test func controlBytesFromTheCallerCannotFailABatch() throws {
        let bytes = Array(0x00 ... 0x1F) + [0x7F]
        var batch = JournalBatch()
        for (index, byte) in bytes.enumerated() {
            let hostile = "7916" + String(UnicodeScalar(UInt8(byte))) + "\(1_000_000 + index)"
            var record = try inbound("9.\(index)", from: hostile, at: t0 + Double(index), answered: false)
            record.callerName = "Ivan" + String(UnicodeScalar(UInt8(byte)))
            record.recordingFile = "/rec/\(index)" + String(UnicodeScalar(UInt8(byte))) + ".wav"
            let decision = CallbackDecision.openOrJoin(number: hostile, missedAt: t0 + Double(index), deadline: t0 + 3600)
            batch.add(.finished(record, decision))
        }
        try store.write(batch)
        let rows = try connection.query(
            "SELECT caller_number, caller_name, client_number FROM calljournal.calls ORDER BY started_at")
        #expect(rows.count == bytes.count)
        for (index, row) in rows.enumerated() {
            #expect(row["caller_number"] == "7916?\(1_000_000 + index)")
            #expect(row["client_number"] == row["caller_number"])
            #expect(row["caller_name"] == "Ivan?")
        }
        #expect(try connection.query("SELECT count(*) AS n FROM calljournal.callback_tasks").first?["n"] == "\(bytes.count)")
    }
}
