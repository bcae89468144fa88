import Foundation
import Testing

/// `report` and `export` against the hand-computed journal of Tests/SQL/known.sql (its comments show the sums).
@Suite("Report and export commands (needs PostgreSQL)")
struct ReportCommandTests {
    let database: ScratchDatabase
    let runner = CommandRunner()

    init() throws {
        database = try ScratchDatabase.create()
        let migrated = try runner.run(["migrate", "--database-url", database.url])
        #expect(migrated.status == 0, "\(migrated.standardError)")
        let known = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../SQL/known.sql").standardized.path
        let loaded = try ScratchDatabase.psql(["-d", database.name, "-q", "-1", "-f", known])
        #expect(loaded.status == 0, "\(loaded.standardError)")
    }

    func calljournal(_ arguments: String...) throws -> CommandRunner.Result {
        let result = try runner.run(arguments + ["--database-url", database.url])
        #expect(result.status == 0, "\(arguments): \(result.standardError)")
        return result
    }

    /// Runs a command that must be refused with `status` and a message containing `message`.
    func expectRefusal(_ arguments: [String], status: Int32, saying message: String? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try runner.run(arguments + ["--database-url", database.url])
        #expect(result.status == status, "\(arguments): \(result.standardError)", sourceLocation: sourceLocation)
        if let message {
            #expect(result.standardError.contains(message), "\(result.standardError)", sourceLocation: sourceLocation)
        }
    }

