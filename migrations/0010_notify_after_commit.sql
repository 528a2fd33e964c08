-- PostgreSQL commits notifying transactions one at a time, each with its
-- disk flush. A transaction that selects set_config('helpforce.notify',
-- 'after_commit', true) sends its notifications itself once committed, in
-- a batch that does not wait for the disk: the triggers do not fire in it
-- (their condition is checked as rows are written, without calling them).

DROP TRIGGER help_requests_changed ON help_requests;
CREATE TRIGGER help_requests_changed AFTER INSERT OR UPDATE ON help_requests
	FOR EACH ROW WHEN (current_setting('helpforce.notify', true) IS DISTINCT FROM 'after_commit')
	EXECUTE FUNCTION notify_request_changed();

DROP TRIGGER timers_added ON timers;
CREATE TRIGGER timers_added AFTER INSERT ON timers
	REFERENCING NEW TABLE AS inserted
	FOR EACH STATEMENT WHEN (current_setting('helpforce.notify', true) IS DISTINCT FROM 'after_commit')
	EXECUTE FUNCTION notify_timer_added();

DROP TRIGGER push_outbox_inserted ON push_outbox;
CREATE TRIGGER push_outbox_inserted AFTER INSERT ON push_outbox
	REFERENCING NEW TABLE AS inserted
	FOR EACH STATEMENT WHEN (current_setting('helpforce.notify', true) IS DISTINCT FROM 'after_commit')
	EXECUTE FUNCTION notify_push_outbox();
