-- Offering a request to the people of one wave.

-- name: wave
-- Picks the people of a wave (wave_candidates) and records the wave on the
-- request, their offers and the log line naming them; when the wave reached
-- anyone and $8 is positive, the wave's deadline is due $8 seconds ahead.
-- Returns whom it reached: the caller queues their alerts.
--
-- $1 uuid     the request
-- $2 integer  the wave: 1 a few with the department's skill, 2 the whole
--             store, 3 the remote team
-- $3 uuid     the store whose people it reaches, NULL for any
-- $4 text     the department whose skill it asks, NULL for none
-- $5 text[]   the roles it reaches
-- $6 integer  the most people it reaches
-- $7 integer  the request's round
-- $8 float8   the wave's deadline in seconds, 0 for none
-- $9 text     the system's name, for the log
-- $10 text    the system's role, for the log
WITH chosen AS (
	SELECT c.* FROM wave_candidates($1::uuid, $3::uuid, $5::text[], $4::text, $6::integer) c
), waved AS (
	UPDATE help_requests SET wave = $2, updated_at = now() WHERE id = $1
), offered AS (
	INSERT INTO offers (request_id, user_id, wave) SELECT $1, id, $2 FROM chosen
), logged AS (
	INSERT INTO request_events (request_id, kind, actor_name, actor_role, from_state, to_state, reason)
	SELECT $1, 'offered', $9::text, $10::text, '',
		'wave ' || $2 || ': ' || string_agg(name, ', ' ORDER BY last_assigned_at NULLS FIRST, id), ''
	FROM chosen HAVING count(*) > 0
), timed AS (
	INSERT INTO timers (request_id, kind, generation, due_at)
	SELECT $1, 'wave', $7, now() + $8 * interval '1 second' WHERE $8 > 0 AND EXISTS (SELECT 1 FROM chosen)
)
SELECT id FROM chosen
