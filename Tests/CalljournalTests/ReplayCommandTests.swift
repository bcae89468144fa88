import Foundation
import TestFixtures
import Testing

@Suite("replay command")
struct ReplayCommandTests {
    let runner = CommandRunner()

    func trace(_ scenario: String) -> String {
        Fixtures.scenario(scenario).appendingPathComponent("ami.raw").path
    }

    @Test func dryRunPrintsTheFinishedCallsAsJSONWithoutADatabase() throws {
        let result = try runner.run(["replay", "--dry-run", trace("S7"), trace("S8"), "--database-url", "host=127.0.0.1 port=1"])
        #expect(result.status == 0, "\(result.standardError)")
        let calls = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]])
        #expect(calls.map { $0["direction"] as? String } == ["outbound", "inbound"])
        #expect(calls[0]["shownNumber"] as? String == "74951234567")
        #expect(calls[0]["dialedNumber"] as? String == "74951112233")
        let legs = try #require(calls[1]["legs"] as? [[String: Any]])
        #expect(legs.map { $0["endedBy"] as? String } == ["blind_transfer", "hangup"])
        #expect(result.standardError.contains("2 call(s) finished"))
    }

    /// A capture from Asterisk 11 (AMI 1.3) has no Linkedid: refused, naming the version, instead of giving a call
    /// per channel.
    @Test func aRecordingWithoutLinkedidIsRefused() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ami-1.3-\(UUID().uuidString).raw")
        try Data("""
            Asterisk Call Manager/1.3\r
            Event: Newchannel\r
            Channel: SIP/provider-00000001\r
            Uniqueid: 1800000000.1\r
            \r

            """.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try runner.run(["replay", "--dry-run", file.path])
        #expect(result.status == 65)
        #expect(result.standardError.contains("Asterisk Call Manager/1.3"))
        #expect(result.standardError.contains("Asterisk 11 or older"))
    }

    @Test func anUnreadableFileIsAClearError() throws {
        let result = try runner.run(["replay", "--dry-run", "/nonexistent/ami.raw"])
        #expect(result.status == 66)
        #expect(result.standardError.contains("cannot read /nonexistent/ami.raw"))
    }
}

@Suite("replay into the journal (needs PostgreSQL)")
struct ReplayIntoJournalTests {
    @Test func replayingATraceTwiceLeavesOneRowPerCall() throws {
        let database = try ScratchDatabase.create()
        let runner = CommandRunner()
        #expect(try runner.run(["migrate", "--database-url", database.url]).status == 0)
        let files = Fixtures.scenarios.map { Fixtures.scenario($0).appendingPathComponent("ami.raw").path }
        var snapshots: [[String]] = []
        for _ in 0 ..< 2 {
            let result = try runner.run(["replay"] + files + ["--pbx", "lab", "--database-url", database.url])
            #expect(result.status == 0, "\(result.standardError)")
            snapshots.append(try database.query("""
                SELECT concat_ws('|', linkedid, status, updated_at) FROM calljournal.calls ORDER BY linkedid
                """) + database.query("SELECT concat_ws('|', caller_number, missed_count, updated_at) FROM calljournal.callback_tasks"))
        }
        #expect(try database.query("SELECT count(*), count(DISTINCT linkedid) FROM calljournal.calls WHERE pbx = 'lab'") == ["27|27"])
        #expect(snapshots[0] == snapshots[1], "the second replay changed nothing")
    }
}
