-- A small journal whose report figures are computed by hand (check-known.sh asserts them; the reasoning is there).
-- Load it into an empty, migrated database. Ids are fixed (OVERRIDING SYSTEM VALUE) so expectations can name them.
--
-- Employees (E5 is flagged ignore_in_journal; E4 never has a call):
--   E1 Анна Петрова   101  Sales
--   E2 Борис Иванов   102  Sales, Support
--   E3 Вера Смирнова  103  Support
--   E4 Глеб Орлов     104  Sales
--   E5 Дмитрий Тестов 105  (none), ignore_in_journal, but C15 was attributed to him before the flag was set
-- DIDs: 74950000001 -> google/cpc, 74950000002 -> yandex/cpc.
--
-- Calls (times UTC; wait and talk in seconds; answered_at = start + wait, ended_at = answered_at + talk;
-- "by" is calls.employee_id, the employee the call is attributed to: who answered first (inbound, internal), who
-- placed it (outbound, answered or not: C7 is E2's although nobody answered); answered_employee_id is the same
-- except for C7, which nobody answered):
--   id  started             dir       status       by  number   did  wait talk new  target  departments
--   C1  06-01 09:00:00      inbound   answered     E1  ...01    01   10   100  yes  yes     Sales
--   C2  06-01 10:00:00      inbound   answered     E1  ...02    01   20   20   yes  no      Sales
--   C3  06-01 11:00:00      inbound   answered     E2  ...01    02   6    60   no   yes     Sales,Support
--   C4  06-01 12:00:00      inbound   missed       -   ...04    01   30   -    yes  no      (rang E3)
--   C5  06-01 13:00:00      inbound   abandoned    -   ...02    02   5    -    no   no      (rang E1)
--   C6  06-01 14:00:00      outbound  answered     E2  ...04    -    8    45   no   yes     Sales,Support (calls C4 back)
--   C7  06-01 15:00:00      outbound  missed       E2  ...04    -    25   -    no   no      (leg 1 only)
--   C8  06-01 16:00:00      outbound  answered     E1  ...05    -    4    31   yes  yes     Sales
--   C9  06-01 17:00:00      internal  answered     E3  -        -    3    12   no   no      Support (E1 called E3)
--   C10 06-01 23:58:00      inbound   answered     E3  ...06    01   30   300  yes  yes     Support (ends 06-02 00:03:30)
--   C11 06-01 18:00:00      inbound   in_progress  -   ...07    01   -    -    yes  no      (never counted)
--   C12 06-02 10:00:00      inbound   answered     E1  ...01    01   12   50   no   yes     Sales
--   C13 06-01 21:30:00      inbound   answered     E2  ...08    02   2    10   yes  no      Sales,Support (06-02 00:30 in Moscow)
--   C14 05-31 20:30:00      inbound   answered     E1  ...09    01   4    40   yes  yes     Sales (05-31 23:30 in Moscow)
--   C15 06-03 10:00:00      inbound   answered     E5  ...10    01   7    70   yes  yes     -
-- (numbers are 790000000NN; "..04" is 79000000004)
-- "new" and "target" are not typed in: after the insert they are derived from the calls by calljournal's own rules
-- (the UPDATE below), and check-known.sh checks that they come out as this table says.

SET TIME ZONE 'UTC';

INSERT INTO calljournal.departments (id, name) OVERRIDING SYSTEM VALUE
VALUES (1, 'Sales'), (2, 'Support');

INSERT INTO calljournal.employees (id, full_name, extension, ignore_in_journal) OVERRIDING SYSTEM VALUE
VALUES (1, 'Анна Петрова', '101', false),
       (2, 'Борис Иванов', '102', false),
       (3, 'Вера Смирнова', '103', false),
       (4, 'Глеб Орлов', '104', false),
       (5, 'Дмитрий Тестов', '105', true);

INSERT INTO calljournal.employee_departments (employee_id, department_id)
VALUES (1, 1), (2, 1), (2, 2), (3, 2), (4, 1);

INSERT INTO calljournal.tracking_numbers (did, source, medium, campaign)
VALUES ('74950000001', 'google', 'cpc', 'brand'), ('74950000002', 'yandex', 'cpc', NULL);

INSERT INTO calljournal.contacts (id, name, company) OVERRIDING SYSTEM VALUE
VALUES (1, 'Иван Кузнецов', 'ООО "Ромашка", склад');
INSERT INTO calljournal.contact_phones (contact_id, phone) VALUES (1, '79000000004');

INSERT INTO calljournal.calls (
    id, pbx, linkedid, direction, status, reached_employee, client_number, caller_number, called_number, did,
    started_at, answered_at, ended_at, wait_seconds, talk_seconds, answered_employee_id, answered_extension,
    employee_id, department_names, source, medium, campaign, last_event_at)
OVERRIDING SYSTEM VALUE
SELECT k.id, 'pbx-known', '1748736000.' || k.id, k.direction, k.status, k.reached, k.client,
       CASE k.direction WHEN 'inbound' THEN k.client ELSE k.from_ext END,
       CASE k.direction WHEN 'inbound' THEN k.did WHEN 'outbound' THEN k.client ELSE k.to_ext END,
       k.did,
       k.started,
       CASE WHEN k.status = 'answered' THEN k.started + k.wait * interval '1 second' END,
       CASE WHEN k.status <> 'in_progress' THEN k.started + (k.wait + coalesce(k.talk, 0)) * interval '1 second' END,
       k.wait, k.talk, k.employee, e.extension,
       -- Outbound: the employee whose extension placed the call (its first leg); otherwise who answered.
       CASE k.direction WHEN 'outbound' THEN caller.id ELSE k.employee END,
       k.departments, t.source, t.medium, t.campaign,
       k.started + (coalesce(k.wait, 0) + coalesce(k.talk, 0)) * interval '1 second'
  FROM (VALUES
        (1,  'inbound',  'answered',    true,  '79000000001', NULL,  NULL,  '74950000001', timestamptz '2025-06-01 09:00:00', 10, 100, 1, '{Sales}'::text[]),
        (2,  'inbound',  'answered',    true,  '79000000002', NULL,  NULL,  '74950000001', '2025-06-01 10:00:00', 20, 20,  1, '{Sales}'),
        (3,  'inbound',  'answered',    true,  '79000000001', NULL,  NULL,  '74950000002', '2025-06-01 11:00:00', 6,  60,  2, '{Sales,Support}'),
        (4,  'inbound',  'missed',      true,  '79000000004', NULL,  NULL,  '74950000001', '2025-06-01 12:00:00', 30, NULL, NULL, '{}'),
        (5,  'inbound',  'abandoned',   true,  '79000000002', NULL,  NULL,  '74950000002', '2025-06-01 13:00:00', 5,  NULL, NULL, '{}'),
        (6,  'outbound', 'answered',    true,  '79000000004', '102', NULL,  NULL,          '2025-06-01 14:00:00', 8,  45,  2, '{Sales,Support}'),
        (7,  'outbound', 'missed',      true,  '79000000004', '102', NULL,  NULL,          '2025-06-01 15:00:00', 25, NULL, NULL, '{}'),
        (8,  'outbound', 'answered',    true,  '79000000005', '101', NULL,  NULL,          '2025-06-01 16:00:00', 4,  31,  1, '{Sales}'),
        (9,  'internal', 'answered',    true,  NULL,          '101', '103', NULL,          '2025-06-01 17:00:00', 3,  12,  3, '{Support}'),
        (10, 'inbound',  'answered',    true,  '79000000006', NULL,  NULL,  '74950000001', '2025-06-01 23:58:00', 30, 300, 3, '{Support}'),
        (11, 'inbound',  'in_progress', true,  '79000000007', NULL,  NULL,  '74950000001', '2025-06-01 18:00:00', NULL, NULL, NULL, '{}'),
        (12, 'inbound',  'answered',    true,  '79000000001', NULL,  NULL,  '74950000001', '2025-06-02 10:00:00', 12, 50,  1, '{Sales}'),
        (13, 'inbound',  'answered',    true,  '79000000008', NULL,  NULL,  '74950000002', '2025-06-01 21:30:00', 2,  10,  2, '{Sales,Support}'),
        (14, 'inbound',  'answered',    true,  '79000000009', NULL,  NULL,  '74950000001', '2025-05-31 20:30:00', 4,  40,  1, '{Sales}'),
        (15, 'inbound',  'answered',    true,  '79000000010', NULL,  NULL,  '74950000001', '2025-06-03 10:00:00', 7,  70,  5, '{}')
       ) AS k (id, direction, status, reached, client, from_ext, to_ext, did, started, wait, talk, employee,
               departments)
  LEFT JOIN calljournal.employees e ON e.id = k.employee
  LEFT JOIN calljournal.employees caller ON k.direction = 'outbound' AND caller.extension = k.from_ext
  LEFT JOIN calljournal.tracking_numbers t ON t.did = k.did;

-- The flags the writer decides rather than the tracker reports. is_new_caller: the predicate of
-- JournalSQL.upsertCalls (no earlier call with the client's number), here over the whole known journal, as the
-- writer sees it when the calls arrive in order. is_target: answered with at least journal.target_min_talk_seconds
-- of talk (30 by default), as the tracker sets it when a call ends.
UPDATE calljournal.calls c
   SET is_new_caller = c.client_number IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM calljournal.calls p
            WHERE p.client_number = c.client_number AND p.started_at < c.started_at),
       is_target = c.status = 'answered' AND c.talk_seconds >= 30;

-- Legs: the employee who answered (inbound), who placed the call (outbound, internal: leg 1), who was rung.
INSERT INTO calljournal.call_legs (call_id, leg_order, uniqueid, channel, endpoint, employee_id, employee_extension,
                                   started_at, answered_at, ended_at, disposition, ended_by)
SELECT l.call_id, l.leg_order, c.linkedid || '.' || l.leg_order, 'PJSIP/' || e.extension || '-0000000' || l.leg_order,
       e.extension, e.id, e.extension, c.started_at,
       CASE WHEN l.disposition = 'answered' THEN c.answered_at END, c.ended_at, l.disposition, 'hangup'
  FROM (VALUES (1, 1, 1, 'answered'), (2, 1, 1, 'answered'), (3, 1, 2, 'answered'), (4, 1, 3, 'no_answer'),
               (5, 1, 1, 'cancelled'), (6, 1, 2, 'answered'), (7, 1, 2, 'cancelled'), (8, 1, 1, 'answered'),
               (9, 1, 1, 'answered'), (9, 2, 3, 'answered'), (10, 1, 3, 'answered'), (12, 1, 1, 'answered'),
               (13, 1, 2, 'answered'), (14, 1, 1, 'answered'), (15, 1, 5, 'answered')
       ) AS l (call_id, leg_order, employee_id, disposition)
  JOIN calljournal.calls c ON c.id = l.call_id
  JOIN calljournal.employees e ON e.id = l.employee_id;

-- Callback tasks (now() decides open vs overdue, so T2's deadline lies far ahead and T3's far behind):
--   T1 ...04  missed C4 (ended 12:00:30), done by C6 (answered 14:00:08): 7178 s, before its 16:00:30 deadline
--   T2 ...02  missed C5 (ended 13:00:05), open, deadline 2099-01-01: open
--   T3 ...11  missed 19:00:00 (no call row), open, deadline 23:00:00 2025-06-01: overdue
--   T4 ...12  missed 20:00:00, deadline 06-02 00:00, expired 06-03 09:00: closed after the deadline
--   T5 ...13  missed 05-31 10:00:00, deadline 14:00, done 06-01 08:00 (no closing call recorded): 79200 s, late
INSERT INTO calljournal.callback_tasks (
    id, pbx, caller_number, first_missed_call_id, last_missed_call_id, first_missed_at, last_missed_at, missed_count,
    missed_call_ids, deadline, status, closed_by_call_id, closed_at)
OVERRIDING SYSTEM VALUE
VALUES (1, 'pbx-known', '79000000004', 4, 4, '2025-06-01 12:00:30', '2025-06-01 12:00:30', 1, '{4}',
        '2025-06-01 16:00:30', 'done', 6, '2025-06-01 14:00:08'),
       (2, 'pbx-known', '79000000002', 5, 5, '2025-06-01 13:00:05', '2025-06-01 13:00:05', 1, '{5}',
        '2099-01-01 00:00:00', 'open', NULL, NULL),
       (3, 'pbx-known', '79000000011', NULL, NULL, '2025-06-01 19:00:00', '2025-06-01 19:00:00', 1, '{}',
        '2025-06-01 23:00:00', 'open', NULL, NULL),
       (4, 'pbx-known', '79000000012', NULL, NULL, '2025-06-01 20:00:00', '2025-06-01 20:00:00', 1, '{}',
        '2025-06-02 00:00:00', 'expired', NULL, '2025-06-03 09:00:00'),
       (5, 'pbx-known', '79000000013', NULL, NULL, '2025-05-31 10:00:00', '2025-05-31 10:00:00', 1, '{}',
        '2025-05-31 14:00:00', 'done', NULL, '2025-06-01 08:00:00');

ANALYZE calljournal.calls, calljournal.call_legs, calljournal.callback_tasks;

-- The rows above carry explicit ids; move every identity sequence past them so later inserts get fresh ids.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN
        SELECT c.table_name, c.column_name FROM information_schema.columns c
         WHERE c.table_schema = 'calljournal' AND c.is_identity = 'YES'
    LOOP
        EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L), coalesce((SELECT max(%I) FROM calljournal.%I), 0) + 1, false)',
                       'calljournal.' || t.table_name, t.column_name, t.column_name, t.table_name);
    END LOOP;
END
$$;
