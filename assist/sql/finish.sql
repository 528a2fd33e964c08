-- Finishing a request.

-- name: resolve
-- Closes request $1 that person $2 owns, as one statement that is its own
-- transaction: the request is resolved (keep_load, a trigger, frees the
-- owner's place), the hand-off log says so and the shopper is asked to rate
-- the help. No row comes back when $2 does not own it (any more); the caller
-- reads the request to say why. The notifying triggers stay quiet: the
-- caller announces the change once committed.
--
-- $1 uuid   the request
-- $2 uuid   the owner
-- $3 text   their name, for the log
-- $4 text   their role, for the log
-- $5 text   their store, '' for none: floor staff and managers see only their store's requests
-- $6 jsonb  the shopper's alert (notify.Message.JSON)
-- $7 float8 the seconds the alert is leased for to the caller, who sends it
--           once committed (queue_alert_leased)
WITH quiet AS (
	SELECT set_config('helpforce.notify', 'after_commit', true) AS notify
), done AS (
	UPDATE help_requests r SET status = 'resolved', resolved_at = now(), closed_at = now(), updated_at = now()
	FROM quiet
	WHERE r.id = $1::uuid AND r.status = 'assigned' AND r.assigned_to = $2::uuid
	  AND ($4::text IN ('agent', 'admin') OR r.store_id::text = $5::text)
	RETURNING r.id, r.shopper_id, r.store_id
), logged AS (
	INSERT INTO request_events (request_id, kind, actor_id, actor_name, actor_role, from_state, to_state, reason)
	SELECT d.id, 'resolved', $2, $3::text, $4, 'assigned', 'resolved', '' FROM done d
)
SELECT d.store_id,
	-- Whether keep_load turns the owner from busy to available: the store's
	-- live screens show presence.
	COALESCE((SELECT u.status = 'busy' AND u.load - 1 < u.capacity FROM users u WHERE u.id = $2), false) AS free,
	queue_alert_leased($6::jsonb, ARRAY(SELECT s.id FROM push_subscriptions s WHERE s.shopper_id = d.shopper_id), $7::float8) AS alerts
FROM done d
