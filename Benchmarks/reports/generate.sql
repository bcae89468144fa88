-- Generates a realistic call journal for load tests of the reports: employees, departments, tracking numbers,
-- N completed calls (default 10,000,000) over two years, their employee legs, category marks and callback tasks.
--
--   psql -v ON_ERROR_STOP=1 -v calls=10000000 -f generate.sql
--
-- Variables (psql -v): calls (default 10000000), first_day (local date in Europe/Moscow, default 2024-01-01),
-- days (default 730). Run it on an empty, migrated database; it refuses a journal that already has calls.
--
-- Shape of the data (so that plans and timings resemble a real office):
--   * calls per hour follow a working day in Europe/Moscow (peak 10:00-18:00, quiet nights, weekends at 30 %)
--     and grow by half over the two years;
--   * 65 % inbound, 28 % outbound, 7 % internal; inbound: 80 % answered, 9 % missed, 3 % busy, 7 % abandoned,
--     4 % never reached an employee (IVR, no route);
--   * 32 % of external calls come from or go to a number never seen before (is_new_caller is exact: a number's
--     first call is the one flagged), the rest repeat a number seen earlier, mostly a recent one;
--   * 60 employees in 6 departments, the last 5 without any call; the first ones take more calls;
--   * calls.employee_id is the employee the call is attributed to: the caller of every outbound call (the
--     employee of its first leg), who answered inbound and internal calls;
--   * every call that reached an employee has at least one leg; 15 % of answered inbound calls have two
--     (ring group or transfer); outbound and internal calls have the caller's leg first;
--   * missed inbound calls are grouped into callback tasks per number, closed by the next answered call with
--     that number (done), left open when recent, expired otherwise.
-- Rows are written in time order in one INSERT ... SELECT each, so the heap is ordered by started_at as it is
-- when the daemon writes the journal live.

\set ON_ERROR_STOP 1
\if :{?calls}
\else
\set calls 10000000
\endif
\if :{?first_day}
\else
\set first_day 2024-01-01
\endif
\if :{?days}
\else
\set days 730
\endif

SET TIME ZONE 'UTC';
SET maintenance_work_mem = '1GB';
SET work_mem = '256MB';
SET synchronous_commit = off;
SET jit = off;
-- Keep the calls in time order: the small lookups below must be hash joins probed by the generated rows.
SET enable_mergejoin = off;
\timing on

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM calljournal.calls) THEN
        RAISE EXCEPTION 'calljournal.calls is not empty: generate.sql only fills an empty journal';
    END IF;
END
$$;

-- ---------------------------------------------------------------- directory

INSERT INTO calljournal.departments (name)
VALUES ('Sales'), ('Support'), ('Wholesale'), ('Service'), ('Accounts'), ('Management');

INSERT INTO calljournal.employees (full_name, email, extension)
SELECT f.name || ' ' || l.name, 'agent' || (100 + i) || '@example.com', (100 + i)::text
  FROM generate_series(1, 60) i
  JOIN (VALUES (0, 'Александр'), (1, 'Мария'), (2, 'Дмитрий'), (3, 'Анна'), (4, 'Сергей'), (5, 'Елена'),
               (6, 'Андрей'), (7, 'Ольга'), (8, 'Алексей'), (9, 'Наталья')) f (n, name) ON f.n = i % 10
  JOIN (VALUES (0, 'Иванов(а)'), (1, 'Смирнов(а)'), (2, 'Кузнецов(а)'), (3, 'Попов(а)'), (4, 'Соколов(а)'),
               (5, 'Лебедев(а)')) l (n, name) ON l.n = (i / 10) % 6
 ORDER BY i;

-- Employee i is in department ((i - 1) % 5) + 1; every tenth is also in Management.
INSERT INTO calljournal.employee_departments (employee_id, department_id)
SELECT e.id, d.id
  FROM calljournal.employees e
  JOIN calljournal.departments d
    ON d.name = (ARRAY['Sales', 'Support', 'Wholesale', 'Service', 'Accounts'])[((e.extension::int - 101) % 5) + 1]
    OR (d.name = 'Management' AND (e.extension::int - 100) % 10 = 0);

INSERT INTO calljournal.employee_endpoints (employee_id, kind, address)
SELECT id, 'sip', extension FROM calljournal.employees;

