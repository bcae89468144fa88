/// The statements of the journal writer. Each takes whole columns as arrays (`unnest`), so one round trip writes a
/// batch of any size, and each is idempotent: replaying a batch after a crash or a lost COMMIT changes nothing.
enum JournalSQL {
    /// Upserts calls keyed by `(pbx, linkedid)`.
    ///
    /// An existing row is updated only by a newer version (`last_event_at`; at the same instant, only when what the
    /// journal shows differs, so a replay leaves `updated_at` alone), and a final row is never turned back into one
    /// in progress. Operator-owned columns (value, comment, ratings, category marks) are never
    /// touched. What needs history or the directory is decided here, where they are: the new-caller flag (no earlier
    /// call with the client's number), the answering employee's departments, and the DID's source labels.
    static let upsertCalls = """
        INSERT INTO calljournal.calls AS c (
            pbx, linkedid, direction, status, reached_employee, caller_number, caller_name, called_number, did,
            shown_number, dialed_number, client_number, started_at, answered_at, ended_at, wait_seconds, talk_seconds,
            answered_employee_id, answered_extension, department_names, source, medium, campaign, recording_file,
            queue_name, is_new_caller, is_target, hung_up_first, hangup_cause, hangup_cause_text, ended_while_disconnected,
            last_event_at, employee_id, hold_seconds, seen_in_part, consultation_for, queue_position,
            requested_employee_id, requested_department, route_status)
        SELECT r.pbx, r.linkedid, r.direction, r.status, r.reached_employee, r.caller_number, r.caller_name,
               r.called_number, r.did, r.shown_number, r.dialed_number, r.client_number, r.started_at, r.answered_at,
               r.ended_at, r.wait_seconds, r.talk_seconds, e.id, r.answered_extension,
               coalesce((SELECT array_agg(d.name ORDER BY d.name)
                           FROM calljournal.employee_departments ed
                           JOIN calljournal.departments d ON d.id = ed.department_id
                          WHERE ed.employee_id = e.id), '{}'),
               t.source, t.medium, t.campaign, r.recording_file, r.queue_name,
               r.client_number IS NOT NULL AND NOT EXISTS (
                   SELECT 1 FROM calljournal.calls p
                    WHERE p.client_number = r.client_number AND p.started_at < r.started_at),
               r.is_target, r.hung_up_first, r.hangup_cause, r.hangup_cause_text, r.ended_while_disconnected,
               r.last_event_at, attributed.id, r.hold_seconds, r.seen_in_part, r.consultation_for, r.queue_position,
               requested.id, r.requested_department, r.route_status
          FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[], $7::text[],
                      $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[],
                      $14::timestamptz[], $15::timestamptz[], $16::numeric[], $17::numeric[], $18::bigint[],
                      $19::text[], $20::text[], $21::boolean[], $22::text[], $23::integer[], $24::text[],
                      $25::boolean[], $26::timestamptz[], $27::text[], $28::bigint[], $29::numeric[], $30::boolean[],
                      $31::text[], $32::integer[], $33::bigint[], $34::text[], $35::text[])
               AS r(pbx, linkedid, direction, status, reached_employee, caller_number, caller_name, called_number,
                    did, shown_number, dialed_number, client_number, started_at, answered_at, ended_at, wait_seconds,
                    talk_seconds, answered_employee_id, answered_extension, recording_file, is_target, hung_up_first,
                    hangup_cause, hangup_cause_text, ended_while_disconnected, last_event_at, queue_name, employee_id,
                    hold_seconds, seen_in_part, consultation_for, queue_position, requested_employee_id,
                    requested_department, route_status)
          LEFT JOIN calljournal.employees e ON e.id = r.answered_employee_id
          LEFT JOIN calljournal.employees attributed ON attributed.id = r.employee_id
          LEFT JOIN calljournal.employees requested ON requested.id = r.requested_employee_id
          LEFT JOIN calljournal.tracking_numbers t ON t.did = r.did
        ON CONFLICT (pbx, linkedid) DO UPDATE SET
            direction = EXCLUDED.direction,
            status = EXCLUDED.status,
            reached_employee = EXCLUDED.reached_employee,
            caller_number = EXCLUDED.caller_number,
            caller_name = EXCLUDED.caller_name,
            called_number = EXCLUDED.called_number,
            did = EXCLUDED.did,
            shown_number = EXCLUDED.shown_number,
            dialed_number = EXCLUDED.dialed_number,
            client_number = EXCLUDED.client_number,
            started_at = EXCLUDED.started_at,
            answered_at = EXCLUDED.answered_at,
            ended_at = EXCLUDED.ended_at,
            wait_seconds = EXCLUDED.wait_seconds,
            talk_seconds = EXCLUDED.talk_seconds,
            answered_employee_id = EXCLUDED.answered_employee_id,
            answered_extension = EXCLUDED.answered_extension,
            employee_id = EXCLUDED.employee_id,
            department_names = CASE WHEN c.answered_employee_id IS NOT DISTINCT FROM EXCLUDED.answered_employee_id
                                         AND c.department_names <> '{}'
                                    THEN c.department_names ELSE EXCLUDED.department_names END,
            source = coalesce(c.source, EXCLUDED.source),
            medium = coalesce(c.medium, EXCLUDED.medium),
            campaign = coalesce(c.campaign, EXCLUDED.campaign),
            recording_file = \(recordingFile),
            queue_name = coalesce(EXCLUDED.queue_name, c.queue_name),
            -- Decided once, when the client's number is first known; a later rewrite of history does not flip it.
            is_new_caller = CASE WHEN c.last_event_at = '-infinity' OR c.client_number IS DISTINCT FROM EXCLUDED.client_number
                                 THEN EXCLUDED.is_new_caller ELSE c.is_new_caller END,
            is_target = EXCLUDED.is_target,
            hung_up_first = EXCLUDED.hung_up_first,
            hangup_cause = EXCLUDED.hangup_cause,
            hangup_cause_text = EXCLUDED.hangup_cause_text,
            ended_while_disconnected = EXCLUDED.ended_while_disconnected,
            last_event_at = EXCLUDED.last_event_at,
            hold_seconds = EXCLUDED.hold_seconds,
            seen_in_part = EXCLUDED.seen_in_part,
            consultation_for = coalesce(EXCLUDED.consultation_for, c.consultation_for),
            queue_position = coalesce(EXCLUDED.queue_position, c.queue_position),
            requested_employee_id = coalesce(c.requested_employee_id, EXCLUDED.requested_employee_id),
            requested_department = coalesce(c.requested_department, EXCLUDED.requested_department),
            route_status = coalesce(c.route_status, EXCLUDED.route_status)
        WHERE (c.status = 'in_progress' OR EXCLUDED.status <> 'in_progress')
          AND (c.last_event_at < EXCLUDED.last_event_at
               OR (c.last_event_at = EXCLUDED.last_event_at
                   AND (c.status, c.direction, c.answered_at, c.ended_at, c.wait_seconds, c.talk_seconds,
                        c.answered_extension, c.recording_file, c.hung_up_first, c.reached_employee,
                        c.ended_while_disconnected, c.hold_seconds, c.consultation_for)
                       IS DISTINCT FROM
                       (EXCLUDED.status, EXCLUDED.direction, EXCLUDED.answered_at, EXCLUDED.ended_at,
                        EXCLUDED.wait_seconds, EXCLUDED.talk_seconds, EXCLUDED.answered_extension,
                        \(recordingFile), EXCLUDED.hung_up_first, EXCLUDED.reached_employee,
                        EXCLUDED.ended_while_disconnected, EXCLUDED.hold_seconds, EXCLUDED.consultation_for)))
        """

