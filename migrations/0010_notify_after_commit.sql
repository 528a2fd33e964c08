-- PostgreSQL commits notifying transactions one at a time, each with its
-- disk flush. A transaction that selects set_config('helpforce.notify',
-- 'after_commit', true) sends its notifications itself once committed, in
-- a batch that does not wait for the disk: the triggers stay quiet in it.

CREATE FUNCTION notify_in_transaction() RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT current_setting('helpforce.notify', true) IS DISTINCT FROM 'after_commit'
$$;

CREATE OR REPLACE FUNCTION notify_request_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF notify_in_transaction() THEN
		PERFORM pg_notify('helpforce_requests', NEW.id::text || ' ' || COALESCE(NEW.store_id::text, '-'));
	END IF;
	RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION notify_push_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	first bigint;
BEGIN
	IF notify_in_transaction() THEN
		first := (SELECT min(id) FROM inserted);
		IF first IS NOT NULL THEN
			PERFORM pg_notify('helpforce_push', first::text);
		END IF;
	END IF;
	RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION notify_timer_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	due timestamptz;
BEGIN
	IF notify_in_transaction() THEN
		due := (SELECT min(due_at) FROM inserted);
		IF due IS NOT NULL THEN
			PERFORM pg_notify('helpforce_timers', extract(epoch FROM due)::text);
		END IF;
	END IF;
	RETURN NULL;
END $$;
