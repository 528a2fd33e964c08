-- Help requests and their dispatch: offers in waves, one owner, the
-- conversation, ratings, the hand-off log and durable timers.

ALTER TABLE users ADD COLUMN ignored_offers integer NOT NULL DEFAULT 0;

CREATE TABLE help_requests (
	id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	shopper_id         uuid NOT NULL REFERENCES shoppers (id),
	store_id           uuid REFERENCES stores (id),
	department         text NOT NULL CHECK (department ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
	note               text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
	sku                text CHECK (length(sku) <= 64),
	nearby             jsonb NOT NULL DEFAULT '[]',
	status             text NOT NULL DEFAULT 'waiting'
		CHECK (status IN ('waiting', 'assigned', 'resolved', 'cancelled', 'abandoned')),
	channel            text NOT NULL CHECK (channel IN ('floor', 'remote')),
	wave               integer NOT NULL DEFAULT 0,
	-- Bumped at every hand-off, so that timers of an earlier round do nothing.
	round              integer NOT NULL DEFAULT 0,
	assigned_to        uuid REFERENCES users (id),
	escalated_to       uuid REFERENCES users (id),
	escalation_acked   boolean NOT NULL DEFAULT false,
	idempotency_key    text CHECK (length(idempotency_key) <= 200),
	created_at         timestamptz NOT NULL DEFAULT now(),
	first_accepted_at  timestamptz,
	remote_at          timestamptz,
	resolved_at        timestamptz,
	closed_at          timestamptz,
	updated_at         timestamptz NOT NULL DEFAULT now(),
	-- One owner while assigned, none while waiting; afterwards, who finished it.
	CHECK (status <> 'assigned' OR assigned_to IS NOT NULL),
	CHECK (status <> 'waiting' OR assigned_to IS NULL),
	CHECK (store_id IS NOT NULL OR channel = 'remote'),
	UNIQUE (shopper_id, idempotency_key)
);
CREATE INDEX help_requests_waiting_idx ON help_requests (store_id, channel, created_at) WHERE status = 'waiting';
CREATE INDEX help_requests_owner_idx ON help_requests (assigned_to) WHERE status = 'assigned';
CREATE INDEX help_requests_store_created_idx ON help_requests (store_id, created_at);
-- The queue estimate reads a store's recently answered requests.
CREATE INDEX help_requests_answered_idx ON help_requests (store_id, channel, created_at DESC) WHERE first_accepted_at IS NOT NULL;

-- Who was offered a request in which wave, and what they did with it.
CREATE TABLE offers (
	request_id  uuid NOT NULL REFERENCES help_requests (id) ON DELETE CASCADE,
	user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	wave        integer NOT NULL,
	offered_at  timestamptz NOT NULL DEFAULT now(),
	answer      text CHECK (answer IN ('accepted', 'passed', 'withdrawn', 'ignored')),
	answered_at timestamptz,
	PRIMARY KEY (request_id, user_id)
);
CREATE INDEX offers_pending_idx ON offers (request_id) WHERE answer IS NULL;

CREATE TABLE request_messages (
	id           bigserial PRIMARY KEY,
	request_id   uuid NOT NULL REFERENCES help_requests (id) ON DELETE CASCADE,
	author_id    uuid REFERENCES users (id),
	author_name  text NOT NULL,
	author_role  text NOT NULL,
	body         text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
	at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX request_messages_request_idx ON request_messages (request_id, id);

CREATE TABLE ratings (
	request_id uuid PRIMARY KEY REFERENCES help_requests (id) ON DELETE CASCADE,
	score      integer NOT NULL CHECK (score BETWEEN 1 AND 5),
	comment    text NOT NULL DEFAULT '' CHECK (length(comment) <= 1000),
	at         timestamptz NOT NULL DEFAULT now()
);

-- The hand-off log: append-only, who, when, from, to and why.
CREATE TABLE request_events (
	id          bigserial PRIMARY KEY,
	request_id  uuid NOT NULL REFERENCES help_requests (id) ON DELETE CASCADE,
	at          timestamptz NOT NULL DEFAULT now(),
	kind        text NOT NULL,
	actor_id    uuid,
	actor_name  text NOT NULL DEFAULT '',
	actor_role  text NOT NULL DEFAULT '',
	from_state  text NOT NULL DEFAULT '',
	to_state    text NOT NULL DEFAULT '',
	reason      text NOT NULL DEFAULT ''
);
CREATE INDEX request_events_request_idx ON request_events (request_id, id);

-- Deadlines live here, not in memory: any replica fires them, once, on time.
CREATE TABLE timers (
	id         bigserial PRIMARY KEY,
	request_id uuid NOT NULL REFERENCES help_requests (id) ON DELETE CASCADE,
	kind       text NOT NULL CHECK (kind IN ('wave', 'overflow', 'abandon', 'escalation')),
	-- The wave or hand-off generation the timer belongs to; a stale one does nothing.
	generation integer NOT NULL DEFAULT 0,
	due_at     timestamptz NOT NULL,
	fired_at   timestamptz
);
CREATE INDEX timers_due_idx ON timers (due_at) WHERE fired_at IS NULL;

-- Live updates: any change to a request or its conversation tells every
-- replica the request id and its store, never the document.
CREATE FUNCTION notify_request_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('helpforce_requests', NEW.id::text || ' ' || COALESCE(NEW.store_id::text, '-'));
	RETURN NULL;
END $$;
CREATE TRIGGER help_requests_changed AFTER INSERT OR UPDATE ON help_requests
	FOR EACH ROW EXECUTE FUNCTION notify_request_changed();

CREATE FUNCTION notify_message_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('helpforce_requests', NEW.request_id::text || ' ' ||
		COALESCE((SELECT store_id::text FROM help_requests WHERE id = NEW.request_id), '-'));
	RETURN NULL;
END $$;
CREATE TRIGGER request_messages_added AFTER INSERT ON request_messages
	FOR EACH ROW EXECUTE FUNCTION notify_message_added();

CREATE FUNCTION notify_timer_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('helpforce_timers', '');
	RETURN NULL;
END $$;
CREATE TRIGGER timers_added AFTER INSERT ON timers
	FOR EACH STATEMENT EXECUTE FUNCTION notify_timer_added();