    /// The recording file a call keeps: a complete final record decides (a call nobody talked on names none, its file
    /// being an empty header); an in-progress or partly seen record only adds a name it knows.
    private static let recordingFile = """
        CASE WHEN EXCLUDED.status <> 'in_progress' AND NOT EXCLUDED.seen_in_part THEN EXCLUDED.recording_file
             ELSE coalesce(EXCLUDED.recording_file, c.recording_file) END
        """

    /// Upserts employee legs, matched to their call by `(pbx, linkedid)`. A leg is written only from a record at
    /// least as new as the call row, so legs and call always come from the same version.
    static let upsertLegs = """
        INSERT INTO calljournal.call_legs AS l (
            call_id, leg_order, uniqueid, channel, endpoint, employee_id, employee_extension, started_at, answered_at,
            ended_at, disposition, ended_by, external_number, hold_seconds)
        SELECT c.id, r.leg_order, r.uniqueid, r.channel, r.endpoint, e.id, r.employee_extension, r.started_at,
               r.answered_at, r.ended_at, r.disposition, r.ended_by, r.external_number, r.hold_seconds
          FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::integer[], $5::text[], $6::text[], $7::text[],
                      $8::bigint[], $9::text[], $10::timestamptz[], $11::timestamptz[], $12::timestamptz[],
                      $13::text[], $14::text[], $15::text[], $16::numeric[])
               AS r(pbx, linkedid, record_last_event_at, leg_order, uniqueid, channel, endpoint, employee_id,
                    employee_extension, started_at, answered_at, ended_at, disposition, ended_by, external_number,
                    hold_seconds)
          JOIN calljournal.calls c ON c.pbx = r.pbx AND c.linkedid = r.linkedid AND c.last_event_at <= r.record_last_event_at
          LEFT JOIN calljournal.employees e ON e.id = r.employee_id
        ON CONFLICT (call_id, uniqueid) DO UPDATE SET
            leg_order = EXCLUDED.leg_order,
            channel = EXCLUDED.channel,
            endpoint = EXCLUDED.endpoint,
            employee_id = EXCLUDED.employee_id,
            employee_extension = EXCLUDED.employee_extension,
            started_at = EXCLUDED.started_at,
            answered_at = EXCLUDED.answered_at,
            ended_at = EXCLUDED.ended_at,
            disposition = EXCLUDED.disposition,
            ended_by = EXCLUDED.ended_by,
            external_number = EXCLUDED.external_number,
            hold_seconds = EXCLUDED.hold_seconds
        """

