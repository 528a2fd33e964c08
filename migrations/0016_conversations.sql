-- Conversations worked side by side: how far each reader has read, and
-- live presence for the manager's view of the floor.

-- One row per reader (a member of staff or a shopper) per request. The seen
-- mark only moves forward (the upsert that sets it is guarded); typed_at is
-- when the reader's last "typing" signal went out, so that a fast typist on
-- any replica sends at most one every 2 seconds.
CREATE TABLE request_reads (
	request_id uuid NOT NULL REFERENCES help_requests (id) ON DELETE CASCADE,
	reader_id  uuid NOT NULL,
	side       text NOT NULL CHECK (side IN ('shopper', 'staff')),
	message_id bigint NOT NULL DEFAULT 0 CHECK (message_id >= 0),
	seen_at    timestamptz,
	typed_at   timestamptz,
	PRIMARY KEY (request_id, reader_id)
);

-- Unread counts read the shopper's messages of a request after a mark.
CREATE INDEX request_messages_shopper_idx ON request_messages (request_id, id) WHERE author_role = 'shopper';

-- A change of presence tells the store's live screens (payload: the store
-- id, or '-' for the remote team), so a manager sees someone go on break.
CREATE FUNCTION notify_presence_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('helpforce_presence', COALESCE(NEW.store_id::text, '-'));
	RETURN NULL;
END $$;
CREATE TRIGGER users_presence_changed AFTER UPDATE OF status ON users
	FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
		AND current_setting('helpforce.notify', true) IS DISTINCT FROM 'after_commit')
	EXECUTE FUNCTION notify_presence_changed();
