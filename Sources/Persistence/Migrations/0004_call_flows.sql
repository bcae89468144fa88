-- Every way an office connects a call: outside numbers as legs (an employee's mobile, a forward, an attended
-- transfer to an outside number), click-to-dial, pickup, park, blonde transfers, consultation calls, hold, queue
-- positions, what the route script chose, and calls seen only in part.
--
-- Adding nullable columns and widening CHECK constraints is quick whatever the size of the journal. Rebuilding
-- calls_report_idx (now partial: consultation calls left out) reads the whole calls table once, about a minute per
-- ten million calls on two cores, and blocks writes to calls meanwhile; the daemon keeps the journal changes in its
-- spool and writes them after. Rows written before this migration keep their values: their consultation calls are
-- not marked, and their legs' ended_by may show attended_transfer on a consultation call.

-- ---------------------------------------------------------------- calls

ALTER TABLE calljournal.calls DROP CONSTRAINT calls_status_check;
ALTER TABLE calljournal.calls ADD CONSTRAINT calls_status_check
    CHECK (status IN ('in_progress', 'answered', 'missed', 'busy', 'abandoned', 'failed', 'unknown'));
ALTER TABLE calljournal.calls DROP CONSTRAINT calls_hung_up_first_check;
ALTER TABLE calljournal.calls ADD CONSTRAINT calls_hung_up_first_check
    CHECK (hung_up_first IN ('client', 'employee', 'caller', 'callee', 'system'));

ALTER TABLE calljournal.calls
    ADD COLUMN hold_seconds numeric(10,3) CHECK (hold_seconds >= 0),
    ADD COLUMN seen_in_part boolean NOT NULL DEFAULT false,
    ADD COLUMN consultation_for text,
    ADD COLUMN queue_position integer CHECK (queue_position > 0),
    ADD COLUMN requested_employee_id bigint REFERENCES calljournal.employees (id) ON DELETE SET NULL,
    ADD COLUMN requested_department text,
    ADD COLUMN route_status text;

COMMENT ON COLUMN calljournal.calls.status IS
    'in_progress, answered, missed (rang, nobody answered; or a queue timed out), busy, abandoned (the caller hung up while it rang, waited in a queue, or in an IVR before anyone was rung), failed, or unknown (seen only in part and never seen answered: the outcome was not seen, so it is not guessed).';
COMMENT ON COLUMN calljournal.calls.hung_up_first IS
    'Who ended the conversation. Inbound and outbound calls: client (the outside party) or employee (the company''s side, including an outside number the call was put through to); internal calls: caller or callee; any call: system (Asterisk: dialplan Hangup(), timeouts, a busy or unanswered callee). A callee that never answered does not count.';
COMMENT ON COLUMN calljournal.calls.talk_seconds IS
    'Seconds of conversation: the union of the legs'' answered intervals, from the call''s answer on, less time on hold (hold_seconds). Time parked or ringing a transfer target is not talk.';
COMMENT ON COLUMN calljournal.calls.hold_seconds IS
    'Seconds the client spent on hold (an employee''s Hold until Unhold) while the call was answered; not part of talk_seconds. NULL for rows written before it was measured and for calls seen only in part whose answer was not seen.';
COMMENT ON COLUMN calljournal.calls.seen_in_part IS
    'The call was not seen from its beginning (the daemon started or reconnected during it, or a replayed capture starts mid-call). Facts that were not seen are NULL (wait_seconds always, answered_at and talk_seconds when the answer itself was not seen) instead of guessed.';
COMMENT ON COLUMN calljournal.calls.consultation_for IS
    'Set on the consultation call of an attended or blonde transfer: the linkedid of the call it served (same pbx). The transfer is recorded on that call''s legs; reports leave consultation calls out.';
COMMENT ON COLUMN calljournal.calls.queue_position IS
    'The caller''s position in the queue when they left it unanswered (QueueCallerAbandon), else when they joined.';
COMMENT ON COLUMN calljournal.calls.requested_employee_id IS
    'The employee the route FastAGI script chose (ROUTE_EMPLOYEE_ID), whoever answered in the end: "rang Sasha, Boris picked up".';
COMMENT ON COLUMN calljournal.calls.requested_department IS
    'The department the route script chose (ROUTE_DEPARTMENT), when it routed to a department.';
COMMENT ON COLUMN calljournal.calls.route_status IS
    'What the route script answered first (ROUTE_STATUS: OK, OFFLINE, UNKNOWN, CLOSED): "routed to Sales, nobody online".';

CREATE INDEX calls_consultation_for_idx ON calljournal.calls (pbx, consultation_for) WHERE consultation_for IS NOT NULL;
COMMENT ON INDEX calljournal.calls_consultation_for_idx IS 'The consultation calls of a transferred call.';

-- ---------------------------------------------------------------- legs

ALTER TABLE calljournal.call_legs DROP CONSTRAINT call_legs_ended_by_check;
ALTER TABLE calljournal.call_legs ADD CONSTRAINT call_legs_ended_by_check
    CHECK (ended_by IN ('hangup', 'blind_transfer', 'attended_transfer', 'blonde_transfer', 'picked_up', 'parked', 'moved'));
ALTER TABLE calljournal.call_legs
    ADD COLUMN external_number text,
    ADD COLUMN hold_seconds numeric(10,3) CHECK (hold_seconds >= 0);

COMMENT ON TABLE calljournal.call_legs IS
    'One row per channel of a call that rang or talked to an employee, or to an outside number the call was put through to.';
