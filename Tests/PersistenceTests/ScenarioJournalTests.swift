import AMIModel
import Foundation
import Persistence
import TestFixtures
import Testing

/// Every recorded scenario through the tracker and the writer into a real PostgreSQL, checked against the
/// facts its scenario.md states.
@Suite("Recorded scenarios into the journal (needs PostgreSQL)")
struct ScenarioJournalTests {
    /// One call as the journal must show it.
    struct Expected: Sendable, CustomTestStringConvertible {
        var scenario: String
        var caller: String
        var direction: String
        var status: String
        var answeredBy: String?
        var hungUpFirst: String?
        var did: String?
        var wait: Double
        var talk: Double
        var legs: String?
        var shown: String? = nil
        var dialed: String? = nil
        var queue: String? = nil
        var task: String? = nil
        /// The employee the call counts for when it is not who answered: who placed an unanswered outbound call.
        var placedBy: String? = nil
        var testDescription: String { "\(scenario) \(caller)" }
    }

    static let expectations: [Expected] = [
        Expected(scenario: "S1", caller: "79161234567", direction: "inbound", status: "answered", answeredBy: "101",
                 hungUpFirst: "client", did: "5551000", wait: 3, talk: 6, legs: "1:101:answered:hangup"),
        Expected(scenario: "S2", caller: "79035556677", direction: "inbound", status: "answered", answeredBy: "101",
                 hungUpFirst: "employee", did: "5551000", wait: 2, talk: 5, legs: "1:101:answered:hangup"),
        Expected(scenario: "S3", caller: "79167654321", direction: "inbound", status: "missed", answeredBy: nil,
                 hungUpFirst: "system", did: "5551000", wait: 20, talk: 0, legs: "1:101:no_answer:hangup", task: "open:1"),
        Expected(scenario: "S4", caller: "79261112233", direction: "inbound", status: "busy", answeredBy: nil,
                 hungUpFirst: "system", did: "5551000", wait: 1.5, talk: 0, legs: "1:101:busy:hangup", task: "open:1"),
        Expected(scenario: "S5", caller: "79854443322", direction: "inbound", status: "abandoned", answeredBy: nil,
                 hungUpFirst: "client", did: "5551000", wait: 4, talk: 0, legs: "1:101:cancelled:hangup", task: "open:1"),
        Expected(scenario: "S6", caller: "101", direction: "internal", status: "answered", answeredBy: "102",
                 hungUpFirst: "caller", did: nil, wait: 2, talk: 5, legs: "1:101:answered:hangup 2:102:answered:hangup"),
        Expected(scenario: "S7", caller: "102", direction: "outbound", status: "answered", answeredBy: "102",
                 hungUpFirst: "employee", did: nil, wait: 3, talk: 5, legs: "1:102:answered:hangup",
                 shown: "74951234567", dialed: "74951112233"),
        Expected(scenario: "S8", caller: "79031234500", direction: "inbound", status: "answered", answeredBy: "101",
                 hungUpFirst: "client", did: "5551000", wait: 2, talk: 9,
                 legs: "1:101:answered:blind_transfer 2:102:answered:hangup"),
        Expected(scenario: "S9", caller: "79037778899", direction: "inbound", status: "answered", answeredBy: "101",
                 hungUpFirst: "employee", did: "5551000", wait: 2, talk: 9.0,
                 legs: "1:101:answered:attended_transfer 2:103:answered:hangup"),
        Expected(scenario: "S10", caller: "79165550101", direction: "inbound", status: "answered", answeredBy: "102",
                 hungUpFirst: "employee", did: "5551200", wait: 3, talk: 5,
                 legs: "1:101:cancelled:hangup 2:102:answered:hangup", queue: "support"),
        Expected(scenario: "S11", caller: "79169990011", direction: "inbound", status: "answered", answeredBy: "101",
                 hungUpFirst: "employee", did: "5551000", wait: 2, talk: 5,
                 legs: "1:101:answered:hangup 2:102:cancelled:hangup"),
        Expected(scenario: "S12", caller: "79160000001", direction: "inbound", status: "answered", answeredBy: "101",
                 hungUpFirst: "client", did: "5551000", wait: 2, talk: 8, legs: "1:101:answered:hangup"),
        Expected(scenario: "S12", caller: "79160000002", direction: "inbound", status: "answered", answeredBy: "102",
                 hungUpFirst: "employee", did: "5551001", wait: 3, talk: 4, legs: "1:102:answered:hangup"),
        Expected(scenario: "S13", caller: "79267778800", direction: "inbound", status: "answered", answeredBy: "101",
                 hungUpFirst: "client", did: "5551000", wait: 2, talk: 4, legs: "1:101:answered:hangup"),
        Expected(scenario: "S14", caller: "79161002030", direction: "inbound", status: "answered",
                 answeredBy: "79001110202", hungUpFirst: "client", did: "5551003", wait: 3, talk: 6,
                 legs: "1:79001110202:answered:hangup"),
        Expected(scenario: "S15", caller: "79162003040", direction: "inbound", status: "answered",
                 answeredBy: "79001110303", hungUpFirst: "employee", did: "5551015", wait: 3, talk: 5,
                 legs: "1:101:cancelled:hangup 2:79001110303:answered:hangup"),
        Expected(scenario: "S16", caller: "101", direction: "outbound", status: "answered", answeredBy: "101",
                 hungUpFirst: "client", did: nil, wait: 3, talk: 6, legs: "1:101:answered:hangup",
                 shown: "74951234567", dialed: "79263334455"),
        Expected(scenario: "S17", caller: "102", direction: "outbound", status: "busy", answeredBy: nil,
                 hungUpFirst: "system", did: nil, wait: 1, talk: 0, legs: "1:102:answered:hangup",
                 shown: "74951234567", dialed: "79264445566", placedBy: "102"),
        Expected(scenario: "S18", caller: "79035551818", direction: "inbound", status: "answered", answeredBy: "101",
                 hungUpFirst: "client", did: "5551000", wait: 2, talk: 9.1,
                 legs: "1:101:answered:blonde_transfer 2:103:answered:hangup"),
        Expected(scenario: "S19", caller: "79036661919", direction: "inbound", status: "answered", answeredBy: "102",
                 hungUpFirst: "client", did: "5551000", wait: 3, talk: 5,
                 legs: "1:101:cancelled:picked_up 2:102:answered:hangup"),
        Expected(scenario: "S20", caller: "79037772020", direction: "inbound", status: "abandoned", answeredBy: nil,
                 hungUpFirst: "client", did: "5551200", wait: 8, talk: 0,
                 legs: "1:101:cancelled:hangup 2:102:cancelled:hangup", queue: "support", task: "open:1"),
        Expected(scenario: "S21", caller: "79038882121", direction: "inbound", status: "abandoned", answeredBy: nil,
                 hungUpFirst: "client", did: "5551300", wait: 4.5, talk: 0, legs: nil, task: "open:1"),
        Expected(scenario: "S22", caller: "79039992222", direction: "inbound", status: "answered", answeredBy: "101",
                 hungUpFirst: "employee", did: "5551000", wait: 2, talk: 9.3,
                 legs: "1:101:answered:attended_transfer 2:74957654321:answered:hangup"),
        Expected(scenario: "S23", caller: "79040002323", direction: "inbound", status: "answered", answeredBy: "101",
                 hungUpFirst: "client", did: "5551000", wait: 2, talk: 9,
                 legs: "1:101:answered:parked 2:102:answered:hangup"),
    ]