INSERT INTO calljournal.tracking_numbers (did, source, medium, campaign)
VALUES ('74951230001', 'google', 'cpc', 'brand'),
       ('74951230002', 'google', 'cpc', 'generic'),
       ('74951230003', 'yandex', 'cpc', 'brand'),
       ('74951230004', 'yandex', 'organic', NULL),
       ('74951230005', 'avito', 'classified', NULL),
       ('74951230006', 'site', 'organic', NULL),
       ('74951230007', '2gis', 'referral', NULL),
       ('74951234567', 'direct', 'none', NULL);

INSERT INTO calljournal.call_categories (code, name, value)
VALUES (1, 'Order', 5000), (2, 'Consultation', NULL), (3, 'Complaint', NULL), (4, 'Spam', NULL);

-- Employees by position (1..60) with their current departments, for the generator's joins.
CREATE TEMP TABLE gen_employee AS
SELECT e.extension::int - 100 AS pos, e.id, e.extension,
       coalesce((SELECT array_agg(d.name ORDER BY d.name)
                   FROM calljournal.employee_departments ed
                   JOIN calljournal.departments d ON d.id = ed.department_id
                  WHERE ed.employee_id = e.id), '{}') AS department_names
  FROM calljournal.employees e;
CREATE UNIQUE INDEX ON gen_employee (pos);

CREATE TEMP TABLE gen_did AS
SELECT row_number() OVER (ORDER BY did) AS pos, did, source, medium, campaign FROM calljournal.tracking_numbers;
ANALYZE gen_employee, gen_did;

-- ---------------------------------------------------------------- hourly slots and their share of the calls

CREATE TEMP TABLE gen_slot AS
WITH h AS (
    SELECT n,
           (:'first_day'::timestamp + n * interval '1 hour') AS local_start,
           (:'first_day'::timestamp + n * interval '1 hour') AT TIME ZONE 'Europe/Moscow' AS start
      FROM generate_series(0, :days * 24 - 1) n
), w AS (
    SELECT n, start,
           (ARRAY[0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.2, 0.5, 1.5, 2.0, 2.0,
                  2.0, 1.6, 2.0, 2.0, 2.0, 2.0, 1.2, 0.6, 0.3, 0.2, 0.1, 0.05])[extract(hour FROM local_start)::int + 1]
           * CASE WHEN extract(isodow FROM local_start) >= 6 THEN 0.3 ELSE 1.0 END
           * (0.8 + 0.4 * n / (:days * 24.0)) AS weight
      FROM h
)
SELECT n, start,
       sum(weight) OVER (ORDER BY n) - weight AS cum_lo,
       sum(weight) OVER (ORDER BY n) AS cum_hi
  FROM w;

-- ---------------------------------------------------------------- calls

-- g numbers the calls from 100 in time order. Its last two digits, scrambled (r = g * 7919 mod 100, a permutation
-- of 0..99 within each block of 100), decide the direction and whether the client number is new, so the k-th new
-- number is known without a lookup: block b = g / 100 introduces numbers b*32 .. b*32+31, and a repeat call picks
-- one introduced by an earlier block (the first block has none to repeat: its other calls get numbers of their own).
INSERT INTO calljournal.calls (
    pbx, linkedid, direction, status, reached_employee, caller_number, caller_name, called_number, did, shown_number,
    dialed_number, client_number, started_at, answered_at, ended_at, wait_seconds, talk_seconds, answered_employee_id,
    answered_extension, employee_id, department_names, source, medium, campaign, recording_file, is_new_caller, is_target,
    hung_up_first, hangup_cause, hangup_cause_text, value, comment, call_rating, employee_rating, last_event_at)
