#!/usr/bin/env bash
# Checks every report of 0003_reports.sql against figures computed by hand from known.sql.
#
# Starts a throwaway PostgreSQL with pg_virtualenv, applies 0001..0003 (each in one transaction, as calljournal
# migrate does) and known.sql, then compares each report's output with the expected text.
# Prints one line per check; exits 1 when any check fails, 2 when the set-up fails.
#
#   ./check-known.sh
#
# The call table, the numbers and the attribution of each call are at the top of known.sql. Each expectation below
# says how it was computed. Output columns are joined with |, rows with newlines; times are shown in UTC.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ -z "${CHECK_KNOWN_IN_CLUSTER:-}" ]; then
    exec pg_virtualenv -t -o fsync=off env CHECK_KNOWN_IN_CLUSTER=1 bash "$here/check-known.sh"
fi

export PGTZ=UTC
migrations="$here/../../Sources/Persistence/Migrations"
for file in "$migrations"/*.sql "$here/known.sql"; do
    psql -X -q -v ON_ERROR_STOP=1 -1 -f "$file" >/dev/null || { echo "set-up failed in $file" >&2; exit 2; }
done

failures=0
checks=0

# expect NAME SQL EXPECTED: the query's rows (| between columns) must equal EXPECTED exactly.
expect() {
    local name=$1 sql=$2 want=$3 got
    checks=$((checks + 1))
    got=$(psql -X -A -t -F '|' -v ON_ERROR_STOP=1 -c "$sql" 2>&1) || true
    if [ "$got" == "$want" ]; then
        echo "ok   $name"
    else
        failures=$((failures + 1))
        printf 'FAIL %s\n  query:    %s\n  expected: %s\n  got:      %s\n' "$name" "$sql" "${want//$'\n'/$'\n            '}" \
            "${got//$'\n'/$'\n            '}"
    fi
}

# expect_error NAME SQL SQLSTATE: the query must fail with that SQLSTATE.
expect_error() {
    local name=$1 sql=$2 state=$3 got
    checks=$((checks + 1))
    got=$(psql -X -A -t -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -c "$sql" 2>&1) && got="no error: $got"
    if [[ "$got" == *"ERROR:  $state:"* ]]; then
        echo "ok   $name"
    else
        failures=$((failures + 1))
        printf 'FAIL %s\n  query:    %s\n  expected: SQLSTATE %s\n  got:      %s\n' "$name" "$sql" "$state" "$got"
    fi
}

M="SELECT * FROM calljournal.journal_metrics"
S="SELECT * FROM calljournal.journal_metrics_series"
E="SELECT employee_id, full_name, extension, departments, incoming_answered, incoming_unique_numbers,
          incoming_unique_numbers_total, avg_wait_seconds, outgoing_calls, outgoing_unique_numbers,
          outgoing_conversations, total_talk_seconds, avg_talk_seconds
     FROM calljournal.employee_efficiency"
C="SELECT task_id, caller_number, contact_name, status, missed_count, time_to_callback_seconds, past_deadline,
          called_back_by
     FROM calljournal.callback_tasks_report"
DAY="'2025-06-01 00:00Z', '2025-06-02 00:00Z'"

# ---------------------------------------------------------------- the flags known.sql derives
# The "new" and "target" columns of the table at the top of known.sql. New: the first call of each number
# (..01 C1, ..02 C2, ..04 C4, ..05 C8, ..06 C10, ..07 C11, ..08 C13, ..09 C14, ..10 C15; C9 has no client).
# Target: answered with at least 30 s of talk (C1 100, C3 60, C6 45, C8 31, C10 300, C12 50, C14 40, C15 70).
expect "flags: new callers and target calls as derived from the calls" \
    "SELECT string_agg(id::text, ',' ORDER BY id) FILTER (WHERE is_new_caller),
            string_agg(id::text, ',' ORDER BY id) FILTER (WHERE is_target)
       FROM calljournal.calls" \
    "1,2,4,8,10,11,13,14,15|1,3,6,8,10,12,14,15"

# ---------------------------------------------------------------- journal_metrics
# Columns: total, answered, target, new caller, total talk, avg talk of answered, avg wait of answered.

# 2025-06-01 UTC: C1-C10 and C13 (C11 is in progress, C12 is 06-02, C14 is 05-31). 11 calls.
# Answered: C1 C2 C3 C6 C8 C9 C10 C13 = 8. Target (talk >= 30): C1 C3 C6 C8 C10 = 5.
# New: C1 C2 C4 C8 C10 C13 = 6. Talk 100+20+60+45+31+12+300+10 = 578; 578/8 = 72.25 -> 72.3.
# Wait of answered 10+20+6+8+4+3+30+2 = 83; 83/8 = 10.375 -> 10.4.
# C10 starts 23:58 and ends 00:03:30 the next day: it counts, whole, for the day it started.
expect "metrics: one day, no filter, call spanning midnight counted on its start day" \
    "$M($DAY)" "11|8|5|6|578.000|72.3|10.4"

# Inbound: C1 C2 C3 C4 C5 C10 C13 = 7; answered C1 C2 C3 C10 C13 = 5; target C1 C3 C10 = 3;
# new C1 C2 C4 C10 C13 = 5; talk 100+20+60+300+10 = 490, /5 = 98.0; wait 10+20+6+30+2 = 68, /5 = 13.6.
expect "metrics: direction inbound" "$M($DAY, p_direction => 'inbound')" "7|5|3|5|490.000|98.0|13.6"

# E1: answered C1 C2 (inbound), placed C8 (outbound); C9 was answered by E3. 3 calls, all answered,
# target C1 C8 = 2, new 3, talk 100+20+31 = 151, /3 = 50.33 -> 50.3; wait 10+20+4 = 34, /3 = 11.33 -> 11.3.
expect "metrics: employee E1 (answered inbound + placed outbound)" "$M($DAY, p_employee_id => 1)" \
    "3|3|2|3|151.000|50.3|11.3"

# E2: answered C3 C13, placed C6 (answered) and C7 (missed: employee_id names E2, answered_employee_id nobody).
# 4 calls, answered 3, target C3 C6 = 2, new C13 = 1, talk 60+10+45 = 115, /3 = 38.33 -> 38.3; wait 6+2+8 = 16, /3 = 5.33 -> 5.3.
expect "metrics: employee E2 includes an unanswered outbound call he placed" \
    "$M($DAY, p_employee_id => 2)" "4|3|2|1|115.000|38.3|5.3"

# E4 has no call at all.
expect "metrics: employee with zero calls" "$M($DAY, p_employee_id => 4)" "0|0|0|0|0||"

# Support in department_names: C3 C6 C13 (E2) C9 C10 (E3) = 5, all answered, target C3 C6 C10 = 3,
# new C10 C13 = 2, talk 60+45+10+12+300 = 427, /5 = 85.4; wait 6+8+2+3+30 = 49, /5 = 9.8.
expect "metrics: department Support" "$M($DAY, p_department => 'Support')" "5|5|3|2|427.000|85.4|9.8"

# google = DID 74950000001: C1 C2 C4 C10 = 4, answered C1 C2 C10 = 3, target C1 C10 = 2, new 4,
# talk 100+20+300 = 420, /3 = 140.0; wait 10+20+30 = 60, /3 = 20.0.
expect "metrics: source google" "$M($DAY, p_source => 'google')" "4|3|2|4|420.000|140.0|20.0"

# DID 74950000002: C3 C5 C13 = 3, answered C3 C13 = 2, target C3 = 1, new C13 = 1, talk 70, /2 = 35.0;
# wait 6+2 = 8, /2 = 4.0.
expect "metrics: DID 74950000002" "$M($DAY, p_did => '74950000002')" "3|2|1|1|70.000|35.0|4.0"

# Outbound placed by E2: C6 C7 = 2, answered 1, target 1, new 0, talk 45, avg 45.0, wait 8.0.
expect "metrics: filters combine (outbound and E2)" "$M($DAY, p_direction => 'outbound', p_employee_id => 2)" \
    "2|1|1|0|45.000|45.0|8.0"

expect "metrics: no calls in range gives one row of zeros" \
    "$M('2025-07-01Z', '2025-08-01Z')" "0|0|0|0|0||"
expect "metrics: empty period (from = to)" "$M('2025-06-01 09:00Z', '2025-06-01 09:00Z')" "0|0|0|0|0||"
# [09:00, 09:00:01) holds C1, started exactly at 09:00: the lower bound is inclusive.
expect "metrics: period start is inclusive" "$M('2025-06-01 09:00Z', '2025-06-01 09:00:01Z')" \
    "1|1|1|1|100.000|100.0|10.0"
# [08:00, 09:00) does not hold C1: the upper bound is exclusive.
expect "metrics: period end is exclusive" "$M('2025-06-01 08:00Z', '2025-06-01 09:00Z')" "0|0|0|0|0||"
# The in-progress call C11 (18:00) is never counted.
expect "metrics: call in progress is left out" "$M('2025-06-01 18:00Z', '2025-06-01 19:00Z')" "0|0|0|0|0||"

expect_error "metrics: from after to is rejected" "$M('2025-06-02Z', '2025-06-01Z')" 22023
expect_error "metrics: unknown direction is rejected" "$M($DAY, p_direction => 'sideways')" 22023

# ---------------------------------------------------------------- journal_metrics_series

# UTC days of [05-31, 06-03): 05-31 = C14 (40 s talk, wait 4, new); 06-01 as above; 06-02 = C12 (repeat number).
expect "series: UTC days" "$S('2025-05-31Z', '2025-06-03Z', 'day')" \
"2025-05-31 00:00:00+00|1|1|1|1|40.000|40.0|4.0
2025-06-01 00:00:00+00|11|8|5|6|578.000|72.3|10.4
2025-06-02 00:00:00+00|1|1|1|0|50.000|50.0|12.0"

# Moscow (UTC+3) days of [06-01 00:00 MSK, 06-03 00:00 MSK) = [05-31 21:00Z, 06-02 21:00Z).
# MSK 06-01: C1-C9 (C14 at 20:30Z is still 05-31 in Moscow): 9 calls, answered C1 C2 C3 C6 C8 C9 = 6,
#   target C1 C3 C6 C8 = 4, new C1 C2 C4 C8 = 4, talk 100+20+60+45+31+12 = 268, /6 = 44.67 -> 44.7,
#   wait 10+20+6+8+4+3 = 51, /6 = 8.5.
# MSK 06-02: C13 (21:30Z) C10 (23:58Z) C12 (06-02 10:00Z): 3 answered, target C10 C12 = 2, new C13 C10 = 2,
#   talk 10+300+50 = 360, /3 = 120.0, wait 2+30+12 = 44, /3 = 14.67 -> 14.7.
expect "series: Moscow days start at 21:00 UTC" \
    "$S('2025-05-31 21:00Z', '2025-06-02 21:00Z', 'day', 'Europe/Moscow')" \
"2025-05-31 21:00:00+00|9|6|4|4|268.000|44.7|8.5
2025-06-01 21:00:00+00|3|3|2|2|360.000|120.0|14.7"

# A period not aligned to buckets: [06-01 12:30Z, 06-02 00:00Z) in Moscow. The first bucket starts before the
# period (05-31 21:00Z) but counts only C5-C9: 5 calls, answered C6 C8 C9 = 3, target C6 C8 = 2, new C8 = 1,
# talk 45+31+12 = 88, /3 = 29.3; wait 8+4+3 = 15, /3 = 5.0. The second holds C13 and C10 (C12 is after the
# period): 2, 2, target 1, new 2, talk 310, /2 = 155.0, wait 32, /2 = 16.0.
expect "series: buckets cover a period that is not aligned, counting only its calls" \
    "$S('2025-06-01 12:30Z', '2025-06-02 00:00Z', 'day', 'Europe/Moscow')" \
"2025-05-31 21:00:00+00|5|3|2|1|88.000|29.3|5.0
2025-06-01 21:00:00+00|2|2|1|2|310.000|155.0|16.0"

# Hours 17-20 UTC: C9 at 17:00 (internal, 12 s talk, 3 s wait, not new); C11 (18:00) is in progress; the
# other hours have no calls and still get a row.
expect "series: empty hours are present with zeros" "$S('2025-06-01 17:00Z', '2025-06-01 21:00Z', 'hour')" \
"2025-06-01 17:00:00+00|1|1|0|0|12.000|12.0|3.0
2025-06-01 18:00:00+00|0|0|0|0|0||
2025-06-01 19:00:00+00|0|0|0|0|0||
2025-06-01 20:00:00+00|0|0|0|0|0||"

# Asia/Kolkata is UTC+5:30: local hours start at :30 UTC. From 08:45Z (14:15 local) the first bucket is
# 14:00 local = 08:30Z and holds C1 (09:00Z); 09:30Z holds C2 (10:00Z); 10:30Z is empty and before 10:45Z.
expect "series: hours in a half-hour time zone" \
    "$S('2025-06-01 08:45Z', '2025-06-01 10:45Z', 'hour', 'Asia/Kolkata')" \
"2025-06-01 08:30:00+00|1|1|1|1|100.000|100.0|10.0
2025-06-01 09:30:00+00|1|1|0|1|20.000|20.0|20.0
2025-06-01 10:30:00+00|0|0|0|0|0||"

# 2025-06-01 is a Sunday: its week starts on Monday 05-26; 06-02 starts the next week (C12 only).
expect "series: weeks start on Monday" "$S('2025-06-01Z', '2025-06-03Z', 'week')" \
"2025-05-26 00:00:00+00|11|8|5|6|578.000|72.3|10.4
2025-06-02 00:00:00+00|1|1|1|0|50.000|50.0|12.0"

# Filters apply per bucket: inbound only, the day of 06-01 matches the inbound figures above.
expect "series: filters apply to every bucket" "$S($DAY, 'day', p_direction => 'inbound')" \
    "2025-06-01 00:00:00+00|7|5|3|5|490.000|98.0|13.6"

expect "series: a range without calls gives empty buckets" "$S('2025-07-01Z', '2025-07-03Z', 'day')" \
"2025-07-01 00:00:00+00|0|0|0|0|0||
2025-07-02 00:00:00+00|0|0|0|0|0||"

expect_error "series: unknown bucket is rejected" "$S($DAY, 'month')" 22023
expect_error "series: unknown time zone is rejected" "$S($DAY, 'day', 'Mars/Olympus')" 22023

# ---------------------------------------------------------------- employee_efficiency
# Columns: id, name, extension, departments, incoming answered, their unique numbers, unique inbound numbers of
# the period, avg wait, outgoing calls, their unique numbers, conversations > 30 s, total talk, avg talk.
# Unique inbound numbers of 06-01: C1 ..01, C2 ..02, C3 ..01, C4 ..04, C5 ..02, C10 ..06, C13 ..08 = 5.
# E1: answered C1 C2 (..01 ..02), wait (10+20)/2 = 15.0; placed C8 (..05, 31 s > 30); talk 100+20+31 = 151
#     over 3 answered = 50.3.
# E2: answered C3 C13 (..01 ..08), wait (6+2)/2 = 4.0; placed C6 (45 s) and C7 (missed), both to ..04;
#     talk 60+10+45 = 115 over 3 answered (C3 C13 C6) = 38.3.
# E3: answered C10, wait 30.0; C9 is internal and not counted; talk 300 = 300.0.
# E4: no calls, listed with zeros. E5 is ignore_in_journal with no call that day: not listed.
expect "efficiency: one day, every employee" "$E($DAY)" \
"1|Анна Петрова|101|{Sales}|2|2|5|15.0|1|1|1|151.000|50.3
2|Борис Иванов|102|{Sales,Support}|2|2|5|4.0|2|1|1|115.000|38.3
3|Вера Смирнова|103|{Support}|1|1|5|30.0|0|0|0|300.000|300.0
4|Глеб Орлов|104|{Sales}|0|0|5||0|0|0|0|"

# The department keeps its members only; the period total of unique inbound numbers stays 5.
expect "efficiency: department Support" "$E($DAY, 'Support')" \
"2|Борис Иванов|102|{Sales,Support}|2|2|5|4.0|2|1|1|115.000|38.3
3|Вера Смирнова|103|{Support}|1|1|5|30.0|0|0|0|300.000|300.0"

# 06-03: only C15, attributed to E5 before his endpoint was flagged ignore_in_journal: he is listed.
expect "efficiency: an ignored employee with attributed calls is listed" "$E('2025-06-03Z', '2025-06-04Z')" \
"1|Анна Петрова|101|{Sales}|0|0|1||0|0|0|0|
2|Борис Иванов|102|{Sales,Support}|0|0|1||0|0|0|0|
3|Вера Смирнова|103|{Support}|0|0|1||0|0|0|0|
4|Глеб Орлов|104|{Sales}|0|0|1||0|0|0|0|
5|Дмитрий Тестов|105|{}|1|1|1|7.0|0|0|0|70.000|70.0"

expect "efficiency: no calls in range" "$E('2025-07-01Z', '2025-08-01Z', 'Sales')" \
"1|Анна Петрова|101|{Sales}|0|0|0||0|0|0|0|
2|Борис Иванов|102|{Sales,Support}|0|0|0||0|0|0|0|
4|Глеб Орлов|104|{Sales}|0|0|0||0|0|0|0|"

expect_error "efficiency: unknown department is rejected" "$E($DAY, 'Marketing')" 22023

# ---------------------------------------------------------------- callbacks
# Tasks first missed on 06-01, oldest first: T1 done by C6 (E2) after 14:00:08 - 12:00:30 = 7178 s, in time;
# T2 open (deadline 2099); T3 open past its deadline: overdue; T4 expired after its deadline. T5 (05-31) is not
# in the period.
expect "callbacks: statuses, time to call back, who called back" "$C($DAY)" \
"1|79000000004|Иван Кузнецов|done|1|7178.0|f|Борис Иванов
2|79000000002||open|1||f|
3|79000000011||overdue|1||t|
4|79000000012||expired|1||t|"

# T5: done 22 h after the miss (79200 s), after its deadline, without a recorded closing call.
expect "callbacks: a late callback" "$C('2025-05-31Z', '2025-06-01Z')" "5|79000000013||done|1|79200.0|t|"

expect "callbacks: open and overdue tasks from the view" \
    "SELECT task_id, status FROM calljournal.callback_report WHERE status IN ('open', 'overdue') ORDER BY task_id" \
"2|open
3|overdue"

expect_error "callbacks: from after to is rejected" "$C('2025-06-02Z', '2025-06-01Z')" 22023

# ---------------------------------------------------------------- documentation in the catalog

expect "every report function has a comment" \
    "SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'calljournal'::regnamespace
        AND obj_description(p.oid, 'pg_proc') IS NULL" "0"
expect "every view and view column has a comment" \
    "SELECT count(*) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
      WHERE c.relnamespace = 'calljournal'::regnamespace AND c.relkind = 'v'
        AND (col_description(c.oid, a.attnum) IS NULL OR obj_description(c.oid, 'pg_class') IS NULL)" "0"
# The reports attribute calls by calls.employee_id alone: the first-leg index of call_legs is gone.
expect "every index added for the reports has a comment, and only calls_report_idx is added" \
    "SELECT string_agg(relname || ' ' || (obj_description(oid, 'pg_class') IS NOT NULL), ', ' ORDER BY relname)
       FROM pg_class WHERE relname IN ('calls_report_idx', 'call_legs_first_leg_idx')" "calls_report_idx true"

echo "$checks checks, $failures failed"
[ "$failures" -eq 0 ]
