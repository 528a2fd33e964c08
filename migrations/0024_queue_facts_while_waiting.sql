-- Where a request stands in its queue matters only while it waits: once it
-- is taken, closed or dropped, queue_facts says place 0, no estimate and no
-- agent available without looking, so that reading a request that is no
-- longer waiting (most reads of a busy day) costs nothing extra. Clients
-- show these facts only for a waiting request.
CREATE OR REPLACE FUNCTION queue_facts(req uuid, st uuid, chan text, stat text, created timestamptz)
RETURNS TABLE (place bigint, estimate_s float8, remote_available boolean)
LANGUAGE sql STABLE AS $$
	SELECT
		CASE WHEN stat <> 'waiting' THEN 0
			WHEN st IS NULL THEN (SELECT count(*) FROM help_requests w WHERE w.status = 'waiting'
				AND w.store_id IS NULL AND w.channel = chan AND (w.created_at, w.id) <= (created, req))
			ELSE (SELECT count(*) FROM help_requests w WHERE w.status = 'waiting'
				AND w.store_id = st AND w.channel = chan AND (w.created_at, w.id) <= (created, req)) END,
		CASE WHEN stat = 'waiting' THEN
		(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM x.first_accepted_at - x.created_at))
			FROM (SELECT first_accepted_at, created_at FROM help_requests
				WHERE store_id = st AND channel = chan
				AND first_accepted_at IS NOT NULL AND created_at > now() - interval '7 days'
				UNION ALL
				SELECT first_accepted_at, created_at FROM help_requests
				WHERE st IS NULL AND store_id IS NULL AND channel = chan
				AND first_accepted_at IS NOT NULL AND created_at > now() - interval '7 days'
				ORDER BY created_at DESC LIMIT 50) x) END,
		CASE WHEN stat = 'waiting' THEN EXISTS (SELECT 1 FROM users WHERE role = 'agent' AND active AND status = 'available')
			ELSE false END
$$;

-- Whether any agent is available is asked on every read of a waiting
-- request: look among the agents only, not every account of the chain.
-- Role and id only, so that presence changes stay heap-only updates.
CREATE INDEX users_agents_idx ON users (id) WHERE role = 'agent';
