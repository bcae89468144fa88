-- calljournal schema v1: the directory (employees, departments, endpoints, categories, contacts, tracking numbers)
-- and the journal (calls, legs, category marks, callback tasks). Everything lives in schema calljournal.

CREATE SCHEMA IF NOT EXISTS calljournal;
COMMENT ON SCHEMA calljournal IS 'Call journal kept by the calljournal daemon from Asterisk AMI events and FastAGI menus.';

-- ---------------------------------------------------------------- directory

CREATE TABLE calljournal.employees (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    full_name       text NOT NULL CHECK (btrim(full_name) <> ''),
    email           text UNIQUE CHECK (email IS NULL OR email LIKE '%_@_%'),
    access_level    text NOT NULL DEFAULT 'employee' CHECK (access_level IN ('employee', 'analyst', 'admin')),
    integration_id  uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    extension       text NOT NULL UNIQUE CHECK (extension ~ '^[0-9]{1,15}$'),
    is_online       boolean NOT NULL DEFAULT true,
    ignore_in_journal boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE calljournal.employees IS 'People who answer and make calls; the directory the FastAGI router and the call tracker use.';
COMMENT ON COLUMN calljournal.employees.id IS 'Surrogate key.';
COMMENT ON COLUMN calljournal.employees.full_name IS 'Name as shown in the journal and reports.';
COMMENT ON COLUMN calljournal.employees.email IS 'Work e-mail, unique when given.';
COMMENT ON COLUMN calljournal.employees.access_level IS 'employee, analyst or admin: what the person may see in reporting tools built on the journal.';
COMMENT ON COLUMN calljournal.employees.integration_id IS 'Stable generated identifier for matching with a CRM or other systems; never changes.';
COMMENT ON COLUMN calljournal.employees.extension IS 'Internal extension (digits), unique; dialled by colleagues and used by the route script.';
COMMENT ON COLUMN calljournal.employees.is_online IS 'False when the employee set themselves offline: the route script answers OFFLINE.';
COMMENT ON COLUMN calljournal.employees.ignore_in_journal IS 'Calls on this employee''s endpoints are journaled but not attributed to them.';
COMMENT ON COLUMN calljournal.employees.created_at IS 'When the row was created.';
COMMENT ON COLUMN calljournal.employees.updated_at IS 'When the row last changed.';

CREATE TABLE calljournal.departments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
    created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE calljournal.departments IS 'Departments (sales, support, …) employees belong to.';
COMMENT ON COLUMN calljournal.departments.id IS 'Surrogate key.';
COMMENT ON COLUMN calljournal.departments.name IS 'Unique department name.';
COMMENT ON COLUMN calljournal.departments.created_at IS 'When the row was created.';

CREATE TABLE calljournal.employee_departments (
    employee_id   bigint NOT NULL REFERENCES calljournal.employees (id) ON DELETE CASCADE,
    department_id bigint NOT NULL REFERENCES calljournal.departments (id) ON DELETE CASCADE,
    PRIMARY KEY (employee_id, department_id)
);
CREATE INDEX employee_departments_department_idx ON calljournal.employee_departments (department_id);
COMMENT ON TABLE calljournal.employee_departments IS 'Which departments an employee is in; an employee may be in several.';
COMMENT ON COLUMN calljournal.employee_departments.employee_id IS 'The employee.';
COMMENT ON COLUMN calljournal.employee_departments.department_id IS 'The department.';

CREATE TABLE calljournal.employee_endpoints (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    employee_id bigint NOT NULL REFERENCES calljournal.employees (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('sip', 'phone')),
    address     text NOT NULL CHECK (address ~ '^[A-Za-z0-9_.+-]{1,80}$'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, address)
);
CREATE INDEX employee_endpoints_employee_idx ON calljournal.employee_endpoints (employee_id);
COMMENT ON TABLE calljournal.employee_endpoints IS 'Where an employee can be reached: SIP accounts (Asterisk endpoints) and phone numbers; several of each, each unique.';
COMMENT ON COLUMN calljournal.employee_endpoints.id IS 'Surrogate key.';
COMMENT ON COLUMN calljournal.employee_endpoints.employee_id IS 'The employee reached there.';
COMMENT ON COLUMN calljournal.employee_endpoints.kind IS 'sip: an Asterisk endpoint name (PJSIP/<address>); phone: a number dialled through a trunk.';
COMMENT ON COLUMN calljournal.employee_endpoints.address IS 'The SIP endpoint name or the phone number (digits, optional +).';
COMMENT ON COLUMN calljournal.employee_endpoints.created_at IS 'When the row was created.';

CREATE TABLE calljournal.call_categories (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        integer NOT NULL UNIQUE CHECK (code BETWEEN 0 AND 999999),
    name        text NOT NULL CHECK (btrim(name) <> ''),
    value       numeric(14,2) CHECK (value IS NULL OR value >= 0),
    is_active   boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE calljournal.call_categories IS 'Call categories an agent keys in after a call (post-call menu) or sets from the CLI.';
COMMENT ON COLUMN calljournal.call_categories.id IS 'Surrogate key.';
COMMENT ON COLUMN calljournal.call_categories.code IS 'The number the agent keys in on the phone; unique.';
COMMENT ON COLUMN calljournal.call_categories.name IS 'Human-readable category name.';
COMMENT ON COLUMN calljournal.call_categories.value IS 'Default value of a call in this category (currency of the business), if any.';
COMMENT ON COLUMN calljournal.call_categories.is_active IS 'Inactive categories are kept for history but can no longer be keyed in.';
COMMENT ON COLUMN calljournal.call_categories.created_at IS 'When the row was created.';

CREATE TABLE calljournal.contacts (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                    text NOT NULL CHECK (btrim(name) <> ''),
    company                 text,
    address                 text,
    responsible_employee_id bigint REFERENCES calljournal.employees (id) ON DELETE SET NULL,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_responsible_idx ON calljournal.contacts (responsible_employee_id);
COMMENT ON TABLE calljournal.contacts IS 'Known clients; a call from one of their phones is routed to the responsible employee.';
COMMENT ON COLUMN calljournal.contacts.id IS 'Surrogate key.';
COMMENT ON COLUMN calljournal.contacts.name IS 'Contact person or client name.';
COMMENT ON COLUMN calljournal.contacts.company IS 'Company, if any.';
COMMENT ON COLUMN calljournal.contacts.address IS 'Postal address, free text.';
COMMENT ON COLUMN calljournal.contacts.responsible_employee_id IS 'The employee who looks after this client; calls from the client go to them first.';
COMMENT ON COLUMN calljournal.contacts.created_at IS 'When the row was created.';
COMMENT ON COLUMN calljournal.contacts.updated_at IS 'When the row last changed.';

CREATE TABLE calljournal.contact_phones (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contact_id  bigint NOT NULL REFERENCES calljournal.contacts (id) ON DELETE CASCADE,
    phone       text NOT NULL UNIQUE CHECK (phone ~ '^[0-9]{3,20}$')
);
CREATE INDEX contact_phones_contact_idx ON calljournal.contact_phones (contact_id);
COMMENT ON TABLE calljournal.contact_phones IS 'Phone numbers of contacts; several per contact, each number belongs to one contact.';
COMMENT ON COLUMN calljournal.contact_phones.id IS 'Surrogate key.';
COMMENT ON COLUMN calljournal.contact_phones.contact_id IS 'The contact.';
COMMENT ON COLUMN calljournal.contact_phones.phone IS 'The number as Asterisk reports the caller ID, digits only.';

CREATE TABLE calljournal.tracking_numbers (
    did         text PRIMARY KEY CHECK (did ~ '^[0-9]{1,20}$'),
    source      text,
    medium      text,
    campaign    text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE calljournal.tracking_numbers IS 'Company numbers (DIDs) published in an advertising channel: a call to one is labelled with its source.';
COMMENT ON COLUMN calljournal.tracking_numbers.did IS 'The number as Asterisk sees it in the inbound context (the dialled extension).';
COMMENT ON COLUMN calljournal.tracking_numbers.source IS 'Traffic source label, e.g. google.';
COMMENT ON COLUMN calljournal.tracking_numbers.medium IS 'Medium label, e.g. cpc.';
COMMENT ON COLUMN calljournal.tracking_numbers.campaign IS 'Campaign label.';
COMMENT ON COLUMN calljournal.tracking_numbers.created_at IS 'When the row was created.';

-- ---------------------------------------------------------------- journal

CREATE TABLE calljournal.calls (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pbx                     text NOT NULL,
    linkedid                text NOT NULL,
    direction               text NOT NULL CHECK (direction IN ('inbound', 'outbound', 'internal')),
    status                  text NOT NULL CHECK (status IN ('in_progress', 'answered', 'missed', 'busy', 'abandoned', 'failed')),
    reached_employee        boolean NOT NULL DEFAULT false,
    caller_number           text,
    caller_name             text,
    called_number           text,
    did                     text,
    shown_number            text,
    dialed_number           text,
    client_number           text,
    started_at              timestamptz NOT NULL,
    answered_at             timestamptz,
    ended_at                timestamptz,
    wait_seconds            numeric(10,3) CHECK (wait_seconds >= 0),
    talk_seconds            numeric(10,3) CHECK (talk_seconds >= 0),
    answered_employee_id    bigint REFERENCES calljournal.employees (id) ON DELETE SET NULL,
    answered_extension      text,
    employee_id             bigint REFERENCES calljournal.employees (id) ON DELETE SET NULL,
    department_names        text[] NOT NULL DEFAULT '{}',
    source                  text,
    medium                  text,
    campaign                text,
    recording_file          text,
    queue_name              text,
    is_new_caller           boolean NOT NULL DEFAULT false,
    is_target               boolean NOT NULL DEFAULT false,
    hung_up_first           text CHECK (hung_up_first IN ('client', 'employee', 'system')),
    hangup_cause            integer,
    hangup_cause_text       text,
    ended_while_disconnected boolean NOT NULL DEFAULT false,
    value                   numeric(14,2) CHECK (value IS NULL OR value >= 0),
    comment                 text,
    call_rating             smallint CHECK (call_rating BETWEEN 1 AND 5),
    employee_rating         smallint CHECK (employee_rating BETWEEN 1 AND 5),
    last_event_at           timestamptz NOT NULL,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    UNIQUE (pbx, linkedid),
    CHECK ((status = 'in_progress') = (ended_at IS NULL)),
    CHECK (answered_at IS NULL OR answered_at >= started_at),
    CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX calls_client_number_idx ON calljournal.calls (client_number, started_at);
CREATE INDEX calls_answered_employee_idx ON calljournal.calls (answered_employee_id, started_at);
CREATE INDEX calls_in_progress_idx ON calljournal.calls (pbx) WHERE status = 'in_progress';
COMMENT ON TABLE calljournal.calls IS 'One row per call (the channels sharing one Asterisk Linkedid on one PBX); created when the call starts (status in_progress) and completed when it ends.';
COMMENT ON COLUMN calljournal.calls.id IS 'Surrogate key.';
COMMENT ON COLUMN calljournal.calls.pbx IS 'Name of the Asterisk server (configured AMI server name).';
COMMENT ON COLUMN calljournal.calls.linkedid IS 'Asterisk Linkedid: the Uniqueid of the first channel of the call.';
COMMENT ON COLUMN calljournal.calls.direction IS 'inbound (from a trunk), outbound (employee to a trunk) or internal (employee to employee).';
COMMENT ON COLUMN calljournal.calls.status IS 'in_progress, answered, missed (nobody answered), busy, abandoned (caller gave up while ringing) or failed.';
COMMENT ON COLUMN calljournal.calls.reached_employee IS 'False for calls that never rang an employee (IVR only, voicemail, no route).';
COMMENT ON COLUMN calljournal.calls.caller_number IS 'Caller ID number of the calling side.';
COMMENT ON COLUMN calljournal.calls.caller_name IS 'Caller ID name of the calling side.';
COMMENT ON COLUMN calljournal.calls.called_number IS 'Number dialled: the DID (inbound), the extension (internal) or the client''s number (outbound).';
COMMENT ON COLUMN calljournal.calls.did IS 'Company number the client dialled (inbound calls).';
COMMENT ON COLUMN calljournal.calls.shown_number IS 'Caller ID shown to the client on outbound calls.';
COMMENT ON COLUMN calljournal.calls.dialed_number IS 'Number really dialled on outbound calls.';
COMMENT ON COLUMN calljournal.calls.client_number IS 'The outside party: caller on inbound calls, dialled number on outbound calls; NULL for internal calls.';
COMMENT ON COLUMN calljournal.calls.started_at IS 'When the first channel of the call appeared (AMI Timestamp).';
COMMENT ON COLUMN calljournal.calls.answered_at IS 'When an employee (outbound: the client) answered.';
COMMENT ON COLUMN calljournal.calls.ended_at IS 'When the last channel hung up; NULL while in progress.';
COMMENT ON COLUMN calljournal.calls.wait_seconds IS 'Seconds the client waited: start until an employee answered, or start until the end for unanswered calls.';
COMMENT ON COLUMN calljournal.calls.talk_seconds IS 'Seconds of conversation with employees, summed over legs.';
COMMENT ON COLUMN calljournal.calls.answered_employee_id IS 'Employee who answered first.';
COMMENT ON COLUMN calljournal.calls.answered_extension IS 'Endpoint that answered (kept when the employee is unknown or ignored).';
COMMENT ON COLUMN calljournal.calls.employee_id IS 'The employee the call is attributed to in reports: who answered first (inbound, internal), who placed it (outbound, answered or not).';
COMMENT ON COLUMN calljournal.calls.department_names IS 'Departments of the answering employee at the time of the call.';
COMMENT ON COLUMN calljournal.calls.source IS 'Traffic source label of the DID (tracking_numbers.source) at the time of the call.';
COMMENT ON COLUMN calljournal.calls.medium IS 'Medium label of the DID at the time of the call.';
COMMENT ON COLUMN calljournal.calls.campaign IS 'Campaign label of the DID at the time of the call.';
COMMENT ON COLUMN calljournal.calls.recording_file IS 'MixMonitor recording file of the call.';
COMMENT ON COLUMN calljournal.calls.queue_name IS 'Asterisk queue the caller waited in, if any.';
COMMENT ON COLUMN calljournal.calls.is_new_caller IS 'True when no earlier call with this client number is in the journal.';
COMMENT ON COLUMN calljournal.calls.is_target IS 'Answered with at least journal.target_min_talk_seconds of talk.';
COMMENT ON COLUMN calljournal.calls.hung_up_first IS 'Who ended the conversation: client, employee or system.';
COMMENT ON COLUMN calljournal.calls.hangup_cause IS 'Q.850 cause code of the first hangup.';
COMMENT ON COLUMN calljournal.calls.hangup_cause_text IS 'Asterisk''s text for the hangup cause.';
COMMENT ON COLUMN calljournal.calls.ended_while_disconnected IS 'The end of the call fell into a gap in the AMI connection; ended_at is when the daemon noticed.';
COMMENT ON COLUMN calljournal.calls.value IS 'Value of the call, keyed in after the call or set from the CLI.';
COMMENT ON COLUMN calljournal.calls.comment IS 'Free-text comment.';
COMMENT ON COLUMN calljournal.calls.call_rating IS 'Rating of the call, 1 to 5.';
COMMENT ON COLUMN calljournal.calls.employee_rating IS 'Rating of the employee''s work on the call, 1 to 5.';
COMMENT ON COLUMN calljournal.calls.last_event_at IS 'Timestamp of the newest AMI event reflected in the row; older versions never overwrite newer ones.';
COMMENT ON COLUMN calljournal.calls.created_at IS 'When the row was created.';
COMMENT ON COLUMN calljournal.calls.updated_at IS 'When the row last changed.';

CREATE TABLE calljournal.call_legs (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_id         bigint NOT NULL REFERENCES calljournal.calls (id) ON DELETE CASCADE,
    leg_order       integer NOT NULL CHECK (leg_order > 0),
    uniqueid        text NOT NULL,
    channel         text NOT NULL,
    endpoint        text NOT NULL,
    employee_id     bigint REFERENCES calljournal.employees (id) ON DELETE SET NULL,
    employee_extension text,
    started_at      timestamptz NOT NULL,
    answered_at     timestamptz,
    ended_at        timestamptz,
    disposition     text CHECK (disposition IN ('answered', 'no_answer', 'busy', 'cancelled', 'failed')),
    ended_by        text CHECK (ended_by IN ('hangup', 'blind_transfer', 'attended_transfer')),
    UNIQUE (call_id, uniqueid)
);
CREATE INDEX call_legs_employee_idx ON calljournal.call_legs (employee_id, started_at);
COMMENT ON TABLE calljournal.call_legs IS 'One row per channel of a call that rang or talked to an employee.';
COMMENT ON COLUMN calljournal.call_legs.id IS 'Surrogate key.';
COMMENT ON COLUMN calljournal.call_legs.call_id IS 'The call.';
COMMENT ON COLUMN calljournal.call_legs.leg_order IS '1 for the first leg, in the order legs started.';
COMMENT ON COLUMN calljournal.call_legs.uniqueid IS 'Asterisk Uniqueid of the channel.';
COMMENT ON COLUMN calljournal.call_legs.channel IS 'Asterisk channel name, e.g. PJSIP/101-00000001.';
COMMENT ON COLUMN calljournal.call_legs.endpoint IS 'SIP endpoint of the channel, e.g. 101.';
COMMENT ON COLUMN calljournal.call_legs.employee_id IS 'Employee owning the endpoint (NULL if unknown or ignore_in_journal).';
COMMENT ON COLUMN calljournal.call_legs.employee_extension IS 'Extension of that employee at the time.';
COMMENT ON COLUMN calljournal.call_legs.started_at IS 'When the leg started ringing.';
COMMENT ON COLUMN calljournal.call_legs.answered_at IS 'When the leg answered.';
COMMENT ON COLUMN calljournal.call_legs.ended_at IS 'When the leg ended.';
COMMENT ON COLUMN calljournal.call_legs.disposition IS 'answered, no_answer, busy, cancelled (someone else answered or the caller gave up) or failed.';
COMMENT ON COLUMN calljournal.call_legs.ended_by IS 'hangup, blind_transfer or attended_transfer.';

CREATE TABLE calljournal.call_category_marks (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    call_id     bigint NOT NULL REFERENCES calljournal.calls (id) ON DELETE CASCADE,
    category_id bigint NOT NULL REFERENCES calljournal.call_categories (id),
    employee_id bigint REFERENCES calljournal.employees (id) ON DELETE SET NULL,
    set_by      text NOT NULL DEFAULT '',
    via         text NOT NULL CHECK (via IN ('dtmf', 'cli', 'api')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (call_id, category_id)
);
CREATE INDEX call_category_marks_category_idx ON calljournal.call_category_marks (category_id);
COMMENT ON TABLE calljournal.call_category_marks IS 'Categories set on a call; several per call, each at most once.';
COMMENT ON COLUMN calljournal.call_category_marks.id IS 'Surrogate key.';
COMMENT ON COLUMN calljournal.call_category_marks.call_id IS 'The call.';
COMMENT ON COLUMN calljournal.call_category_marks.category_id IS 'The category.';
COMMENT ON COLUMN calljournal.call_category_marks.employee_id IS 'Employee who keyed the category in (post-call menu), if any.';
COMMENT ON COLUMN calljournal.call_category_marks.set_by IS 'Who set it from the CLI or API (operator name); empty for DTMF.';
COMMENT ON COLUMN calljournal.call_category_marks.via IS 'How it was set: dtmf (post-call menu), cli or api.';
COMMENT ON COLUMN calljournal.call_category_marks.created_at IS 'When it was set.';

CREATE TABLE calljournal.callback_tasks (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pbx                 text NOT NULL,
    caller_number       text NOT NULL,
    first_missed_call_id bigint REFERENCES calljournal.calls (id) ON DELETE SET NULL,
    last_missed_call_id bigint REFERENCES calljournal.calls (id) ON DELETE SET NULL,
    first_missed_at     timestamptz NOT NULL,
    last_missed_at      timestamptz NOT NULL,
    missed_count        integer NOT NULL DEFAULT 1 CHECK (missed_count > 0),
    missed_call_ids     bigint[] NOT NULL DEFAULT '{}',
    deadline            timestamptz NOT NULL,
    status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'expired')),
    closed_by_call_id   bigint REFERENCES calljournal.calls (id) ON DELETE SET NULL,
    closed_at           timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'open') = (closed_at IS NULL)),
    CHECK (last_missed_at >= first_missed_at)
);
CREATE UNIQUE INDEX callback_tasks_open_idx ON calljournal.callback_tasks (pbx, caller_number) WHERE status = 'open';
CREATE INDEX callback_tasks_first_missed_idx ON calljournal.callback_tasks (first_missed_at);
COMMENT ON TABLE calljournal.callback_tasks IS 'Missed inbound calls to call back: one open task per caller number, joined by further misses, closed by the next conversation with that number.';
COMMENT ON COLUMN calljournal.callback_tasks.id IS 'Surrogate key.';
COMMENT ON COLUMN calljournal.callback_tasks.pbx IS 'PBX the missed calls came to.';
COMMENT ON COLUMN calljournal.callback_tasks.caller_number IS 'The client number to call back.';
COMMENT ON COLUMN calljournal.callback_tasks.first_missed_call_id IS 'The missed call that opened the task.';
COMMENT ON COLUMN calljournal.callback_tasks.last_missed_call_id IS 'The latest missed call joined to the task.';
COMMENT ON COLUMN calljournal.callback_tasks.first_missed_at IS 'When the first missed call ended.';
COMMENT ON COLUMN calljournal.callback_tasks.last_missed_at IS 'When the latest missed call ended.';
COMMENT ON COLUMN calljournal.callback_tasks.missed_count IS 'How many missed calls the task covers.';
COMMENT ON COLUMN calljournal.callback_tasks.missed_call_ids IS 'Every missed call the task covers (calls.id); a replayed call is never counted twice.';
COMMENT ON COLUMN calljournal.callback_tasks.deadline IS 'When the callback is due (first miss + journal.callback_deadline_hours).';
COMMENT ON COLUMN calljournal.callback_tasks.status IS 'open, done (a conversation with the number happened) or expired (closed by an operator without a call).';
COMMENT ON COLUMN calljournal.callback_tasks.closed_by_call_id IS 'The answered call that closed the task.';
COMMENT ON COLUMN calljournal.callback_tasks.closed_at IS 'When the task was closed.';
COMMENT ON COLUMN calljournal.callback_tasks.created_at IS 'When the row was created.';
COMMENT ON COLUMN calljournal.callback_tasks.updated_at IS 'When the row last changed.';

-- ---------------------------------------------------------------- views

CREATE VIEW calljournal.journal AS
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
       c.ended_while_disconnected
  FROM calljournal.calls c
  LEFT JOIN calljournal.employees e ON e.id = c.answered_employee_id;
COMMENT ON VIEW calljournal.journal IS 'One human-readable row per call: employee name, departments, categories and source labels; for people and BI tools.';
COMMENT ON COLUMN calljournal.journal.employee_name IS 'Name of the employee who answered.';
COMMENT ON COLUMN calljournal.journal.departments IS 'Departments of that employee at the time of the call, comma-separated.';
COMMENT ON COLUMN calljournal.journal.categories IS 'Category names set on the call, comma-separated, by code.';

-- The journal view's remaining columns mean exactly what the calls columns of the same name mean: copy their comments.
DO $$
DECLARE
    col record;
BEGIN
    FOR col IN
        SELECT v.attname, col_description('calljournal.calls'::regclass, c.attnum) AS comment
          FROM pg_attribute v
          JOIN pg_attribute c ON c.attrelid = 'calljournal.calls'::regclass AND c.attname = v.attname
         WHERE v.attrelid = 'calljournal.journal'::regclass AND v.attnum > 0
           AND col_description('calljournal.journal'::regclass, v.attnum) IS NULL
    LOOP
        EXECUTE format('COMMENT ON COLUMN calljournal.journal.%I IS %L', col.attname, col.comment);
    END LOOP;
END
$$;
