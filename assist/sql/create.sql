-- Creating requests: a batch of them in one statement, which may be its own
-- transaction.

-- name: create
-- Admits and writes a batch of requests. It locks the shoppers' rows in one
-- order, so that batches cannot deadlock; a lock waited for reads the row
-- again, so the counts of open requests are current, and a shopper's
-- requests in one batch count in turn against the cap. It keeps the
-- notifying triggers quiet: the caller announces the requests once
-- committed.
--
-- Each request that is no repeat of its key and names a department of its
-- store is written with its log and its deadlines (in no store, "abandon"
-- only; "wave" at once when the wave reached nobody). In a store, the first
-- wave reaches a few free people with the department's skill: their offers,
-- the log line naming them and their alerts, titled with the department's
-- name unless that makes the alert too long. One row comes back for each
-- request, in order.
--
-- $1 jsonb    the requests, in order: [{id, shopper_id, store_id, department,
--             note, sku, nearby, key, reason, remote, alert, code_title}]
--             (assist.newRequestRow); remote sends a request in a store to
--             the remote team (the store is closed); alert is its first
--             wave's alert (notify.Message.JSON) titled with the department's
--             code, code_title that title as written in the payload
-- $2 integer  the most open requests a shopper may have
-- $3 jsonb    the deadlines, {kind: seconds from now}
-- $4 integer  the most people the first wave reaches
-- $5 text     what follows the department's name in an alert's title
-- $6 text     the system's name, for the log
-- $7 text     the system's role, for the log
-- $8 integer  the longest alert payload, in bytes
-- $9 float8   the seconds the alerts are leased for to the caller, who sends
--             them once committed (queue_alert_leased)
WITH input AS (
	SELECT * FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (id uuid, shopper_id uuid, store_id uuid, department text,
		note text, sku text, nearby jsonb, key text, reason text, remote boolean, alert jsonb, code_title text))
		WITH ORDINALITY AS i(id, shopper_id, store_id, department, note, sku, nearby, key, reason, remote, alert, code_title, n)
), admitted AS (
	SELECT id, open_requests, set_config('helpforce.notify', 'after_commit', true) AS quiet FROM shoppers
	-- = ANY of an array, so that the rows come from the primary key, however many shoppers there are.
	WHERE id = ANY (ARRAY(SELECT shopper_id FROM input)) ORDER BY id FOR UPDATE
), facts AS (
	SELECT i.*, CASE WHEN i.store_id IS NULL OR i.remote THEN 'remote' ELSE 'floor' END AS channel, a.open_requests,
		(SELECT r.id FROM help_requests r WHERE r.shopper_id = i.shopper_id AND r.idempotency_key = i.key) AS repeat_of,
		-- A request in no store takes the department's name from any store that has it.
		CASE WHEN i.store_id IS NULL THEN (SELECT x.name FROM departments x WHERE x.code = i.department ORDER BY x.name LIMIT 1)
			ELSE (SELECT x.name FROM departments x WHERE x.store_id = i.store_id AND x.code = i.department) END AS department_name,
		-- Outside opening hours the remote team answers: such a request is
		-- left for the caller to write with its remote wave.
		i.store_id IS NOT NULL AND NOT i.remote AND NOT store_open_at(i.store_id, now()) AS closed
	FROM input i JOIN admitted a ON a.id = i.shopper_id
), valid AS (
	SELECT f.*, f.repeat_of IS NULL AND NOT f.closed AND (f.store_id IS NULL OR f.department_name IS NOT NULL) AS valid
	FROM facts f
), counted AS (
	SELECT v.*, v.open_requests + count(*) FILTER (WHERE v.valid) OVER (PARTITION BY v.shopper_id ORDER BY v.n
		ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS open FROM valid v
), created AS (
	-- A batch's requests are created a microsecond apart, in the order they
	-- came, so that they queue in that order. A floor request starts at wave 1.
	INSERT INTO help_requests (id, shopper_id, store_id, department, note, sku, nearby, channel, idempotency_key, wave, created_at)
	SELECT id, shopper_id, store_id, department, note, sku, nearby, channel, key,
		CASE WHEN channel = 'remote' THEN 0 ELSE 1 END, now() + (n - 1) * interval '1 microsecond'
	FROM counted WHERE valid AND open < $2::integer
	ON CONFLICT (shopper_id, idempotency_key) DO NOTHING
	RETURNING id, store_id, channel, round, created_at
), chosen AS (
	SELECT c.id AS request_id, u.* FROM created c JOIN input w ON w.id = c.id AND c.channel = 'floor',
	LATERAL wave_candidates(c.id, w.store_id, '{floor}', w.department, $4::integer) u
), offered AS (
	INSERT INTO offers (request_id, user_id, wave) SELECT request_id, id, 1 FROM chosen
), logged AS (
	INSERT INTO request_events (request_id, kind, actor_name, actor_role, from_state, to_state, reason)
	SELECT l.request_id, l.kind, l.actor_name, l.actor_role, '', l.to_state, l.reason FROM (
		SELECT c.id AS request_id, 1 AS n, 'created' AS kind, 'Shopper' AS actor_name, 'shopper' AS actor_role,
			f.channel AS to_state, f.reason FROM created c JOIN facts f ON f.id = c.id
		UNION ALL
		SELECT request_id, 2, 'offered', $6::text, $7::text,
			'wave 1: ' || string_agg(name, ', ' ORDER BY last_assigned_at NULLS FIRST, id), ''
		FROM chosen GROUP BY request_id
	) l ORDER BY l.request_id, l.n
), timed AS (
	INSERT INTO timers (request_id, kind, generation, due_at)
	SELECT c.id, t.kind, c.round, now() + CASE WHEN t.kind = 'wave' AND NOT EXISTS (SELECT 1 FROM chosen h WHERE h.request_id = c.id)
		THEN 0 ELSE t.seconds::float8 END * interval '1 second'
	FROM created c, jsonb_each_text($3::jsonb) AS t(kind, seconds)
	WHERE c.channel = 'floor' OR t.kind = 'abandon'
	RETURNING id, request_id, kind, due_at
)
SELECT f.open, f.repeat_of, f.department_name, f.closed, c.id, c.round, c.created_at,
	EXISTS (SELECT 1 FROM chosen h WHERE h.request_id = c.id) AS offered,
	(SELECT t.id FROM timed t WHERE t.request_id = c.id AND t.kind = 'wave') AS wave_timer,
	(SELECT min(t.due_at) FROM timed t WHERE t.request_id = c.id) AS first_due,
	-- New rows are not visible to this statement: each comes after those
	-- counted, and after the batch's earlier ones in its queue.
	v.place + 1 + (SELECT count(*) FROM created b WHERE b.store_id IS NOT DISTINCT FROM c.store_id AND b.channel = c.channel
		AND b.created_at < c.created_at) AS position,
	v.estimate_s, v.remote_available,
	CASE WHEN c.id IS NOT NULL THEN queue_alert_leased(
		CASE WHEN octet_length(x.named) <= $8::integer THEN jsonb_set(f.alert, '{payload}', to_jsonb(x.named)) ELSE f.alert END,
		ARRAY(SELECT s.id FROM chosen h JOIN push_subscriptions s ON s.user_id = h.id WHERE h.request_id = c.id), $9::float8) END AS alerts
FROM counted f LEFT JOIN created c ON c.id = f.id
LEFT JOIN LATERAL queue_facts(c.id, f.store_id, f.channel, 'waiting', c.created_at) v ON c.id IS NOT NULL
LEFT JOIN LATERAL (SELECT replace(f.alert->>'payload', f.code_title, '"title":' || to_json(f.department_name || $5::text)::text) AS named) x
	ON true
ORDER BY f.n
