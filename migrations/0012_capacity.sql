-- Capacity: how many requests a person may own at once. Floor staff and
-- managers walk to the shopper, so they keep 1; remote agents answer from a
-- desk and take the chain's default (settings 'agent_capacity') unless an
-- admin sets their own.
--
-- `load` counts the requests a person owns. It is kept by one trigger on
-- help_requests, which updates the person's row: the row lock orders every
-- change, so two requests finishing at once, or a finish racing an accept,
-- can never leave it wrong (a NOT EXISTS check in READ COMMITTED could).
-- `busy` is kept in the same statement: a person available at capacity is
-- busy, and back to available below it. A chosen break or off stays.

INSERT INTO settings (key, value) VALUES ('agent_capacity', '3') ON CONFLICT (key) DO NOTHING;

ALTER TABLE users ADD COLUMN capacity integer NOT NULL DEFAULT 1 CHECK (capacity BETWEEN 1 AND 10),
	ADD COLUMN load integer NOT NULL DEFAULT 0 CHECK (load >= 0);
ALTER TABLE users ALTER COLUMN capacity DROP DEFAULT;

UPDATE users SET capacity = CASE WHEN role = 'agent'
	THEN (SELECT value::integer FROM settings WHERE key = 'agent_capacity') ELSE 1 END;

UPDATE users u SET load = (SELECT count(*) FROM help_requests r WHERE r.assigned_to = u.id AND r.status = 'assigned');
UPDATE users SET status = CASE WHEN load >= capacity THEN 'busy' ELSE 'available' END
WHERE status IN ('available', 'busy');

-- A new account takes its role's capacity unless one is given.
CREATE FUNCTION default_capacity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.capacity IS NULL THEN
		NEW.capacity := CASE WHEN NEW.role = 'agent'
			THEN COALESCE((SELECT value::integer FROM settings WHERE key = 'agent_capacity'), 3) ELSE 1 END;
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER users_default_capacity BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION default_capacity();

-- keep_load moves a request's ownership between people's counters. Taking a
-- request past one's capacity is refused with SQLSTATE HF001; being assigned
-- also restarts the person's rotation and forgives ignored offers.
CREATE FUNCTION keep_load() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	was uuid := CASE WHEN TG_OP = 'UPDATE' AND OLD.status = 'assigned' THEN OLD.assigned_to END;
	now_ uuid := CASE WHEN NEW.status = 'assigned' THEN NEW.assigned_to END;
BEGIN
	IF was IS NOT DISTINCT FROM now_ THEN
		RETURN NULL;
	END IF;
	IF was IS NOT NULL THEN
		UPDATE users SET load = load - 1,
			status = CASE WHEN status = 'busy' AND load - 1 < capacity THEN 'available' ELSE status END
		WHERE id = was;
	END IF;
	IF now_ IS NOT NULL THEN
		UPDATE users SET load = load + 1, last_assigned_at = now(), ignored_offers = 0,
			status = CASE WHEN status = 'available' AND load + 1 >= capacity THEN 'busy' ELSE status END
		WHERE id = now_ AND load < capacity;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'at capacity' USING ERRCODE = 'HF001';
		END IF;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER help_requests_keep_load AFTER INSERT OR UPDATE OF status, assigned_to ON help_requests
	FOR EACH ROW EXECUTE FUNCTION keep_load();

-- Offers now follow people as they come and go: reminders for the remote
-- queue are timers too.
ALTER TABLE timers DROP CONSTRAINT timers_kind_check;
ALTER TABLE timers ADD CONSTRAINT timers_kind_check CHECK (kind IN ('wave', 'overflow', 'abandon', 'escalation', 'remind'));

-- Whose open offers a free person already holds, and which waiting requests a
-- free person may be offered, are read by person.
CREATE INDEX offers_open_by_user_idx ON offers (user_id) WHERE answer IS NULL;
CREATE INDEX help_requests_waiting_remote_idx ON help_requests (created_at) WHERE status = 'waiting' AND channel = 'remote';
