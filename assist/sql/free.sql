-- Free again: a person who may have become free is offered the oldest
-- waiting request they may take (free.go).

-- name: free-with-work
-- Which of people $1 are free for an offer and have a waiting request they
-- could be offered: active, available, below capacity, holding no open
-- offer of a waiting request, with a waiting request of their store (floor
-- staff and managers, whichever queue it sits in) or of the remote queue
-- (agents) they were not offered. Read without locks, in one round trip for
-- everyone a change freed: offerOne checks each again under its lock, and
-- most people freed have nothing to be offered.
--
-- $1 uuid[]  the people who may have become free
SELECT u.id FROM users u
WHERE u.id = ANY($1::uuid[]) AND u.active AND u.status = 'available' AND u.load < u.capacity
  AND u.role IN ('floor', 'manager', 'agent')
  AND NOT EXISTS (SELECT 1 FROM offers o JOIN help_requests w ON w.id = o.request_id
	WHERE o.user_id = u.id AND o.answer IS NULL AND w.status = 'waiting')
  AND EXISTS (SELECT 1 FROM help_requests r WHERE r.status = 'waiting'
	AND ((u.role IN ('floor', 'manager') AND r.store_id = u.store_id) OR (u.role = 'agent' AND r.channel = 'remote'))
	AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.request_id = r.id AND o.user_id = u.id))