SELECT 'pbx-main',
       floor(extract(epoch FROM x.started_at))::bigint || '.' || x.g,
       x.direction, x.status, x.reached,
       CASE x.direction WHEN 'inbound' THEN x.client_number ELSE me.extension END,
       NULL,
       CASE x.direction WHEN 'inbound' THEN d.did WHEN 'outbound' THEN x.client_number ELSE other.extension END,
       d.did,
       CASE WHEN x.direction = 'outbound' THEN '74951234567' END,
       CASE WHEN x.direction = 'outbound' THEN x.client_number END,
       x.client_number,
       x.started_at,
       CASE WHEN x.status = 'answered' THEN x.started_at + x.wait * interval '1 second' END,
       CASE WHEN x.status <> 'in_progress'
            THEN x.started_at + (x.wait + coalesce(x.talk, 0)) * interval '1 second' END,
       CASE WHEN x.status <> 'in_progress' THEN x.wait END,
       x.talk,
       answerer.id, answerer.extension,
       -- Attribution: the caller (whose channel is leg 1) for outbound calls, answered or not; who answered first
       -- for inbound and internal calls; nobody for unanswered inbound and internal calls.
       CASE WHEN x.direction = 'outbound' THEN me.id ELSE answerer.id END,
       coalesce(answerer.department_names, '{}'),
       d.source, d.medium, d.campaign,
       CASE WHEN x.direction = 'inbound' AND x.status = 'answered'
            THEN '/var/spool/asterisk/monitor/' || to_char(x.started_at, 'YYYYMMDD-HH24MISS') || '-'
                 || floor(extract(epoch FROM x.started_at))::bigint || '.' || x.g || '.wav' END,
       x.client_number IS NOT NULL AND (x.is_new OR x.block = 1),
       x.status = 'answered' AND x.talk >= 30,
       CASE WHEN x.status = 'answered' THEN CASE WHEN x.u6 < 0.55 THEN 'client' ELSE 'employee' END
            WHEN x.status = 'abandoned' THEN 'client'
            WHEN x.status <> 'in_progress' THEN 'system' END,
       CASE x.status WHEN 'answered' THEN 16 WHEN 'missed' THEN 19 WHEN 'busy' THEN 17
                     WHEN 'abandoned' THEN 16 WHEN 'failed' THEN 34 END,
       CASE x.status WHEN 'answered' THEN 'Normal Clearing' WHEN 'missed' THEN 'No answer'
                     WHEN 'busy' THEN 'User busy' WHEN 'abandoned' THEN 'Normal Clearing'
                     WHEN 'failed' THEN 'Circuit/channel congestion' END,
       CASE WHEN x.status = 'answered' AND x.direction = 'inbound' AND x.u6 < 0.08
            THEN 500 + 50 * floor(x.u5 * 1000) END,
       CASE WHEN x.status = 'answered' AND x.u6 > 0.98 THEN 'Asked for a price list, "urgent", call back, ok' END,
       CASE WHEN x.status = 'answered' AND x.u4 < 0.05 THEN 1 + floor(x.u3 * 5)::int END,
       CASE WHEN x.status = 'answered' AND x.u4 < 0.05 THEN 1 + floor(x.u2 * 5)::int END,
       CASE WHEN x.status <> 'in_progress'
            THEN x.started_at + (x.wait + coalesce(x.talk, 0)) * interval '1 second' ELSE x.started_at END
  FROM (
        SELECT y.*,
               CASE WHEN y.direction = 'internal' THEN NULL
                    WHEN y.block = 1 AND NOT y.is_new THEN '78' || lpad(y.g::text, 9, '0')
                    WHEN y.is_new THEN '79' || lpad((y.block * 32 + y.new_rank)::text, 9, '0')
                    WHEN y.u7 < 0.5
                    THEN '79' || lpad((y.block * 32 - 1 - floor(least((y.block - 1) * 32, 2000) * y.u6))::bigint::text, 9, '0')
                    ELSE '79' || lpad((32 + floor((y.block - 1) * 32 * y.u6))::bigint::text, 9, '0') END AS client_number,
               round((CASE WHEN y.status = 'in_progress' THEN NULL
                           WHEN y.direction = 'inbound' AND y.status = 'answered' THEN least(2 + -ln(1 - y.u2) * 8, 120)
                           WHEN y.direction = 'inbound' THEN 5 + 40 * y.u2
                           WHEN y.direction = 'outbound' THEN 3 + 20 * y.u2
                           ELSE 1 + 8 * y.u2 END)::numeric, 3) AS wait,
               round((CASE WHEN y.status = 'answered' THEN least(1 + -ln(1 - y.u3) * 150, 3600) END)::numeric, 3)
                   AS talk,
               1 + floor(55 * pow(y.u4, 1.4))::int AS my_pos
          FROM (
                SELECT z.*,
                       CASE WHEN z.r < 7 THEN 'internal' WHEN z.r < 35 THEN 'outbound' ELSE 'inbound' END AS direction,
                       (z.r >= 7 AND z.r < 17) OR (z.r >= 35 AND z.r < 57) AS is_new,
                       CASE WHEN z.r < 17 THEN z.r - 7 ELSE 10 + z.r - 35 END AS new_rank,
                       z.g / 100 AS block,
                       NOT (z.r >= 35 AND z.u1 < 0.04) AS reached,
                       CASE WHEN z.g >= 100 + :calls - 5 THEN 'in_progress'
                            WHEN z.r >= 35 AND z.u1 < 0.04 THEN CASE WHEN z.u1 < 0.01 THEN 'failed' ELSE 'abandoned' END
                            WHEN z.r >= 35 THEN CASE WHEN z.u1 < 0.84 THEN 'answered' WHEN z.u1 < 0.93 THEN 'missed'
                                                     WHEN z.u1 < 0.96 THEN 'busy' WHEN z.u1 < 0.995 THEN 'abandoned'
                                                     ELSE 'failed' END
                            WHEN z.r >= 7 THEN CASE WHEN z.u1 < 0.62 THEN 'answered' WHEN z.u1 < 0.85 THEN 'missed'
                                                    WHEN z.u1 < 0.95 THEN 'busy' ELSE 'failed' END
                            ELSE CASE WHEN z.u1 < 0.85 THEN 'answered' WHEN z.u1 < 0.97 THEN 'missed' ELSE 'busy' END
                       END AS status
                  FROM (
                        SELECT 100 + q.first_g + k - 1 AS g,
                               ((100 + q.first_g + k - 1) * 7919) % 100 AS r,
                               q.start + ((k - 1) + random()) / q.n * interval '1 hour' AS started_at,
                               random() AS u1, random() AS u2, random() AS u3, random() AS u4, random() AS u5,
                               random() AS u6, random() AS u7
                          FROM (SELECT s.start,
                                       (round(s.cum_hi / t.total * :calls) - round(s.cum_lo / t.total * :calls))::int AS n,
                                       round(s.cum_lo / t.total * :calls)::bigint AS first_g
                                  FROM gen_slot s, (SELECT max(cum_hi) AS total FROM gen_slot) t
                                 ORDER BY s.n) q,
                               LATERAL generate_series(1, q.n) k
                        -- OFFSET 0 keeps this level a subquery: pulled up, each reference to u1..u7 would draw
                        -- a new random().
                        OFFSET 0
                       ) z
               ) y
       ) x
  JOIN gen_employee me ON me.pos = x.my_pos
  LEFT JOIN gen_employee other
    ON x.direction = 'internal' AND other.pos = 1 + (x.my_pos + floor(x.u5 * 54)::int) % 55
  LEFT JOIN gen_employee answerer
    ON x.status = 'answered'
   AND answerer.pos = CASE WHEN x.direction = 'internal' THEN 1 + (x.my_pos + floor(x.u5 * 54)::int) % 55
                           ELSE x.my_pos END
  LEFT JOIN gen_did d ON x.direction = 'inbound' AND d.pos = 1 + floor(x.u5 * 8)::int;

