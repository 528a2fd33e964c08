-- Web push: where each person's devices can be reached, and the outbox of
-- alerts, written in the same transaction as the change that causes them.

CREATE TABLE push_subscriptions (
	id           bigserial PRIMARY KEY,
	endpoint     text NOT NULL UNIQUE,
	p256dh       text NOT NULL,
	auth         text NOT NULL,
	user_id      uuid REFERENCES users (id) ON DELETE CASCADE,
	shopper_id   uuid REFERENCES shoppers (id) ON DELETE CASCADE,
	created_at   timestamptz NOT NULL DEFAULT now(),
	-- Renewed whenever the app registers the subscription again (on every start).
	last_used_at timestamptz NOT NULL DEFAULT now(),
	warned_at    timestamptz,
	CHECK ((user_id IS NULL) <> (shopper_id IS NULL))
);
CREATE INDEX push_subscriptions_user_idx ON push_subscriptions (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX push_subscriptions_shopper_idx ON push_subscriptions (shopper_id) WHERE shopper_id IS NOT NULL;

CREATE TABLE push_outbox (
	id              bigserial PRIMARY KEY,
	subscription_id bigint NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
	payload         text NOT NULL CHECK (octet_length(payload) <= 3072),
	urgency         text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('very-low', 'low', 'normal', 'high')),
	topic           text CHECK (topic ~ '^[A-Za-z0-9_-]{1,32}$'),
	ttl_s           integer NOT NULL CHECK (ttl_s >= 0),
	created_at      timestamptz NOT NULL DEFAULT now(),
	expires_at      timestamptz NOT NULL,
	-- When a worker may next take the row; a claim moves it forward by a lease,
	-- so a worker that dies mid-send leaves the row to be taken again.
	due_at          timestamptz NOT NULL DEFAULT now(),
	attempts        integer NOT NULL DEFAULT 0,
	status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'expired')),
	last_status     integer,
	last_error      text,
	sent_at         timestamptz
);
CREATE INDEX push_outbox_due_idx ON push_outbox (due_at) WHERE status = 'pending';
CREATE INDEX push_outbox_done_idx ON push_outbox (created_at) WHERE status <> 'pending';

-- One notification per inserting statement wakes the workers of every replica;
-- it carries the first new id only, the workers read the rest.
CREATE FUNCTION notify_push_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('helpforce_push', (SELECT min(id)::text FROM inserted));
	RETURN NULL;
END $$;

CREATE TRIGGER push_outbox_inserted AFTER INSERT ON push_outbox
	REFERENCING NEW TABLE AS inserted
	FOR EACH STATEMENT EXECUTE FUNCTION notify_push_outbox();
