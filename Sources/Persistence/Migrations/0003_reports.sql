-- Reports for managers and DBAs: journal metrics (one row, or a series by hour/day/week ready to chart), the
-- employee efficiency report and the callback task report, with the indexes that keep them fast on a journal of
-- ten million calls (docs/dba.md shows their plans and timings).
--
-- Shared rules of every report:
--   * a period is [p_from, p_to) on calls.started_at: a call belongs to the period it started in, even when it
--     ends after p_to (a call spanning midnight counts for the day it started);
--   * calls still in progress (status in_progress) are left out; they are counted once they end;
--   * seconds are numeric; averages are rounded to 0.1 s, sums are exact (0.001 s);
--   * a call is attributed to the employee in calls.employee_id, which the daemon writes with the call: for
--     inbound and internal calls the employee who answered first, for outbound calls the employee who placed
--     them, answered or not (the employee of the call's first leg, the originating channel). NULL (nobody) for
--     unanswered inbound and internal calls and for calls of unknown endpoints. No report looks at call_legs to
--     attribute a call.
--
-- The report functions are PL/pgSQL with plan_cache_mode = force_custom_plan: every call is planned with the actual
-- period and filters, so an unused filter costs nothing and the planner sees how many calls the period holds, also
-- in long-lived sessions (BI tools, connection pools) where a generic plan would otherwise be cached.
-- employee_efficiency and callback_tasks_report also set work_mem = 64MB for themselves: a month of client numbers
-- (hash aggregates) or of callback tasks (sort) needs about that much and would spill to disk with the 4MB default.
-- employee_efficiency turns JIT compilation off for itself (the reason is given there).
--
-- Building the indexes below reads the whole calls table once (about a minute per ten million calls on two cores)
-- and blocks writes to calls meanwhile; the daemon keeps the journal changes in its spool and writes them after.

-- ---------------------------------------------------------------- indexes

-- Every report scans the calls of a period. This index holds, in started_at order, every column the metrics and
-- the efficiency report read, so a period is answered by an index-only scan of a narrow index instead of visiting
-- the wide call rows (recording file names, comments, caller names) page by page.
CREATE INDEX calls_report_idx ON calljournal.calls (started_at)
    INCLUDE (id, direction, status, is_target, is_new_caller, talk_seconds, wait_seconds, employee_id,
             client_number, did, source);
-- It is also the journal's only index on started_at: a plain one beside it made the planner prefer the narrower
-- index and read the wide rows (4 times the buffers, twice the time, for a month of reports).
COMMENT ON INDEX calljournal.calls_report_idx IS
    'Covering index of the reports: the calls of a period with every column journal_metrics and employee_efficiency read, for index-only scans.';

-- ---------------------------------------------------------------- the calls a report counts

CREATE FUNCTION calljournal.require_report_period(p_from timestamptz, p_to timestamptz) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_from IS NULL OR p_to IS NULL OR p_from > p_to THEN
        RAISE EXCEPTION 'report period [%, %) is not a period: give p_from <= p_to, both not null', p_from, p_to
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
END
$$;
COMMENT ON FUNCTION calljournal.require_report_period(timestamptz, timestamptz) IS
    'Raises invalid_parameter_value (22023) unless p_from and p_to are given and p_from <= p_to; an empty period (p_from = p_to) is allowed and counts nothing.';

CREATE FUNCTION calljournal.report_calls(
    p_from timestamptz, p_to timestamptz,
    p_direction text DEFAULT NULL, p_employee_id bigint DEFAULT NULL, p_department text DEFAULT NULL,
    p_source text DEFAULT NULL, p_did text DEFAULT NULL)
RETURNS SETOF calljournal.calls
-- PARALLEL SAFE matters although the function is inlined: the planner decides whether a query may run in
-- parallel before it inlines, and a month of calls is read twice as fast by two workers.
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT c.*
      FROM calljournal.calls c
     WHERE c.started_at >= p_from AND c.started_at < p_to
       AND c.status <> 'in_progress'
       AND (p_direction IS NULL OR c.direction = p_direction)
       AND (p_department IS NULL OR c.department_names @> ARRAY[p_department])
       AND (p_source IS NULL OR c.source = p_source)
       AND (p_did IS NULL OR c.did = p_did)
       AND (p_employee_id IS NULL OR c.employee_id = p_employee_id)
$$;
COMMENT ON FUNCTION calljournal.report_calls(timestamptz, timestamptz, text, bigint, text, text, text) IS
    'The completed calls a report counts: started in [p_from, p_to), not in_progress, matching every filter given (NULL = no filter). '
    'p_direction: inbound, outbound or internal. '
    'p_employee_id: calls attributed to the employee (calls.employee_id: inbound/internal answered first by them; outbound placed by them, answered or not); unanswered inbound calls are attributed to nobody. '
    'p_department: calls whose department_names (departments of the answering employee at the time of the call) contain this name; unanswered calls have none. '
    'p_source: tracking source label of the DID at the time of the call (calls.source). p_did: the company number dialled (calls.did). '
    'Use it to list the calls behind a figure of journal_metrics; it is inlined into the calling query.';

-- ---------------------------------------------------------------- journal metrics

CREATE FUNCTION calljournal.report_metrics(
    p_from timestamptz, p_to timestamptz, p_bucket text, p_time_zone text,
    p_direction text, p_employee_id bigint, p_department text, p_source text, p_did text)
RETURNS TABLE (bucket_start timestamptz, total_calls bigint, answered_calls bigint, target_calls bigint,
               new_caller_calls bigint, total_talk_seconds numeric, avg_talk_seconds numeric,
               avg_wait_seconds numeric)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_custom_plan
AS $$
#variable_conflict use_column
DECLARE
    -- Hour buckets are cut every 3600 s from the local hour that holds p_from (date_bin), so zones with a
    -- half-hour offset (Asia/Kolkata) get local hours and a DST change never merges or splits an hour.
    hour_origin timestamptz;
BEGIN
    PERFORM calljournal.require_report_period(p_from, p_to);
    IF p_bucket IS NOT NULL AND p_bucket NOT IN ('hour', 'day', 'week') THEN
        RAISE EXCEPTION 'unknown bucket "%": use hour, day or week', p_bucket USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_direction IS NOT NULL AND p_direction NOT IN ('inbound', 'outbound', 'internal') THEN
        RAISE EXCEPTION 'unknown direction "%": use inbound, outbound or internal', p_direction
              USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_time_zone IS NULL THEN
        RAISE EXCEPTION 'time zone is required, e.g. UTC or Europe/Moscow' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    hour_origin := date_trunc('hour', p_from AT TIME ZONE p_time_zone) AT TIME ZONE p_time_zone;

    RETURN QUERY
    WITH buckets AS (
        SELECT p_from AS bucket_start
         WHERE p_bucket IS NULL
        UNION ALL
        SELECT b
          FROM generate_series(hour_origin, p_to, interval '1 hour') b
         WHERE p_bucket = 'hour' AND b < p_to
        UNION ALL
        -- Days and weeks are local calendar days (23 or 25 hours on a DST change); weeks start on Monday.
        SELECT l AT TIME ZONE p_time_zone
          FROM generate_series(date_trunc(p_bucket, p_from AT TIME ZONE p_time_zone), p_to AT TIME ZONE p_time_zone,
                               ('1 ' || p_bucket)::interval) l
         WHERE p_bucket IN ('day', 'week') AND (l AT TIME ZONE p_time_zone) < p_to
    ), counted AS (
        SELECT CASE p_bucket
                   WHEN 'hour' THEN date_bin(interval '1 hour', c.started_at, hour_origin)
                   WHEN 'day' THEN date_trunc('day', c.started_at AT TIME ZONE p_time_zone) AT TIME ZONE p_time_zone
                   WHEN 'week' THEN date_trunc('week', c.started_at AT TIME ZONE p_time_zone) AT TIME ZONE p_time_zone
                   ELSE p_from
               END AS bucket_start,
               count(*) AS total_calls,
               count(*) FILTER (WHERE c.status = 'answered') AS answered_calls,
               count(*) FILTER (WHERE c.is_target) AS target_calls,
               count(*) FILTER (WHERE c.is_new_caller) AS new_caller_calls,
               sum(c.talk_seconds) AS total_talk_seconds,
               avg(coalesce(c.talk_seconds, 0)) FILTER (WHERE c.status = 'answered') AS avg_talk_seconds,
               avg(coalesce(c.wait_seconds, 0)) FILTER (WHERE c.status = 'answered') AS avg_wait_seconds
          FROM calljournal.report_calls(p_from, p_to, p_direction, p_employee_id, p_department, p_source, p_did) c
         GROUP BY 1
    )
    SELECT b.bucket_start,
           coalesce(m.total_calls, 0),
           coalesce(m.answered_calls, 0),
           coalesce(m.target_calls, 0),
           coalesce(m.new_caller_calls, 0),
           coalesce(m.total_talk_seconds, 0),
           round(m.avg_talk_seconds, 1),
           round(m.avg_wait_seconds, 1)
      FROM buckets b
      LEFT JOIN counted m ON m.bucket_start = b.bucket_start
     ORDER BY b.bucket_start;
END
$$;
COMMENT ON FUNCTION calljournal.report_metrics(timestamptz, timestamptz, text, text, text, bigint, text, text, text) IS
    'Engine of journal_metrics and journal_metrics_series (call those): the metrics per bucket (hour, day, week in p_time_zone), or for the whole period as one row starting at p_from when p_bucket is NULL.';

CREATE FUNCTION calljournal.journal_metrics(
    p_from timestamptz, p_to timestamptz,
    p_direction text DEFAULT NULL, p_employee_id bigint DEFAULT NULL, p_department text DEFAULT NULL,
    p_source text DEFAULT NULL, p_did text DEFAULT NULL)
RETURNS TABLE (total_calls bigint, answered_calls bigint, target_calls bigint, new_caller_calls bigint,
               total_talk_seconds numeric, avg_talk_seconds numeric, avg_wait_seconds numeric)
LANGUAGE sql STABLE AS $$
    SELECT m.total_calls, m.answered_calls, m.target_calls, m.new_caller_calls, m.total_talk_seconds,
           m.avg_talk_seconds, m.avg_wait_seconds
      FROM calljournal.report_metrics(p_from, p_to, NULL, 'UTC', p_direction, p_employee_id, p_department,
                                      p_source, p_did) m
$$;
COMMENT ON FUNCTION calljournal.journal_metrics(timestamptz, timestamptz, text, bigint, text, text, text) IS
    'Journal metrics of the completed calls started in [p_from, p_to), always exactly one row (zeros and NULL averages when no call matches). '
    'Filters, NULL = all: p_direction (inbound, outbound, internal), p_employee_id (calls attributed to the employee, calls.employee_id: answered first by them, or outbound placed by them, answered or not), '
    'p_department (departments of the answering employee at the time of the call), p_source (tracking source label), p_did (company number dialled); see report_calls. '
    'Columns: total_calls; answered_calls (status answered); target_calls (is_target: answered with enough talk); new_caller_calls (is_new_caller: first call with that number); '
    'total_talk_seconds (sum of talk); avg_talk_seconds and avg_wait_seconds (averages over the answered calls, 0.1 s, NULL without answered calls). '
    'Raises 22023 for p_from > p_to or an unknown direction.';

CREATE FUNCTION calljournal.journal_metrics_series(
    p_from timestamptz, p_to timestamptz, p_bucket text, p_time_zone text DEFAULT 'UTC',
    p_direction text DEFAULT NULL, p_employee_id bigint DEFAULT NULL, p_department text DEFAULT NULL,
    p_source text DEFAULT NULL, p_did text DEFAULT NULL)
RETURNS TABLE (bucket_start timestamptz, total_calls bigint, answered_calls bigint, target_calls bigint,
               new_caller_calls bigint, total_talk_seconds numeric, avg_talk_seconds numeric,
               avg_wait_seconds numeric)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_bucket IS NULL THEN
        RAISE EXCEPTION 'bucket is required: use hour, day or week' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
    SELECT * FROM calljournal.report_metrics(p_from, p_to, p_bucket, p_time_zone, p_direction, p_employee_id,
                                             p_department, p_source, p_did);
END
$$;
COMMENT ON FUNCTION calljournal.journal_metrics_series(timestamptz, timestamptz, text, text, text, bigint, text, text, text) IS
    'The journal_metrics of each bucket of [p_from, p_to), ready to chart: one row per bucket in time order, empty buckets included with zeros. '
    'p_bucket: hour, day or week (weeks start on Monday). p_time_zone (IANA name, default UTC): where buckets are cut, e.g. a day in Europe/Moscow starts at 21:00 UTC; '
    'days and weeks follow the local calendar (23 or 25 hours on a DST change), hours are 3600 s from the local hour holding p_from. '
    'bucket_start is the first instant of the bucket; the first bucket may start before p_from and the last end after p_to, but only calls started in [p_from, p_to) count. '
    'A call belongs to the bucket it started in. Filters as in journal_metrics. Raises 22023 for an unknown bucket or direction, or p_from > p_to.';

-- ---------------------------------------------------------------- employee efficiency

CREATE FUNCTION calljournal.employee_efficiency(p_from timestamptz, p_to timestamptz, p_department text DEFAULT NULL)
RETURNS TABLE (employee_id bigint, full_name text, extension text, departments text[],
               incoming_answered bigint, incoming_unique_numbers bigint, incoming_unique_numbers_total bigint,
               avg_wait_seconds numeric, outgoing_calls bigint, outgoing_unique_numbers bigint,
               outgoing_conversations bigint, total_talk_seconds numeric, avg_talk_seconds numeric)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_custom_plan
SET work_mem = '64MB'
-- JIT compilation does not pay here: the query is a handful of simple aggregates that JIT barely speeds up.
-- A month of a ten-million-call journal is estimated at about 120,000, past jit_above_cost (expression
-- compilation, 65 ms for no gain); from about five months on it passes the inlining and optimization
-- thresholds too, and compiling this query that way takes about 0.9 s, as long as a month's whole query.
SET jit = off
AS $$
#variable_conflict use_column
BEGIN
    PERFORM calljournal.require_report_period(p_from, p_to);
    IF p_department IS NOT NULL AND NOT EXISTS (SELECT 1 FROM calljournal.departments d WHERE d.name = p_department) THEN
        RAISE EXCEPTION 'unknown department "%"', p_department USING ERRCODE = 'invalid_parameter_value';
    END IF;

    RETURN QUERY
    -- The calls of the period are read once per direction (index-only from calls_report_idx) into narrow
    -- materialized rows; per-employee sums and the distinct numbers are then computed from those. Distinct
    -- numbers are counted with hash aggregates over (employee, number) pairs: several times faster on a month
    -- than count(DISTINCT), which sorts within each group.
    WITH inbound AS MATERIALIZED (
        SELECT c.employee_id, c.client_number, c.status = 'answered' AS answered,
               coalesce(c.wait_seconds, 0) AS wait, coalesce(c.talk_seconds, 0) AS talk
          FROM calljournal.report_calls(p_from, p_to, 'inbound') c
    ), incoming AS MATERIALIZED (
        SELECT i.employee_id, count(*) AS answered, avg(i.wait) AS avg_wait, sum(i.talk) AS talk
          FROM inbound i
         WHERE i.answered AND i.employee_id IS NOT NULL
         GROUP BY i.employee_id
    ), incoming_numbers AS MATERIALIZED (
        SELECT n.employee_id, count(*) AS unique_numbers
          FROM (SELECT DISTINCT i.employee_id, i.client_number
                  FROM inbound i
                 WHERE i.answered AND i.employee_id IS NOT NULL AND i.client_number IS NOT NULL) n
         GROUP BY n.employee_id
    ), incoming_total AS MATERIALIZED (
        SELECT count(*) AS unique_numbers
          FROM (SELECT DISTINCT i.client_number FROM inbound i WHERE i.client_number IS NOT NULL) n
    ), outbound AS MATERIALIZED (
        SELECT c.employee_id, c.client_number, c.status = 'answered' AS answered, coalesce(c.talk_seconds, 0) AS talk
          FROM calljournal.report_calls(p_from, p_to, 'outbound') c
    ), outgoing AS MATERIALIZED (
        SELECT o.employee_id, count(*) AS calls, count(*) FILTER (WHERE o.talk > 30) AS conversations,
               count(*) FILTER (WHERE o.answered) AS answered, sum(o.talk) AS talk
          FROM outbound o
         WHERE o.employee_id IS NOT NULL
         GROUP BY o.employee_id
    ), outgoing_numbers AS MATERIALIZED (
        SELECT n.employee_id, count(*) AS unique_numbers
          FROM (SELECT DISTINCT o.employee_id, o.client_number
                  FROM outbound o
                 WHERE o.employee_id IS NOT NULL AND o.client_number IS NOT NULL) n
         GROUP BY n.employee_id
    ), membership AS (
        SELECT ed.employee_id, array_agg(d.name ORDER BY d.name) AS departments
          FROM calljournal.employee_departments ed
          JOIN calljournal.departments d ON d.id = ed.department_id
         GROUP BY ed.employee_id
    )
    SELECT e.id,
           e.full_name,
           e.extension,
           coalesce(m.departments, '{}'),
           coalesce(i.answered, 0),
           coalesce(inn.unique_numbers, 0),
           t.unique_numbers,
           round(i.avg_wait, 1),
           coalesce(o.calls, 0),
           coalesce(outn.unique_numbers, 0),
           coalesce(o.conversations, 0),
           coalesce(i.talk, 0) + coalesce(o.talk, 0),
           round((coalesce(i.talk, 0) + coalesce(o.talk, 0))
                 / nullif(coalesce(i.answered, 0) + coalesce(o.answered, 0), 0), 1)
      FROM calljournal.employees e
      LEFT JOIN membership m ON m.employee_id = e.id
      LEFT JOIN incoming i ON i.employee_id = e.id
      LEFT JOIN incoming_numbers inn ON inn.employee_id = e.id
      LEFT JOIN outgoing o ON o.employee_id = e.id
      LEFT JOIN outgoing_numbers outn ON outn.employee_id = e.id
     CROSS JOIN incoming_total t
     WHERE (p_department IS NULL OR p_department = ANY (m.departments))
       -- Endpoints flagged ignore_in_journal (a fax, a test phone) get no calls attributed: list such an
       -- employee only when older calls still are.
       AND (NOT e.ignore_in_journal OR i.employee_id IS NOT NULL OR o.employee_id IS NOT NULL)
     ORDER BY e.full_name, e.id;
END
$$;
COMMENT ON FUNCTION calljournal.employee_efficiency(timestamptz, timestamptz, text) IS
    'Employee efficiency over the completed calls started in [p_from, p_to): one row per employee, those with no calls included (with zeros), '
    'of the department p_department (current membership; NULL = every employee; raises 22023 for an unknown name), ordered by name. '
    'Employees flagged ignore_in_journal are listed only when calls are attributed to them. Internal calls are not counted. '
    'Columns: employee_id, full_name, extension, departments (current, by name); '
    'incoming_answered (inbound calls the employee answered first); incoming_unique_numbers (distinct client numbers among them); '
    'incoming_unique_numbers_total (distinct client numbers of all inbound calls of the period, answered or not, whoever took them: the same on every row, the denominator for a share); '
    'avg_wait_seconds (average wait of the inbound calls the employee answered, NULL without any); '
    'outgoing_calls (outbound calls the employee placed, answered or not: calls.employee_id); outgoing_unique_numbers (distinct numbers dialled); '
    'outgoing_conversations (outbound calls with more than 30 s of talk); '
    'total_talk_seconds (talk of the answered inbound and the outbound calls: the whole call, transfers included, counts for the attributed employee); '
    'avg_talk_seconds (total_talk_seconds over the answered inbound and answered outbound calls, NULL without any).';

-- ---------------------------------------------------------------- callback tasks

CREATE VIEW calljournal.callback_report AS
SELECT t.id AS task_id,
       t.pbx,
       t.caller_number,
       ct.name AS contact_name,
       CASE WHEN t.status = 'open' AND t.deadline < now() THEN 'overdue' ELSE t.status END AS status,
       t.missed_count,
       t.first_missed_at,
       t.last_missed_at,
       t.deadline,
       t.closed_at,
       CASE WHEN t.status = 'done' THEN round(extract(epoch FROM t.closed_at - t.first_missed_at), 1)
       END AS time_to_callback_seconds,
       CASE WHEN t.status = 'open' THEN t.deadline < now() ELSE t.closed_at > t.deadline END AS past_deadline,
       t.closed_by_call_id,
       e.full_name AS called_back_by
  FROM calljournal.callback_tasks t
  LEFT JOIN calljournal.calls cb ON cb.id = t.closed_by_call_id
  LEFT JOIN calljournal.employees e ON e.id = cb.employee_id
  LEFT JOIN calljournal.contact_phones cp ON cp.phone = t.caller_number
  LEFT JOIN calljournal.contacts ct ON ct.id = cp.contact_id;
COMMENT ON VIEW calljournal.callback_report IS
    'Callback tasks as managers read them: status computed at query time (an open task past its deadline is overdue), time to call back, who called back. '
    'For a period use callback_tasks_report(p_from, p_to).';
COMMENT ON COLUMN calljournal.callback_report.task_id IS 'callback_tasks.id.';
COMMENT ON COLUMN calljournal.callback_report.pbx IS 'PBX the missed calls came to.';
COMMENT ON COLUMN calljournal.callback_report.caller_number IS 'The client number to call back.';
COMMENT ON COLUMN calljournal.callback_report.contact_name IS 'Name of the known contact with that number, if any.';
COMMENT ON COLUMN calljournal.callback_report.status IS 'open (before its deadline), overdue (open and past its deadline, as of the query''s transaction start), done (a conversation with the number happened) or expired (closed without a call).';
COMMENT ON COLUMN calljournal.callback_report.missed_count IS 'How many missed calls the task covers.';
COMMENT ON COLUMN calljournal.callback_report.first_missed_at IS 'When the first missed call ended.';
COMMENT ON COLUMN calljournal.callback_report.last_missed_at IS 'When the latest missed call ended.';
COMMENT ON COLUMN calljournal.callback_report.deadline IS 'When the callback was due.';
COMMENT ON COLUMN calljournal.callback_report.closed_at IS 'When the task was closed (done or expired); NULL while open.';
COMMENT ON COLUMN calljournal.callback_report.time_to_callback_seconds IS 'Done tasks only: seconds from the first missed call to the conversation that closed the task (0.1 s).';
COMMENT ON COLUMN calljournal.callback_report.past_deadline IS 'Open: the deadline has passed; done or expired: closed after the deadline.';
COMMENT ON COLUMN calljournal.callback_report.closed_by_call_id IS 'The answered call that closed the task (calls.id).';
COMMENT ON COLUMN calljournal.callback_report.called_back_by IS 'Employee the closing call is attributed to (calls.employee_id: who answered it, or placed it when it was outbound).';

CREATE FUNCTION calljournal.callback_tasks_report(p_from timestamptz, p_to timestamptz)
RETURNS SETOF calljournal.callback_report
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_custom_plan
SET work_mem = '64MB'
AS $$
BEGIN
    PERFORM calljournal.require_report_period(p_from, p_to);
    RETURN QUERY
    SELECT r.*
      FROM calljournal.callback_report r
     WHERE r.first_missed_at >= p_from AND r.first_missed_at < p_to
     ORDER BY r.first_missed_at, r.task_id;
END
$$;
COMMENT ON FUNCTION calljournal.callback_tasks_report(timestamptz, timestamptz) IS
    'The callback_report rows of the tasks whose first missed call ended in [p_from, p_to), oldest first. '
    'A task opened before p_from is not listed even if still open: for everything open now use SELECT * FROM calljournal.callback_report WHERE status IN (''open'', ''overdue''). '
    'Raises 22023 for p_from > p_to.';