COMMENT ON COLUMN calljournal.call_legs.ended_by IS
    'hangup; blind_transfer, attended_transfer or blonde_transfer (transferred while the target still rang): the leg handed the call on, recorded once, on the transferred call; picked_up (another employee took the ringing call); parked; moved (the channel left this call for another: the target of an attended transfer leaving the consultation call).';
COMMENT ON COLUMN calljournal.call_legs.external_number IS
    'For a leg through a trunk (an employee''s mobile, a forwarded or transferred-to outside number): the number dialled. employee_id is then the employee whose phone number it is, if any.';
COMMENT ON COLUMN calljournal.call_legs.hold_seconds IS
    'Seconds this leg held the client (Hold until Unhold) while in conversation; not part of its talk.';
COMMENT ON COLUMN calljournal.call_legs.endpoint IS 'SIP endpoint (or trunk) of the channel, e.g. 101.';

-- ---------------------------------------------------------------- reports

-- Consultation calls serve another call; counting them would count a transfer as a second call of the client.
DROP INDEX calljournal.calls_report_idx;
CREATE INDEX calls_report_idx ON calljournal.calls (started_at)
    INCLUDE (id, direction, status, is_target, is_new_caller, talk_seconds, wait_seconds, employee_id,
             client_number, did, source)
    WHERE consultation_for IS NULL;
COMMENT ON INDEX calljournal.calls_report_idx IS
    'Covering index of the reports: the calls of a period (consultation calls left out) with every column journal_metrics and employee_efficiency read, for index-only scans.';

CREATE OR REPLACE FUNCTION calljournal.report_calls(
    p_from timestamptz, p_to timestamptz,
    p_direction text DEFAULT NULL, p_employee_id bigint DEFAULT NULL, p_department text DEFAULT NULL,
    p_source text DEFAULT NULL, p_did text DEFAULT NULL)
RETURNS SETOF calljournal.calls
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT c.*
      FROM calljournal.calls c
     WHERE c.started_at >= p_from AND c.started_at < p_to
       AND c.consultation_for IS NULL
       AND c.status <> 'in_progress'
       AND (p_direction IS NULL OR c.direction = p_direction)
       AND (p_department IS NULL OR c.department_names @> ARRAY[p_department])
       AND (p_source IS NULL OR c.source = p_source)
       AND (p_did IS NULL OR c.did = p_did)
       AND (p_employee_id IS NULL OR c.employee_id = p_employee_id)
$$;
COMMENT ON FUNCTION calljournal.report_calls(timestamptz, timestamptz, text, bigint, text, text, text) IS
    'The completed calls a report counts: started in [p_from, p_to), not in_progress, not the consultation call of a transfer, matching every filter given (NULL = no filter). '
    'p_direction: inbound, outbound or internal. '
    'p_employee_id: calls attributed to the employee (calls.employee_id: inbound/internal answered first by them; outbound placed by them, answered or not); unanswered inbound calls are attributed to nobody. '
    'p_department: calls whose department_names (departments of the answering employee at the time of the call) contain this name; unanswered calls have none. '
    'p_source: tracking source label of the DID at the time of the call (calls.source). p_did: the company number dialled (calls.did). '
    'Use it to list the calls behind a figure of journal_metrics; it is inlined into the calling query.';

-- ---------------------------------------------------------------- the journal view

-- One row per call people look at: consultation calls are kept in calls but not shown here.
CREATE OR REPLACE VIEW calljournal.journal AS
SELECT c.id,
       c.pbx,
       c.linkedid,
       c.started_at,
       c.direction,
       c.status,
       c.client_number,
       c.caller_number,
       c.caller_name,
       c.called_number,
       c.did,
       c.shown_number,
       c.answered_extension,
       e.full_name                                   AS employee_name,
       array_to_string(c.department_names, ', ')     AS departments,
       c.wait_seconds,
       c.talk_seconds,
       (SELECT string_agg(cc.name, ', ' ORDER BY cc.code)
          FROM calljournal.call_category_marks m
          JOIN calljournal.call_categories cc ON cc.id = m.category_id
         WHERE m.call_id = c.id)                     AS categories,
       c.value,
       c.comment,
       c.call_rating,
       c.employee_rating,
       c.source,
       c.medium,
       c.campaign,
       c.is_new_caller,
       c.is_target,
       c.hung_up_first,
       c.hangup_cause_text,
       c.recording_file,
       c.queue_name,
       c.ended_at,
       c.ended_while_disconnected,
       c.hold_seconds,
       c.seen_in_part,
       c.queue_position,
       requested.full_name                           AS requested_employee_name,
       c.requested_department,
       c.route_status
  FROM calljournal.calls c
  LEFT JOIN calljournal.employees e ON e.id = c.answered_employee_id
  LEFT JOIN calljournal.employees requested ON requested.id = c.requested_employee_id
 WHERE c.consultation_for IS NULL;
COMMENT ON VIEW calljournal.journal IS
    'One human-readable row per call (consultation calls of transfers left out): employee name, departments, categories and source labels; for people and BI tools.';
COMMENT ON COLUMN calljournal.journal.requested_employee_name IS 'Name of the employee the route script chose.';

DO $$
DECLARE
    col record;
BEGIN
    FOR col IN
        SELECT v.attname, col_description('calljournal.calls'::regclass, c.attnum) AS comment
          FROM pg_attribute v
          JOIN pg_attribute c ON c.attrelid = 'calljournal.calls'::regclass AND c.attname = v.attname
         WHERE v.attrelid = 'calljournal.journal'::regclass AND v.attnum > 0
    LOOP
        EXECUTE format('COMMENT ON COLUMN calljournal.journal.%I IS %L', col.attname, col.comment);
    END LOOP;
END
$$;
