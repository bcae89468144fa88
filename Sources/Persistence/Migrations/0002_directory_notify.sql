-- Tell running daemons at once when the directory changes, so routing and the call tracker use the new data
-- without waiting for the periodic refresh. The payload is the table name; listeners reload the whole snapshot.

CREATE FUNCTION calljournal.notify_directory_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('calljournal_directory', TG_TABLE_NAME);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION calljournal.notify_directory_changed() IS 'Trigger function: NOTIFY calljournal_directory with the changed table''s name.';

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['employees', 'departments', 'employee_departments', 'employee_endpoints',
                             'call_categories', 'contacts', 'contact_phones', 'tracking_numbers']
    LOOP
        EXECUTE format(
            'CREATE TRIGGER directory_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calljournal.%I '
            'FOR EACH STATEMENT EXECUTE FUNCTION calljournal.notify_directory_changed()', t);
        EXECUTE format('COMMENT ON TRIGGER directory_changed ON calljournal.%I IS %L', t,
                       'Notifies calljournal_directory so running daemons reload the directory.');
    END LOOP;
END
$$;

-- updated_at is maintained by the database, whoever writes the row.
CREATE FUNCTION calljournal.touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION calljournal.touch_updated_at() IS 'Trigger function: sets updated_at to now() on every UPDATE.';

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['employees', 'contacts', 'calls', 'callback_tasks']
    LOOP
        EXECUTE format(
            'CREATE TRIGGER touch_updated_at BEFORE UPDATE ON calljournal.%I '
            'FOR EACH ROW EXECUTE FUNCTION calljournal.touch_updated_at()', t);
        EXECUTE format('COMMENT ON TRIGGER touch_updated_at ON calljournal.%I IS %L', t,
                       'Keeps updated_at current.');
    END LOOP;
END
$$;
