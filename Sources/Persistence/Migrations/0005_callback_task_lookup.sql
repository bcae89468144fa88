-- Opening or joining a callback task checks that the missed call is not in any task of the number yet (a replay
-- must not count a miss twice). Without an index on every task of a number, not only the open ones, that check read
-- the whole table: 12-20 ms per missed call at 23,000 tasks, growing with every task ever closed. With it the check
-- reads the number's own tasks, a few index pages whatever the size of the table (docs/dba.md shows the plan on a
-- million tasks).
--
-- Building it reads callback_tasks once and blocks writes to it meanwhile (seconds for a million tasks); the daemon
-- keeps the journal changes in its spool and writes them after.

CREATE INDEX callback_tasks_number_idx ON calljournal.callback_tasks (pbx, caller_number);
COMMENT ON INDEX calljournal.callback_tasks_number_idx IS
    'Every callback task of a number, open or closed: the writer''s check that a missed call is not counted twice.';
