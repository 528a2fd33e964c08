-- The conversation of a request.

-- name: say
-- Adds a message to request $1's conversation, as one statement: the
-- request is touched (updated_at), which makes messages take turns on its
-- row, the message is written while the conversation has fewer than $9
-- messages, and the other side is alerted. The update goes ahead only on the
-- version of the request this statement read, so the count it read is
-- current: a message written meanwhile gives no row, as does a closed or
-- full conversation or an author who may not see the request; the caller
-- reads the request to say why, or runs the statement anew. The notifying
-- triggers stay quiet: the caller announces the message once committed.
--
-- $1 uuid   the request
-- $2 text   the shopper writing, '' for staff
-- $3 text   the role of the member of staff writing: agents and admins see
--           every request, floor staff and managers their store's
-- $4 text   the store of the member of staff writing, '' for none
-- $5 text   the author's user id, '' for a shopper (people.Actor.Author)
-- $6 text   the author's name
-- $7 text   the author's role
-- $8 text   the message
-- $9 int    the most messages a conversation holds
-- $10 jsonb the alert to the shopper when staff write, else NULL (notify.Message.JSON)
-- $11 jsonb the alert to the request's owner when the shopper writes, else NULL
-- $12 float8 the seconds the alerts are leased for to the caller, who sends
--           them once committed (queue_alert_leased)
WITH quiet AS (
	SELECT set_config('helpforce.notify', 'after_commit', true) AS notify
), turn AS (
	UPDATE help_requests r SET updated_at = now()
	FROM quiet
	WHERE r.id = $1::uuid AND r.status IN ('waiting', 'assigned')
	  AND r.xmin = (SELECT v.xmin FROM help_requests v WHERE v.id = $1::uuid)
	  AND CASE WHEN $2::text <> '' THEN r.shopper_id::text = $2
		WHEN $3::text IN ('agent', 'admin') THEN true
		ELSE $3 IN ('floor', 'manager') AND r.store_id::text = $4::text END
	  AND (SELECT count(*) FROM request_messages m WHERE m.request_id = $1::uuid) < $9::integer
	RETURNING r.id, r.shopper_id, r.store_id, r.assigned_to
), said AS (
	INSERT INTO request_messages (request_id, author_id, author_name, author_role, body)
	SELECT t.id, NULLIF($5::text, '')::uuid, $6::text, $7::text, $8::text FROM turn t
	RETURNING id, author_name, author_role, body, at
)
SELECT m.id, m.author_name, m.author_role, m.body, m.at, t.store_id,
	queue_alert_leased($10::jsonb, ARRAY(SELECT s.id FROM push_subscriptions s WHERE s.shopper_id = t.shopper_id), $12::float8)
		|| queue_alert_leased($11::jsonb, ARRAY(SELECT s.id FROM push_subscriptions s WHERE s.user_id = t.assigned_to), $12) AS alerts
FROM said m, turn t
