-- Live updates: a request's notification says, with a third word "q", when
-- its queue moved (a request came in, or one left, changed channel or
-- store, or was first answered, which moves the store's estimate): only then
-- do event streams read the places in line of the store's waiting requests.
-- Other changes (a reminder, a message) leave every place where it was. A
-- request moved to another store moves the queue of the store it left too.
CREATE OR REPLACE FUNCTION notify_request_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND OLD.store_id IS DISTINCT FROM NEW.store_id THEN
		PERFORM pg_notify('helpforce_requests', NEW.id::text || ' ' || COALESCE(OLD.store_id::text, '-') || ' q');
	END IF;
	PERFORM pg_notify('helpforce_requests', NEW.id::text || ' ' || COALESCE(NEW.store_id::text, '-') ||
		CASE WHEN TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status OR OLD.channel IS DISTINCT FROM NEW.channel
			OR OLD.store_id IS DISTINCT FROM NEW.store_id OR OLD.first_accepted_at IS DISTINCT FROM NEW.first_accepted_at
		THEN ' q' ELSE '' END);
	RETURN NULL;
END $$;
