import AMIClient
import AMIModel
import CallTracking
import Foundation
import Persistence
import TestFixtures

/// Replays recorded scenarios through the real tracker and journal writer into a test database.
struct TraceJournal {
    let connection: PostgresConnection
    var tracker: CallTracker

    /// A database with the lab's directory: employees 101–104 on SIP accounts of the same names, two departments,
    /// tracking numbers for the recorded DIDs.
    static func seeded(_ database: TestDatabase) throws -> TraceJournal {
        let connection = try database.connect()
        try connection.execute(script: """
            INSERT INTO calljournal.departments (name) VALUES ('Sales'), ('Support');
            INSERT INTO calljournal.employees (full_name, extension)
                SELECT 'Agent ' || x, x::text FROM generate_series(101, 104) x;
            INSERT INTO calljournal.employee_endpoints (employee_id, kind, address)
                SELECT id, 'sip', extension FROM calljournal.employees;
            INSERT INTO calljournal.employee_departments
                SELECT e.id, d.id FROM calljournal.employees e JOIN calljournal.departments d
                    ON (d.name = 'Sales') = (e.extension IN ('101', '103'));
            INSERT INTO calljournal.tracking_numbers VALUES
                ('5551000', 'google', 'cpc', 'brand'), ('5551001', 'yandex', 'cpc', NULL), ('5551200', 'site', 'organic', NULL),
                ('5551003', 'site', 'mobile', NULL), ('5551015', 'site', 'group', NULL), ('5551300', 'site', 'ivr', NULL);
            """)
        // The lab's SIP accounts are the employees' extensions, each with one account.
        let employees = try DirectoryReader(connection: connection).load().employees.flatMap { employee in
            employee.sipAccounts.map { ($0, TrackedEmployee(id: employee.id, extensionNumber: employee.extensionNumber)) }
        }
        let directory = EndpointDirectory(employeesByEndpoint: Dictionary(uniqueKeysWithValues: employees), trunkEndpoints: ["trunk"])
        return TraceJournal(connection: connection,
                            tracker: CallTracker(configuration: CallTrackerConfiguration(pbx: "lab"), directory: directory))
    }

    /// The events of a scenario's `ami.raw`.
    static func events(_ scenario: String) throws -> [AMIMessage] {
        AMIRecording(bytes: try Fixtures.data(scenario, "ami.raw")).events
    }

    /// Feeds events to the tracker and writes what it reports, `batchSize` events per transaction.
    mutating func replay(_ events: [AMIMessage], batchSize: Int = 64) throws {
        let store = JournalStore(connection: connection)
        var batch = JournalBatch()
        for (index, event) in events.enumerated() {
            for update in tracker.handle(event, receivedAt: Date(timeIntervalSince1970: 0)) { batch.add(update) }
            if index % batchSize == batchSize - 1 {
                try store.write(batch)
                batch = JournalBatch()
            }
        }
        try store.write(batch)
    }

    /// Everything the journal holds, without surrogate keys and write times, for comparing two journals.
    func contents() throws -> [[String?]] {
        try connection.query("""
            SELECT c.pbx, c.linkedid, c.direction, c.status, c.answered_extension, c.hung_up_first, c.did,
                   c.shown_number, c.dialed_number, c.caller_number, c.client_number, c.started_at, c.answered_at,
                   c.ended_at, c.wait_seconds, c.talk_seconds, c.department_names::text, c.source, c.is_new_caller,
                   c.is_target, c.recording_file, c.queue_name, c.hangup_cause, c.hold_seconds, c.seen_in_part,
                   c.consultation_for, c.queue_position,
                   (SELECT string_agg(l.leg_order || ':' || l.endpoint || ':' || coalesce(l.disposition, '-') || ':'
                                      || coalesce(l.ended_by, '-') || ':' || coalesce(l.external_number, '-') || ':'
                                      || coalesce(l.hold_seconds::text, '-'), ' ' ORDER BY l.leg_order)
                      FROM calljournal.call_legs l WHERE l.call_id = c.id) AS legs,
                   (SELECT string_agg(t.status || ':' || t.missed_count, ' ') FROM calljournal.callback_tasks t
                     WHERE t.caller_number = c.client_number) AS tasks
              FROM calljournal.calls c ORDER BY c.linkedid
            """).cells
    }
}
