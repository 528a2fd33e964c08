package demo

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// history fills the last 30 days with answered, overflowed, abandoned and
// rated requests, so that a manager's report has something to show at once.
// Times fall in opening hours (10:00–20:00 in Lyon), busier in the evening.
const history = `
WITH shopper AS (INSERT INTO shoppers DEFAULT VALUES RETURNING id),
staff AS (SELECT DISTINCT ON (store_id) store_id, id FROM users WHERE role = 'floor' ORDER BY store_id, email),
agent AS (SELECT id FROM users WHERE role = 'agent' ORDER BY email LIMIT 1),
draws AS (
	SELECT s.id AS store_id, s.staff_id, d.code AS department,
		date_trunc('day', now() AT TIME ZONE 'Europe/Paris') - make_interval(days => day)
			+ make_interval(hours => 10) + make_interval(secs => floor(36000 * sqrt(random()))) AS local_at,
		random() AS fate, random() AS speed, random() AS mood
	FROM (SELECT st.id, staff.id AS staff_id FROM stores st JOIN staff ON staff.store_id = st.id) s
	CROSS JOIN generate_series(1, 30) AS day
	CROSS JOIN LATERAL generate_series(1, 18 + floor(random() * 14)::int) AS n
	CROSS JOIN LATERAL (SELECT code FROM departments WHERE store_id = s.id ORDER BY random() + n * 0 LIMIT 1) d
),
made AS (
	INSERT INTO help_requests (shopper_id, store_id, department, status, channel, wave, assigned_to, created_at,
		first_accepted_at, remote_at, resolved_at, closed_at, updated_at, staff_answers)
	SELECT (SELECT id FROM shopper), store_id, department,
		CASE WHEN fate < 0.05 THEN 'abandoned' WHEN fate < 0.09 THEN 'cancelled' ELSE 'resolved' END,
		CASE WHEN fate < 0.05 OR fate > 0.86 THEN 'remote' ELSE 'floor' END,
		CASE WHEN fate < 0.05 OR fate > 0.86 THEN 3 ELSE 1 END,
		CASE WHEN fate < 0.09 THEN NULL WHEN fate > 0.86 THEN (SELECT id FROM agent) ELSE staff_id END,
		at,
		CASE WHEN fate >= 0.09 THEN at + make_interval(secs => 15 + speed * speed * 150) END,
		CASE WHEN fate < 0.05 OR fate > 0.86 THEN at + interval '90 seconds' END,
		CASE WHEN fate >= 0.09 THEN at + make_interval(secs => 240 + speed * 900) END,
		at + make_interval(secs => 240 + speed * 900), at,
		CASE WHEN fate >= 0.09 THEN 1 + floor(mood * 4)::int ELSE 0 END
	FROM (SELECT *, (local_at AT TIME ZONE 'Europe/Paris') AS at FROM draws) x
	RETURNING id, status, created_at, resolved_at
)
INSERT INTO ratings (request_id, score, at)
SELECT id, CASE WHEN random() < 0.08 THEN 2 WHEN random() < 0.25 THEN 3 WHEN random() < 0.55 THEN 4 ELSE 5 END, resolved_at
FROM made WHERE status = 'resolved' AND random() < 0.45`

// historyLog writes the hand-off log of the history: who took each request,
// which went to the remote team, how each ended.
const historyLog = `
INSERT INTO request_events (request_id, at, kind, actor_id, actor_name, actor_role, from_state, to_state, reason)
SELECT id, created_at, 'created', NULL::uuid, 'Shopper', 'shopper', '', 'floor', 'placed by the phone''s position' FROM help_requests
UNION ALL
SELECT id, remote_at, 'overflowed', NULL, 'Helpforce', 'system', 'floor', 'remote',
	CASE WHEN status = 'abandoned' THEN 'nobody in the store is free' ELSE 'nobody on the floor took it in time' END
	FROM help_requests WHERE remote_at IS NOT NULL
UNION ALL
SELECT r.id, r.first_accepted_at, 'accepted', u.id, u.name, u.role, 'waiting', u.name, ''
	FROM help_requests r JOIN users u ON u.id = r.assigned_to WHERE r.first_accepted_at IS NOT NULL
UNION ALL
SELECT r.id, r.resolved_at, 'resolved', u.id, u.name, u.role, 'assigned', 'resolved', ''
	FROM help_requests r JOIN users u ON u.id = r.assigned_to WHERE r.status = 'resolved'
UNION ALL
SELECT id, closed_at, status, NULL, CASE WHEN status = 'cancelled' THEN 'Shopper' ELSE 'Helpforce' END,
	CASE WHEN status = 'cancelled' THEN 'shopper' ELSE 'system' END, 'waiting', status, ''
	FROM help_requests WHERE status IN ('cancelled', 'abandoned')`

func seedHistory(ctx context.Context, db *sqlx.DB) error {
	if _, err := db.ExecContext(ctx, `SELECT setseed(0.42)`); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, history); err != nil {
		return fmt.Errorf("demo: history: %w", err)
	}
	if _, err := db.ExecContext(ctx, historyLog); err != nil {
		return fmt.Errorf("demo: history log: %w", err)
	}
	return nil
}
