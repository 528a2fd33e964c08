package people

import (
	"context"
	"fmt"
	"time"
)

// Limit is a fixed-window rate limit kept in PostgreSQL, so every replica
// counts against the same numbers.
type Limit struct {
	Max    int
	Window time.Duration
}

// countHit counts one event under key $1 in the window of $2 seconds it
// falls in, and returns the window's hits so far and the seconds left in it;
// an empty key counts nothing and returns no row. Hit runs it alone, other
// statements as their first step.
const countHit = `INSERT INTO rate_limits AS r (key, window_start, hits)
	SELECT $1, date_bin($2 * interval '1 second', now(), 'epoch'), 1 WHERE $1 <> ''
	ON CONFLICT (key, window_start) DO UPDATE SET hits = r.hits + 1
	RETURNING hits, extract(epoch FROM window_start + $2 * interval '1 second' - now())::float8 AS left_s`

// Hit counts one event under key and reports whether it is still within the
// limit; when not, retryAfter says when the window ends.
func (d *Directory) Hit(ctx context.Context, key string, l Limit) (ok bool, retryAfter time.Duration, err error) {
	var row struct {
		Hits int     `db:"hits"`
		Left float64 `db:"left_s"`
	}
	err = d.db.GetContext(ctx, &row, countHit, key, l.Window.Seconds())
	if err != nil {
		return false, 0, fmt.Errorf("people: rate limit %s: %w", key, err)
	}
	return row.Hits <= l.Max, time.Duration(row.Left * float64(time.Second)), nil
}

// Exceeded reports whether key has already used up its limit, without counting.
func (d *Directory) Exceeded(ctx context.Context, key string, l Limit) (bool, time.Duration, error) {
	var row struct {
		Hits int     `db:"hits"`
		Left float64 `db:"left_s"`
	}
	err := d.db.GetContext(ctx, &row, `
		SELECT COALESCE(max(hits), 0) AS hits,
		       COALESCE(max(extract(epoch FROM window_start + $2 * interval '1 second' - now())), 0)::float8 AS left_s
		FROM rate_limits WHERE key = $1 AND window_start = date_bin($2 * interval '1 second', now(), 'epoch')`,
		key, l.Window.Seconds())
	if err != nil {
		return false, 0, fmt.Errorf("people: rate limit %s: %w", key, err)
	}
	return row.Hits >= l.Max, time.Duration(row.Left * float64(time.Second)), nil
}

// Sweep removes expired and idle sessions (and with them their devices' push
// subscriptions), finished rate-limit windows and old login attempts.
func (d *Directory) Sweep(ctx context.Context) error {
	if _, err := d.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < now()
		OR (user_id IS NOT NULL AND last_used_at < now() - $1 * interval '1 second')`, d.SessionIdle.Seconds()); err != nil {
		return fmt.Errorf("people: sweep sessions: %w", err)
	}
	if _, err := d.db.ExecContext(ctx, `DELETE FROM login_attempts WHERE last_at < now() - interval '1 day'`); err != nil {
		return fmt.Errorf("people: sweep login attempts: %w", err)
	}
	if _, err := d.db.ExecContext(ctx, `DELETE FROM rate_limits WHERE window_start < now() - interval '1 day'`); err != nil {
		return fmt.Errorf("people: sweep rate limits: %w", err)
	}
	return nil
}