    @Test(arguments: expectations)
    func theJournalShowsWhatHappened(_ expected: Expected) throws {
        var journal = try TraceJournal.seeded(try TestDatabase.create())
        try journal.replay(try TraceJournal.events(expected.scenario))
        let row = try #require(try journal.connection.query("""
            SELECT c.*, e.extension AS employee_extension,
                   (SELECT a.extension FROM calljournal.employees a WHERE a.id = c.employee_id) AS attributed_extension,
                   (SELECT string_agg(l.leg_order || ':' || coalesce(l.external_number, l.endpoint) || ':'
                                      || l.disposition || ':' || l.ended_by, ' ' ORDER BY l.leg_order)
                      FROM calljournal.call_legs l WHERE l.call_id = c.id) AS legs,
                   (SELECT t.status || ':' || t.missed_count FROM calljournal.callback_tasks t
                     WHERE t.caller_number = c.caller_number) AS task
              FROM calljournal.calls c LEFT JOIN calljournal.employees e ON e.id = c.answered_employee_id
             WHERE c.caller_number = $1
            """, expected.caller).first, "no call from \(expected.caller)")
        #expect(row["direction"] == expected.direction)
        #expect(row["status"] == expected.status)
        #expect(row["consultation_for"] == nil)
        #expect(row["seen_in_part"] == "f")
        #expect(row["answered_extension"] == expected.answeredBy)
        // An outside number that answered (an employee's mobile, S14) is nobody's in this directory.
        let answeringEmployee = expected.answeredBy.flatMap { $0.count == 3 ? $0 : nil }
        #expect(row["employee_extension"] == answeringEmployee, "the answering employee is linked by id")
        // Reports count the call for who answered it, or on outbound calls for who placed it (S7: 102).
        #expect(row["attributed_extension"] == (expected.placedBy ?? answeringEmployee))
        #expect(row["hung_up_first"] == expected.hungUpFirst)
        #expect(row["did"] == expected.did)
        #expect(row["shown_number"] == expected.shown)
        #expect(row["dialed_number"] == expected.dialed)
        #expect(row["queue_name"] == expected.queue)
        #expect(row["legs"] == expected.legs)
        #expect(row["task"] == expected.task)
        #expect(abs(try row.decode("wait_seconds", as: Double.self) - expected.wait) <= 1)
        #expect(abs((try row.decodeIfPresent("talk_seconds", as: Double.self) ?? 0) - expected.talk) <= 1)
        #expect(row["ended_at"] != nil)
        if expected.direction == "inbound" {
            // MixMonitor's file of a call nobody talked on is an empty header: not named.
            let named = row["recording_file"]?.hasPrefix("/var/lib/asterisk-lab/recordings/") ?? false
            #expect(named == (expected.status == "answered"))
            #expect(row["source"] != nil, "the DID's source label is copied")
            #expect(row["is_new_caller"] == "t")
        }
        if let answeredBy = answeringEmployee, expected.direction == "inbound" {
            let department = ["101": "Sales", "103": "Sales"][answeredBy] ?? "Support"
            #expect(row["department_names"] == "{\(department)}")
        }
    }

    @Test func aConversationWithTheCallerClosesTheirCallbackTask() throws {
        var journal = try TraceJournal.seeded(try TestDatabase.create())
        try journal.replay(try TraceJournal.events("S3"))
        // S3's caller calls again later and is answered: S13's call, with S3's number in place of S13's caller.
        let callback = try TraceJournal.events("S13").map { $0.replacingValues("79267778800", with: "79167654321") }
        try journal.replay(callback)
        let task = try #require(try journal.connection.query("""
            SELECT t.status, t.missed_count, c.linkedid AS closed_by FROM calljournal.callback_tasks t
              JOIN calljournal.calls c ON c.id = t.closed_by_call_id
            """).first)
        #expect(task["status"] == "done")
        #expect(task["missed_count"] == "1")
        #expect(task["closed_by"] == "1795358998.31")
    }

    @Test func interleavedScenariosGiveTheSameJournalAsEachAlone() throws {
        var alone = try TraceJournal.seeded(try TestDatabase.create())
        var streams: [[AMIMessage]] = []
        for scenario in Fixtures.scenarios {
            let events = try TraceJournal.events(scenario)
            streams.append(events)
            try alone.replay(events)
        }
        var interleaved = try TraceJournal.seeded(try TestDatabase.create())
        var merged: [AMIMessage] = []
        var positions = Array(repeating: 0, count: streams.count)
        while merged.count < streams.reduce(0, { $0 + $1.count }) {
            for index in streams.indices where positions[index] < streams[index].count {
                merged.append(streams[index][positions[index]])
                positions[index] += 1
            }
        }
        try interleaved.replay(merged, batchSize: 7)
        let (a, b) = (try interleaved.contents(), try alone.contents())
        for (x, y) in zip(a, b) where x != y { Issue.record("interleaved \(x)\n      alone \(y)") }
        #expect(a == b)
        // 24 calls of the scenarios' clients and the consultation calls of S9, S18 and S22.
        #expect(try alone.contents().count == 27)
    }

    @Test func replayingTheSameTraceTwiceChangesNothing() throws {
        let database = try TestDatabase.create()
        var journal = try TraceJournal.seeded(database)
        let events = try Fixtures.scenarios.flatMap { try TraceJournal.events($0) }
        try journal.replay(events)
        let once = try journal.connection.query("SELECT * FROM calljournal.calls ORDER BY id").cells
        let tasks = try journal.connection.query("SELECT * FROM calljournal.callback_tasks ORDER BY id").cells
        // A restarted daemon replays with a fresh tracker.
        var again = try TraceJournal.seeded(try TestDatabase.create())
        again = TraceJournal(connection: journal.connection, tracker: again.tracker)
        try again.replay(events)
        #expect(try journal.connection.query("SELECT * FROM calljournal.calls ORDER BY id").cells == once)
        #expect(try journal.connection.query("SELECT * FROM calljournal.callback_tasks ORDER BY id").cells == tasks)
    }
}

extension AMIMessage {
    /// The same message with every value equal to `old` replaced by `new`.
    func replacingValues(_ old: String, with new: String) -> AMIMessage {
        AMIMessage(fields.map { ($0.key, $0.value == old ? new : $0.value) })
    }
}