-- ---------------------------------------------------------------- legs

-- Inbound: the answerer (or, unanswered, the employee who rang) is leg 1; 15 % of answered calls have a second
-- leg: a ring-group partner who was cancelled, or the colleague the call was transferred to.
-- Outbound and internal: the caller's own channel is leg 1 (its Uniqueid is the Linkedid); internal calls add the
-- callee as leg 2.
INSERT INTO calljournal.call_legs (
    call_id, leg_order, uniqueid, channel, endpoint, employee_id, employee_extension, started_at, answered_at,
    ended_at, disposition, ended_by)
SELECT c.id, leg.n,
       CASE WHEN leg.n = 1 AND c.direction <> 'inbound' THEN c.linkedid
            ELSE split_part(c.linkedid, '.', 1) || '.' || (split_part(c.linkedid, '.', 2)::bigint * 4 + leg.n) END,
       'PJSIP/' || e.extension || '-' || lpad(to_hex((c.id * 4 + leg.n) % 4294967296), 8, '0'),
       e.extension, e.id, e.extension,
       c.started_at + CASE WHEN leg.n = 1 THEN interval '0.2 s' ELSE interval '0.4 s' END,
       CASE WHEN leg.answered THEN coalesce(c.answered_at, c.started_at) END,
       c.ended_at,
       CASE WHEN leg.answered THEN 'answered'
            WHEN c.status = 'busy' THEN 'busy'
            WHEN c.status = 'failed' THEN 'failed'
            WHEN c.status = 'missed' THEN 'no_answer'
            ELSE 'cancelled' END,
       CASE WHEN leg.transferred_away THEN 'blind_transfer' ELSE 'hangup' END
  FROM calljournal.calls c
  CROSS JOIN LATERAL (
        SELECT c.direction = 'inbound' AND c.status = 'answered' AND c.id % 20 < 3 AS two_legs,
               c.direction = 'inbound' AND c.status = 'answered' AND c.id % 20 = 0 AS transferred
       ) shape
  CROSS JOIN LATERAL (
        SELECT n,
               CASE WHEN c.direction = 'inbound' THEN
                        CASE WHEN n = 1 THEN coalesce(c.answered_extension, (101 + (c.id * 31) % 55)::text)
                             ELSE (101 + (c.answered_extension::int - 100 + 7) % 55)::text END
                    WHEN n = 1 THEN c.caller_number
                    ELSE c.called_number END AS extension,
               CASE WHEN c.status <> 'answered' THEN false
                    WHEN c.direction = 'inbound' AND n = 2 THEN shape.transferred
                    ELSE true END AS answered,
               n = 1 AND shape.transferred AS transferred_away
          FROM generate_series(1, CASE WHEN c.direction = 'internal' OR shape.two_legs THEN 2 ELSE 1 END) n
       ) leg
  JOIN calljournal.employees e ON e.extension = leg.extension
 WHERE c.reached_employee;

