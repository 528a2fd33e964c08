-- Workers are woken only when there is something for them: an outbox insert
-- that wrote no row says nothing, and a timer notification carries the
-- earliest new due time (epoch seconds), so that a worker already due to
-- wake sooner sleeps on.

CREATE OR REPLACE FUNCTION notify_push_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	first bigint := (SELECT min(id) FROM inserted);
BEGIN
	IF first IS NOT NULL THEN
		PERFORM pg_notify('helpforce_push', first::text);
	END IF;
	RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION notify_timer_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	due timestamptz := (SELECT min(due_at) FROM inserted);
BEGIN
	IF due IS NOT NULL THEN
		PERFORM pg_notify('helpforce_timers', extract(epoch FROM due)::text);
	END IF;
	RETURN NULL;
END $$;

DROP TRIGGER timers_added ON timers;
CREATE TRIGGER timers_added AFTER INSERT ON timers
	REFERENCING NEW TABLE AS inserted
	FOR EACH STATEMENT EXECUTE FUNCTION notify_timer_added();
