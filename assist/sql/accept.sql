-- Taking a request: one statement, its own transaction, so that the row lock
-- racing accepts wait for is held for one statement and its commit.

-- name: accept
-- Makes person $2 the one owner of request $1 and does all that accepting
-- means: the request is assigned (keep_load, a trigger, counts it against
-- the person's capacity and raises HF001 past it), their offer is marked
-- accepted, every other open offer is withdrawn with an alert replacing the
-- offer's (same topic), the hand-off log says so and the shopper is told who
-- is coming. Of any number of people accepting at once, one row comes back.
--
-- The update goes ahead only on the version of the request this statement
-- read (its xmin): after waiting for another transaction that changed the
-- request, the rest of this statement would still see the offers as they
-- were before that change, so it takes nothing and the caller reads the
-- request again (a lost race) or runs the statement anew.
--
-- The notifying triggers stay quiet (helpforce.notify): the caller announces
-- the change once committed.
--
-- $1 uuid   the request
-- $2 uuid   the person accepting
-- $3 text   their role: floor staff and managers take their store's requests,
--           also from the remote queue; agents take the remote queue
-- $4 text   their store, '' for none
-- $5 text   their name, for the log
-- $6 jsonb  the alert replacing the others' offers (notify.Message.JSON)
-- $7 jsonb  the shopper's alert
-- $8 float8 the seconds the alerts are leased for to the caller, who sends
--           them once committed (queue_alert_leased)
WITH quiet AS (
	SELECT set_config('helpforce.notify', 'after_commit', true) AS notify
), took AS (
	UPDATE help_requests r SET status = 'assigned', assigned_to = $2::uuid,
		channel = CASE WHEN $3::text IN ('floor', 'manager') THEN 'floor' ELSE r.channel END,
		first_accepted_at = COALESCE(r.first_accepted_at, now()), updated_at = now()
	FROM quiet
	WHERE r.id = $1::uuid AND r.status = 'waiting'
	  AND r.xmin = (SELECT v.xmin FROM help_requests v WHERE v.id = $1::uuid)
	  AND (($3 IN ('floor', 'manager') AND r.store_id = NULLIF($4::text, '')::uuid)
	    OR (r.channel = 'remote' AND $3 = 'agent'))
	RETURNING r.id, r.shopper_id, r.store_id, r.channel, r.wave,
		(SELECT v.channel FROM help_requests v WHERE v.id = r.id) AS was
), accepted AS (
	INSERT INTO offers (request_id, user_id, wave, answer, answered_at)
	SELECT t.id, $2, t.wave, 'accepted', now() FROM took t
	ON CONFLICT (request_id, user_id) DO UPDATE SET answer = 'accepted', answered_at = now()
), withdrawn AS (
	UPDATE offers o SET answer = 'withdrawn', answered_at = now()
	FROM took t WHERE o.request_id = t.id AND o.answer IS NULL AND o.user_id <> $2
	RETURNING o.user_id
), logged AS (
	INSERT INTO request_events (request_id, kind, actor_id, actor_name, actor_role, from_state, to_state, reason)
	SELECT e.request_id, e.kind, $2, $5::text, $3, e.from_state, e.to_state, e.reason FROM (
		-- A request the remote team held comes back to the store's floor.
		SELECT t.id AS request_id, 1 AS n, 'taken_by_floor' AS kind, 'remote' AS from_state, 'floor' AS to_state,
			'taken back by the store''s floor' AS reason
		FROM took t WHERE t.was = 'remote' AND t.channel = 'floor'
		UNION ALL
		SELECT t.id, 2, 'accepted', 'waiting', $5, '' FROM took t
	) e ORDER BY e.n
)
SELECT t.shopper_id, t.store_id, t.channel, ARRAY(SELECT w.user_id FROM withdrawn w) AS withdrawn,
	-- Whether keep_load turns the person from available to busy: the store's
	-- live screens show presence.
	COALESCE((SELECT u.status = 'available' AND u.load + 1 >= u.capacity FROM users u WHERE u.id = $2), false) AS busy,
	queue_alert_leased($6::jsonb, ARRAY(SELECT s.id FROM withdrawn w JOIN push_subscriptions s ON s.user_id = w.user_id), $8::float8)
		|| queue_alert_leased($7::jsonb, ARRAY(SELECT s.id FROM push_subscriptions s WHERE s.shopper_id = t.shopper_id), $8) AS alerts
FROM took t