    @Test func summaryOfADayMatchesTheHandComputedFigures() throws {
        let csv = try calljournal("report", "summary", "--from", "2025-06-01", "--to", "2025-06-02", "--format", "csv")
        #expect(csv.standardOutput == """
            total_calls,answered_calls,target_calls,new_caller_calls,total_talk_seconds,avg_talk_seconds,avg_wait_seconds\r
            11,8,5,6,578.000,72.3,10.4\r

            """)
        let inbound = try calljournal("report", "summary", "--from", "2025-06-01", "--to", "2025-06-02",
                                      "--direction", "inbound", "--format", "csv")
        #expect(inbound.standardOutput.hasSuffix("7,5,3,5,490.000,98.0,13.6\r\n"))
        let employee = try calljournal("report", "summary", "--from", "2025-06-01", "--to", "2025-06-02",
                                       "--employee", "101", "--format", "csv")
        #expect(employee.standardOutput.hasSuffix("3,3,2,3,151.000,50.3,11.3\r\n"))
    }

    @Test func aDaySeriesIsCutInTheRequestedTimeZone() throws {
        // Dates without a zone are read in --time-zone: 2025-06-01 Moscow is 2025-05-31 21:00 UTC.
        let series = try calljournal("report", "summary", "--from", "2025-06-01", "--to", "2025-06-03", "--by", "day",
                                     "--time-zone", "Europe/Moscow", "--format", "csv")
        let rows = series.standardOutput.split(separator: "\r\n").dropFirst()
        #expect(rows == ["2025-06-01 00:00:00+03,9,6,4,4,268.000,44.7,8.5", "2025-06-02 00:00:00+03,3,3,2,2,360.000,120.0,14.7"])
    }

    /// The figures are those of check-known.sh ("efficiency: one day, every employee" and "callbacks: statuses…"),
    /// with numbers as JSON numbers and NULL as null.
    @Test func employeesAndCallbacksAsJSON() throws {
        let employees = try calljournal("report", "employees", "--from", "2025-06-01", "--to", "2025-06-02", "--format", "json")
        #expect(employees.standardOutput == """
            [
              {"employee_id":1,"full_name":"Анна Петрова","extension":"101","departments":"Sales","incoming_answered":2,"incoming_unique_numbers":2,"incoming_unique_numbers_total":5,"avg_wait_seconds":15.0,"outgoing_calls":1,"outgoing_unique_numbers":1,"outgoing_conversations":1,"total_talk_seconds":151.000,"avg_talk_seconds":50.3},
              {"employee_id":2,"full_name":"Борис Иванов","extension":"102","departments":"Sales, Support","incoming_answered":2,"incoming_unique_numbers":2,"incoming_unique_numbers_total":5,"avg_wait_seconds":4.0,"outgoing_calls":2,"outgoing_unique_numbers":1,"outgoing_conversations":1,"total_talk_seconds":115.000,"avg_talk_seconds":38.3},
              {"employee_id":3,"full_name":"Вера Смирнова","extension":"103","departments":"Support","incoming_answered":1,"incoming_unique_numbers":1,"incoming_unique_numbers_total":5,"avg_wait_seconds":30.0,"outgoing_calls":0,"outgoing_unique_numbers":0,"outgoing_conversations":0,"total_talk_seconds":300.000,"avg_talk_seconds":300.0},
              {"employee_id":4,"full_name":"Глеб Орлов","extension":"104","departments":"Sales","incoming_answered":0,"incoming_unique_numbers":0,"incoming_unique_numbers_total":5,"avg_wait_seconds":null,"outgoing_calls":0,"outgoing_unique_numbers":0,"outgoing_conversations":0,"total_talk_seconds":0,"avg_talk_seconds":null}
            ]

            """)
        let callbacks = try calljournal("report", "callbacks", "--from", "2025-06-01", "--to", "2025-06-02", "--format", "json")
        #expect(callbacks.standardOutput == """
            [
              {"task_id":1,"pbx":"pbx-known","caller_number":"79000000004","contact_name":"Иван Кузнецов","status":"done","missed_count":1,"first_missed_at":"2025-06-01 12:00:30+00","last_missed_at":"2025-06-01 12:00:30+00","deadline":"2025-06-01 16:00:30+00","closed_at":"2025-06-01 14:00:08+00","time_to_callback_seconds":7178.0,"past_deadline":false,"closed_by_call_id":6,"called_back_by":"Борис Иванов"},
              {"task_id":2,"pbx":"pbx-known","caller_number":"79000000002","contact_name":null,"status":"open","missed_count":1,"first_missed_at":"2025-06-01 13:00:05+00","last_missed_at":"2025-06-01 13:00:05+00","deadline":"2099-01-01 00:00:00+00","closed_at":null,"time_to_callback_seconds":null,"past_deadline":false,"closed_by_call_id":null,"called_back_by":null},
              {"task_id":3,"pbx":"pbx-known","caller_number":"79000000011","contact_name":null,"status":"overdue","missed_count":1,"first_missed_at":"2025-06-01 19:00:00+00","last_missed_at":"2025-06-01 19:00:00+00","deadline":"2025-06-01 23:00:00+00","closed_at":null,"time_to_callback_seconds":null,"past_deadline":true,"closed_by_call_id":null,"called_back_by":null},
              {"task_id":4,"pbx":"pbx-known","caller_number":"79000000012","contact_name":null,"status":"expired","missed_count":1,"first_missed_at":"2025-06-01 20:00:00+00","last_missed_at":"2025-06-01 20:00:00+00","deadline":"2025-06-02 00:00:00+00","closed_at":"2025-06-03 09:00:00+00","time_to_callback_seconds":null,"past_deadline":true,"closed_by_call_id":null,"called_back_by":null}
            ]

            """)
        // Both are whole JSON documents, not just text that looks like one.
        for output in [employees.standardOutput, callbacks.standardOutput] {
            #expect(try JSONSerialization.jsonObject(with: Data(output.utf8)) is [[String: Any]])
        }
    }

    @Test func anUnknownEmployeeOrBucketIsAClearError() throws {
        try expectRefusal(["report", "summary", "--from", "2025-06-01", "--to", "2025-06-02", "--employee", "999"],
                          status: 1, saying: "no employee has extension 999")
        try expectRefusal(["report", "summary", "--from", "2025-06-01", "--to", "2025-06-02", "--by", "month"],
                          status: 65, saying: "unknown bucket")
    }

    @Test func csvExportFollowsRFC4180WithCommasQuotesNewlinesAndCyrillic() throws {
        let id = try #require(try database.query("SELECT min(id) FROM calljournal.calls").first)
        let comment = "Клиент сказал: \"перезвоните\", завтра\nвторая строка"
        #expect(try runner.run(["annotate", id, "--comment", comment, "--database-url", database.url]).status == 0)
        let export = try calljournal("export", "calls", "--from", "2025-05-01", "--to", "2025-07-01",
                                     "--fields", "id,employee,comment", "--format", "csv")
        // Parse with Python's csv module, an independent RFC 4180 reader.
        let parsed = try CommandRunner.execute(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
            import csv, io, json, sys
            rows = list(csv.reader(io.StringIO(sys.argv[1], newline='')))
            print(json.dumps(rows, ensure_ascii=False))
            """, export.standardOutput])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(parsed.standardOutput.utf8)) as? [[String]])
        #expect(rows.first == ["id", "employee", "comment"])
        #expect(rows.count == 1 + 15, "the header and the 15 known calls")
        // The first known call, C1, was answered by E1.
        #expect(rows.contains([id, "Анна Петрова", comment]))
        #expect(export.standardOutput.contains("\r\n"))
    }

    @Test func annotatingFollowsThePostCallMenusRules() throws {
        let id = try #require(try database.query("SELECT min(id) FROM calljournal.calls").first)
        let code = "7"
        _ = try calljournal("category", "add", code, "Upsell")
        let annotated = try runner.run(["annotate", id, "--category", code, "--value", "1500.50", "--call-rating", "5",
                                        "--employee-rating", "4", "--by", "supervisor", "--database-url", database.url])
        #expect(annotated.status == 0, "\(annotated.standardError)")
        #expect(try database.query("""
            SELECT m.via || ' ' || m.set_by || ' ' || c.value || ' ' || c.call_rating || ' ' || c.employee_rating
              FROM calljournal.call_category_marks m JOIN calljournal.calls c ON c.id = m.call_id
             WHERE c.id = \(id) AND m.set_by = 'supervisor'
            """) == ["cli supervisor 1500.50 5 4"])

        try expectRefusal(["annotate", id, "--category", "999999"], status: 1, saying: "no category has code 999999")
        _ = try runner.run(["category", "update", code, "--no-active", "--database-url", database.url])
        try expectRefusal(["annotate", id, "--category", code], status: 65, saying: "inactive")
        try expectRefusal(["annotate", id, "--call-rating", "6"], status: 65, saying: "a rating is 1 to 5")
        try expectRefusal(["annotate", "987654321", "--comment", "x"], status: 1, saying: "no call has id 987654321")
    }

    @Test func exportRejectsUnknownFieldsAndTheTableFormat() throws {
        try expectRefusal(["export", "calls", "--from", "2025-06-01", "--to", "2025-06-02", "--fields", "id,password"],
                          status: 64, saying: "unknown field password")
        try expectRefusal(["export", "calls", "--from", "2025-06-01", "--to", "2025-06-02", "--format", "table"], status: 64)
    }

    @Test func exportingAMillionCallsRunsInConstantMemory() throws {
        // 1,000,000 generated calls in June 2024, far from the known ones.
        let generated = try ScratchDatabase.psql(["-d", database.name, "-q", "-c", """
            INSERT INTO calljournal.calls (pbx, linkedid, direction, status, caller_number, client_number, started_at,
                                           answered_at, ended_at, wait_seconds, talk_seconds, last_event_at, comment)
            SELECT 'gen', 'gen.' || g, 'inbound', 'answered', '7916' || lpad(g::text, 7, '0'), '7916' || lpad(g::text, 7, '0'),
                   t, t + interval '3 s', t + interval '60 s', 3, 57, t + interval '60 s', 'row ' || g || ', "quoted"'
              FROM generate_series(1, 1000000) g, LATERAL (SELECT timestamptz '2024-06-01' + g * interval '2 s' AS t) s
            """])
        #expect(generated.status == 0, "\(generated.standardError)")
        func peakKilobytes(_ to: String) throws -> (rows: Int, kilobytes: Int) {
            let result = try CommandRunner.execute(URL(fileURLWithPath: "/usr/bin/env"), ["bash", "-c", """
                /usr/bin/time -f '%M' "$0" export calls --from 2024-06-01 --to "$1" --format csv \
                    --database-url "$2" 2>"$3" | wc -l; tail -1 "$3"
                """, CommandRunner.executable.path, to, database.url, "/tmp/cj-export-\(UUID().uuidString)"])
            let lines = result.standardOutput.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            #expect(lines.count == 2, "\(result.standardOutput) \(result.standardError)")
            return (lines.first ?? 0, lines.last ?? 0)
        }
        let small = try peakKilobytes("2024-06-03 07:33:22")   // 100,000 calls (one every 2 s from 00:00:02)
        let large = try peakKilobytes("2024-07-01")             // 1,000,000 calls
        #expect(small.rows == 100_001)
        #expect(large.rows == 1_000_001)
        // Ten times the rows, about the same memory: the cursor streams.
        #expect(Double(large.kilobytes) < Double(small.kilobytes) * 1.3, "peak RSS \(small.kilobytes) kB → \(large.kilobytes) kB")
    }
}
