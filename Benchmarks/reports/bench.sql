-- Times each report over one month of a generated journal (generate.sql) and prints the plans of the queries
-- inside the report functions with auto_explain (ANALYZE, BUFFERS). Needs a superuser (LOAD auto_explain).
--
--   psql -X -v ON_ERROR_STOP=1 -v month_from=2025-11-01 -v month_to=2025-12-01 -f bench.sql > bench.out 2>&1
--
-- Each report runs three times with \timing; the plan comes from a fourth run. The plans are the ones of the
-- statements inside the PL/pgSQL functions (RETURN QUERY), which a plain EXPLAIN of the function call cannot show.

\set ON_ERROR_STOP 1
\if :{?month_from}
\else
\set month_from 2025-11-01
\endif
\if :{?month_to}
\else
\set month_to 2025-12-01
\endif
SET TIME ZONE 'UTC';
\set f '''' :month_from ' 00:00Z'''
\set t '''' :month_to ' 00:00Z'''
\pset pager off

\echo '==== sizes'
SELECT relname, pg_size_pretty(pg_relation_size(oid)) AS size, reltuples::bigint AS rows
  FROM pg_class
 WHERE relnamespace = 'calljournal'::regnamespace AND relkind IN ('r', 'i')
 ORDER BY pg_relation_size(oid) DESC;
SELECT count(*) AS calls_in_month FROM calljournal.calls WHERE started_at >= :f AND started_at < :t;

\echo '==== journal_metrics, no filter'
\timing on
SELECT * FROM calljournal.journal_metrics(:f, :t);
SELECT * FROM calljournal.journal_metrics(:f, :t);
SELECT * FROM calljournal.journal_metrics(:f, :t);
\timing off

\echo '==== journal_metrics, inbound + department Sales'
\timing on
SELECT * FROM calljournal.journal_metrics(:f, :t, p_direction => 'inbound', p_department => 'Sales');
SELECT * FROM calljournal.journal_metrics(:f, :t, p_direction => 'inbound', p_department => 'Sales');
SELECT * FROM calljournal.journal_metrics(:f, :t, p_direction => 'inbound', p_department => 'Sales');
\timing off

\echo '==== journal_metrics, one employee'
\timing on
SELECT * FROM calljournal.journal_metrics(:f, :t, p_employee_id => (SELECT id FROM calljournal.employees WHERE extension = '105'));
SELECT * FROM calljournal.journal_metrics(:f, :t, p_employee_id => (SELECT id FROM calljournal.employees WHERE extension = '105'));
SELECT * FROM calljournal.journal_metrics(:f, :t, p_employee_id => (SELECT id FROM calljournal.employees WHERE extension = '105'));
\timing off

\echo '==== journal_metrics_series, day, Europe/Moscow'
\timing on
SELECT count(*), sum(total_calls) FROM calljournal.journal_metrics_series(:f, :t, 'day', 'Europe/Moscow');
SELECT count(*), sum(total_calls) FROM calljournal.journal_metrics_series(:f, :t, 'day', 'Europe/Moscow');
SELECT count(*), sum(total_calls) FROM calljournal.journal_metrics_series(:f, :t, 'day', 'Europe/Moscow');
\timing off

\echo '==== journal_metrics_series, hour, Europe/Moscow'
\timing on
SELECT count(*), sum(total_calls) FROM calljournal.journal_metrics_series(:f, :t, 'hour', 'Europe/Moscow');
SELECT count(*), sum(total_calls) FROM calljournal.journal_metrics_series(:f, :t, 'hour', 'Europe/Moscow');
SELECT count(*), sum(total_calls) FROM calljournal.journal_metrics_series(:f, :t, 'hour', 'Europe/Moscow');
\timing off

\echo '==== employee_efficiency, all'
\timing on
SELECT count(*), sum(incoming_answered), sum(outgoing_calls) FROM calljournal.employee_efficiency(:f, :t);
SELECT count(*), sum(incoming_answered), sum(outgoing_calls) FROM calljournal.employee_efficiency(:f, :t);
SELECT count(*), sum(incoming_answered), sum(outgoing_calls) FROM calljournal.employee_efficiency(:f, :t);
\timing off

\echo '==== employee_efficiency, Sales'
\timing on
SELECT count(*), sum(incoming_answered), sum(outgoing_calls) FROM calljournal.employee_efficiency(:f, :t, 'Sales');
SELECT count(*), sum(incoming_answered), sum(outgoing_calls) FROM calljournal.employee_efficiency(:f, :t, 'Sales');
SELECT count(*), sum(incoming_answered), sum(outgoing_calls) FROM calljournal.employee_efficiency(:f, :t, 'Sales');
\timing off

\echo '==== callback_tasks_report'
\timing on
SELECT status, count(*), round(avg(time_to_callback_seconds)) FROM calljournal.callback_tasks_report(:f, :t) GROUP BY 1 ORDER BY 1;
SELECT status, count(*), round(avg(time_to_callback_seconds)) FROM calljournal.callback_tasks_report(:f, :t) GROUP BY 1 ORDER BY 1;
SELECT status, count(*), round(avg(time_to_callback_seconds)) FROM calljournal.callback_tasks_report(:f, :t) GROUP BY 1 ORDER BY 1;
\timing off

\echo '==== plans (auto_explain, nested statements)'
LOAD 'auto_explain';
SET auto_explain.log_min_duration = 0;
SET auto_explain.log_analyze = on;
SET auto_explain.log_buffers = on;
SET auto_explain.log_timing = on;
SET auto_explain.log_nested_statements = on;
SET client_min_messages = log;
\echo '---- journal_metrics, no filter'
SELECT * FROM calljournal.journal_metrics(:f, :t);
\echo '---- journal_metrics, inbound + department Sales'
SELECT * FROM calljournal.journal_metrics(:f, :t, p_direction => 'inbound', p_department => 'Sales');
\echo '---- journal_metrics, one employee'
SELECT * FROM calljournal.journal_metrics(:f, :t, p_employee_id => (SELECT id FROM calljournal.employees WHERE extension = '105'));
\echo '---- journal_metrics_series, day, Europe/Moscow'
SELECT count(*) FROM calljournal.journal_metrics_series(:f, :t, 'day', 'Europe/Moscow');
\echo '---- employee_efficiency, all'
SELECT count(*) FROM calljournal.employee_efficiency(:f, :t);
\echo '---- callback_tasks_report'
SELECT count(*) FROM calljournal.callback_tasks_report(:f, :t);
