-- Deadlines (timers.go).

-- name: retire-timers
-- Marks fired, in one statement, up to $1 due timers that would do nothing
-- because their request has moved on: a wave, overflow, reminder or
-- abandonment of a request no longer waiting, an escalation of one no
-- longer assigned, any but an abandonment from an earlier round. Most
-- deadlines of a busy day end this way, the request taken in time; each
-- would otherwise take a transaction of its own. A timer another worker
-- holds is skipped. A request leaves waiting or assigned only for good or
-- in a new round, so what this reads without locking the request stays true.
--
-- $1 int  the most timers retired at once
WITH due AS (
	SELECT t.id FROM timers t JOIN help_requests r ON r.id = t.request_id
	WHERE t.fired_at IS NULL AND t.due_at <= now()
	  AND ((t.kind IN ('wave', 'overflow', 'remind', 'abandon') AND r.status <> 'waiting')
		OR (t.kind = 'escalation' AND r.status <> 'assigned')
		OR (t.kind <> 'abandon' AND t.generation <> r.round))
	ORDER BY t.due_at
	LIMIT $1
	FOR UPDATE OF t SKIP LOCKED
)
UPDATE timers t SET fired_at = now() FROM due WHERE t.id = due.id