-- ---------------------------------------------------------------- category marks

INSERT INTO calljournal.call_category_marks (call_id, category_id, employee_id, via, created_at)
SELECT c.id, cc.id, c.answered_employee_id, 'dtmf', c.ended_at
  FROM calljournal.calls c
  JOIN calljournal.call_categories cc ON cc.code = CASE WHEN c.value IS NOT NULL THEN 1 ELSE 2 END
 WHERE c.direction = 'inbound' AND c.status = 'answered' AND (c.value IS NOT NULL OR c.id % 25 = 0);

-- ---------------------------------------------------------------- callback tasks

-- Each missed inbound call is matched with the next answered call with the same number (either direction) within
-- three days; the misses before one such call form one done task. Misses never followed by a conversation form one task per number:
-- open when the last miss is within the last three days of the data, expired otherwise.
INSERT INTO calljournal.callback_tasks (
    pbx, caller_number, first_missed_call_id, last_missed_call_id, first_missed_at, last_missed_at, missed_count,
    missed_call_ids, deadline, status, closed_by_call_id, closed_at)
SELECT t.pbx, t.client_number,
       t.ids[1], t.ids[array_length(t.ids, 1)],
       t.first_missed_at, t.last_missed_at, array_length(t.ids, 1), t.ids,
       t.first_missed_at + interval '4 hours',
       CASE WHEN t.closed_by IS NOT NULL THEN 'done'
            WHEN t.last_missed_at > (SELECT max(started_at) FROM calljournal.calls) - interval '3 days' THEN 'open'
            ELSE 'expired' END,
       t.closed_by,
       CASE WHEN t.closed_by IS NOT NULL THEN t.closed_at
            WHEN t.last_missed_at > (SELECT max(started_at) FROM calljournal.calls) - interval '3 days' THEN NULL
            ELSE t.last_missed_at + interval '2 days' END
  FROM (
        SELECT m.pbx, m.client_number, nxt.id AS closed_by, min(nxt.answered_at) AS closed_at,
               array_agg(m.id ORDER BY m.ended_at) AS ids,
               min(m.ended_at) AS first_missed_at, max(m.ended_at) AS last_missed_at
          FROM calljournal.calls m
          LEFT JOIN LATERAL (
                SELECT a.id, a.answered_at
                  FROM calljournal.calls a
                 WHERE a.client_number = m.client_number AND a.status = 'answered'
                   AND a.started_at > m.ended_at AND a.started_at < m.ended_at + interval '3 days'
                 ORDER BY a.started_at
                 LIMIT 1
               ) nxt ON true
         WHERE m.direction = 'inbound' AND m.status IN ('missed', 'busy', 'abandoned') AND m.client_number IS NOT NULL
         GROUP BY m.pbx, m.client_number, nxt.id
       ) t
 ORDER BY t.first_missed_at;

DROP TABLE gen_slot, gen_did, gen_employee;

SELECT direction, status, count(*) FROM calljournal.calls GROUP BY 1, 2 ORDER BY 1, 2;
SELECT count(*) AS legs FROM calljournal.call_legs;
SELECT status, count(*) AS callback_tasks FROM calljournal.callback_tasks GROUP BY 1 ORDER BY 1;