    /// Opens a callback task for a missed call, or joins the open task of that number. A call already counted by any
    /// task is skipped, so a replay never counts a miss twice.
    /// `$1` pbx, `$2` number, `$3` missed at, `$4` deadline, `$5` linkedid.
    static let openOrJoinCallbackTask = """
        INSERT INTO calljournal.callback_tasks AS t (
            pbx, caller_number, first_missed_call_id, last_missed_call_id, first_missed_at, last_missed_at,
            missed_count, missed_call_ids, deadline)
        SELECT $1, $2, c.id, c.id, $3, $3, 1, ARRAY[c.id], $4
          FROM calljournal.calls c
         WHERE c.pbx = $1 AND c.linkedid = $5
           AND NOT EXISTS (SELECT 1 FROM calljournal.callback_tasks k
                            WHERE k.pbx = $1 AND k.caller_number = $2 AND c.id = ANY (k.missed_call_ids))
        ON CONFLICT (pbx, caller_number) WHERE status = 'open' DO UPDATE SET
            last_missed_call_id = EXCLUDED.last_missed_call_id,
            last_missed_at = greatest(t.last_missed_at, EXCLUDED.last_missed_at),
            first_missed_at = least(t.first_missed_at, EXCLUDED.first_missed_at),
            missed_count = t.missed_count + 1,
            missed_call_ids = t.missed_call_ids || EXCLUDED.missed_call_ids
        """

    /// Closes the open callback task of a number with the call that reached the client.
    /// `$1` pbx, `$2` number, `$3` when, `$4` linkedid of the closing call.
    static let closeCallbackTask = """
        UPDATE calljournal.callback_tasks t
           SET status = 'done', closed_at = $3, closed_by_call_id = c.id
          FROM calljournal.calls c
         WHERE c.pbx = $1 AND c.linkedid = $4
           AND t.pbx = $1 AND t.caller_number = $2 AND t.status = 'open' AND t.first_missed_at <= $3
        """
}
