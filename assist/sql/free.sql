-- Free again: a person who may have become free is offered the oldest
-- waiting request they may take, or reminded of one they let pass (free.go).

-- name: free-with-work
-- Which of people $1 are free for an offer and have something to be offered:
-- active, available, below capacity, and either holding no open offer of a
-- waiting request while a waiting request of their store (floor staff and
-- managers, whichever queue it sits in) or of the remote queue (agents)
-- was not offered them, or holding one to be reminded of (remind: the
-- request; offer_to_remind). Read without locks, in one round trip for
-- everyone a change freed: offerOne and remindOne check again under their
-- locks, and most people freed have nothing to be offered. Those who have
-- waited longest since they last took a request first.
--
-- $1 uuid[]  the people who may have become free
SELECT u.id, m.remind FROM users u, LATERAL (SELECT offer_to_remind(u.id, u.last_assigned_at) AS remind) m
WHERE u.id = ANY($1::uuid[]) AND u.active AND u.status = 'available' AND u.load < u.capacity
  AND u.role IN ('floor', 'manager', 'agent')
  AND (m.remind IS NOT NULL OR (
	NOT EXISTS (SELECT 1 FROM offers o JOIN help_requests w ON w.id = o.request_id
		WHERE o.user_id = u.id AND o.answer IS NULL AND w.status = 'waiting')
	AND EXISTS (SELECT 1 FROM help_requests r WHERE r.status = 'waiting'
		AND ((u.role IN ('floor', 'manager') AND r.store_id = u.store_id) OR (u.role = 'agent' AND r.channel = 'remote'))
		AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.request_id = r.id AND o.user_id = u.id))))
ORDER BY u.last_assigned_at NULLS FIRST

-- name: free-people
-- Everyone free for an offer: the sweep's candidates, of whom free-with-work
-- says who has something to be offered or reminded of. The sweep is the
-- safety net behind free-with-work, for a replica that stopped between a
-- commit and its offers.
SELECT u.id FROM users u
WHERE u.active AND u.status = 'available' AND u.load < u.capacity AND u.role IN ('floor', 'manager', 'agent')

-- name: offer-oldest
-- Offers person $1, whom the transaction holds (freeToOffer), the oldest
-- waiting request they may take: for floor staff and managers, their
-- store's requests (their own skills first), including those waiting with
-- the remote team; for agents, the remote queue. Only while they hold no
-- open offer of a waiting request, and never a request they were offered
-- in its current round. Read after the person's lock, so that an offer
-- another replica made meanwhile counts; a request another transaction is
-- dispatching is skipped, not waited for. Writes the offer, touches the
-- request (live screens read it again) and logs it; returns the request,
-- for its alert, which the caller queues in the same transaction. No row:
-- nothing to offer.
--
-- $1 uuid  the person
-- $2 text  their name, for the log
-- $3 text  the system's name, for the log
-- $4 text  the system's role, for the log
WITH picked AS (
	SELECT r.id, r.wave FROM users u JOIN help_requests r ON r.status = 'waiting'
		AND ((u.role IN ('floor', 'manager') AND r.store_id = u.store_id) OR (u.role = 'agent' AND r.channel = 'remote'))
	WHERE u.id = $1
	  AND NOT EXISTS (SELECT 1 FROM offers o JOIN help_requests w ON w.id = o.request_id
		WHERE o.user_id = u.id AND o.answer IS NULL AND w.status = 'waiting')
	  AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.request_id = r.id AND o.user_id = u.id)
	ORDER BY u.role <> 'agent' AND NOT EXISTS (SELECT 1 FROM user_departments d WHERE d.user_id = u.id AND d.code = r.department),
		r.created_at, r.id
	LIMIT 1
	FOR UPDATE OF r SKIP LOCKED
), offered AS (
	INSERT INTO offers (request_id, user_id, wave) SELECT id, $1, wave FROM picked
), touched AS (
	UPDATE help_requests SET updated_at = now() WHERE id = (SELECT id FROM picked)
), logged AS (
	INSERT INTO request_events (request_id, kind, actor_name, actor_role, from_state, to_state, reason)
	SELECT id, 'offered', $3::text, $4::text, '', $2::text, 'offered when ' || $2::text || ' became free' FROM picked
)
SELECT r.id, r.shopper_id, r.store_id, s.name AS store_name, r.department,
	COALESCE(d.name, (SELECT x.name FROM departments x WHERE x.code = r.department ORDER BY x.name LIMIT 1)) AS department_name,
	r.note, r.status, r.channel, r.wave, r.round, r.created_at
FROM picked p JOIN help_requests r ON r.id = p.id
LEFT JOIN stores s ON s.id = r.store_id
LEFT JOIN departments d ON d.store_id = r.store_id AND d.code = r.department

-- name: remind-offer
-- Marks the open offer of waiting request $2 that person $1 is to be
-- reminded of (offer_to_remind) as reminded, while they are still free,
-- and returns their name, for the log; no row: nothing to remind. The
-- notifying triggers stay quiet: the caller announces the alert once
-- committed.
--
-- $1 uuid  the person
-- $2 uuid  the request
UPDATE offers o SET reminded_at = now()
FROM users u
WHERE o.user_id = $1::uuid AND o.request_id = $2::uuid AND u.id = o.user_id
  AND o.answer IS NULL AND o.reminded_at IS NULL -- checked again after waiting on another reminder
  AND offer_to_remind(u.id, u.last_assigned_at) = o.request_id
  AND u.active AND u.status = 'available' AND u.load < u.capacity
RETURNING u.name, set_config('helpforce.notify', 'after_commit', true) AS quiet
