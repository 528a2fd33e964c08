-- Pieces several statements share, kept once in the database instead of
-- glued into each statement's text.

-- The people a wave may offer request req to: active, available (below
-- their capacity), never offered it before, with one of roles; in store st,
-- or in any when st is NULL; with the department's skill when skill is given. At most
-- lim of them, the least loaded first, then the least recently assigned.
-- Inlined into its caller's plan (one SELECT, STABLE).
CREATE FUNCTION wave_candidates(req uuid, st uuid, roles text[], skill text, lim integer)
RETURNS TABLE (id uuid, name text, last_assigned_at timestamptz)
LANGUAGE sql STABLE AS $$
	SELECT u.id, u.name, u.last_assigned_at FROM (
		-- Two branches rather than an OR, so that a store's people come from its index.
		SELECT id, name, last_assigned_at, active, status, role, load FROM users WHERE store_id = st
		UNION ALL
		SELECT id, name, last_assigned_at, active, status, role, load FROM users WHERE st IS NULL
	) u
	WHERE u.active AND u.status = 'available' AND u.role = ANY (roles)
	  AND (skill IS NULL OR EXISTS (SELECT 1 FROM user_departments d WHERE d.user_id = u.id AND d.code = skill))
	  AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.request_id = req AND o.user_id = u.id)
	ORDER BY u.load, u.last_assigned_at NULLS FIRST, u.id
	LIMIT lim
$$;

-- Where request req stands in its queue: its place among the waiting
-- requests of its store (or of no store) and channel, 0 once it is no longer
-- waiting; the median time to a first answer over the queue's last 50
-- requests of the week, in seconds; and whether any remote agent is
-- available. Inlined into its caller's plan (one SELECT, STABLE). Equality,
-- not IS NOT DISTINCT FROM, on store_id, so that the partial indexes serve it.
CREATE FUNCTION queue_facts(req uuid, st uuid, chan text, stat text, created timestamptz)
RETURNS TABLE (place bigint, estimate_s float8, remote_available boolean)
LANGUAGE sql STABLE AS $$
	SELECT
		CASE WHEN stat <> 'waiting' THEN 0
			WHEN st IS NULL THEN (SELECT count(*) FROM help_requests w WHERE w.status = 'waiting'
				AND w.store_id IS NULL AND w.channel = chan AND (w.created_at, w.id) <= (created, req))
			ELSE (SELECT count(*) FROM help_requests w WHERE w.status = 'waiting'
				AND w.store_id = st AND w.channel = chan AND (w.created_at, w.id) <= (created, req)) END,
		(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM x.first_accepted_at - x.created_at))
			FROM (SELECT first_accepted_at, created_at FROM help_requests
				WHERE store_id = st AND channel = chan
				AND first_accepted_at IS NOT NULL AND created_at > now() - interval '7 days'
				UNION ALL
				SELECT first_accepted_at, created_at FROM help_requests
				WHERE st IS NULL AND store_id IS NULL AND channel = chan
				AND first_accepted_at IS NOT NULL AND created_at > now() - interval '7 days'
				ORDER BY created_at DESC LIMIT 50) x),
		EXISTS (SELECT 1 FROM users WHERE role = 'agent' AND active AND status = 'available')
$$;

-- Queues one alert ({payload, urgency, topic, ttl_s}, as notify.Message.JSON
-- renders it) for each of the push subscriptions, to be sent by the outbox
-- worker once the caller's transaction commits; returns how many it queued.
-- A NULL alert, or no subscription, queues nothing. PL/pgSQL, so that the
-- insert is planned once per connection, not at every call.
CREATE FUNCTION queue_alert(alert jsonb, subscriptions bigint[]) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	queued integer;
BEGIN
	IF alert IS NULL OR COALESCE(cardinality(subscriptions), 0) = 0 THEN
		RETURN 0;
	END IF;
	INSERT INTO push_outbox (subscription_id, payload, urgency, topic, ttl_s, expires_at)
	SELECT s, a.payload, a.urgency, a.topic, a.ttl_s, now() + a.ttl_s * interval '1 second'
	FROM unnest(subscriptions) s, jsonb_to_record(alert) AS a(payload text, urgency text, topic text, ttl_s integer);
	GET DIAGNOSTICS queued = ROW_COUNT;
	RETURN queued;
END $$;
