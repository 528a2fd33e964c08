package people

import (
	"context"
	"fmt"
	"time"
)

// Backoff limits login attempts per account and address: Free attempts, then
// each further one must wait Base, 2×Base, 4×Base… after the previous, up to
// Max. An account is never locked for everyone: only the address guessing at
// it slows down, and a pause of Max starts it afresh.
type Backoff struct {
	Free int
	Base time.Duration
	Max  time.Duration
}

// CountAttempt counts one attempt under key before the password is checked.
// The count and the check are one guarded upsert: parallel attempts queue on
// the row and each sees the ones before it, so they cannot pass together.
// When refused, retryAfter says when the next attempt may come.
func (d *Directory) CountAttempt(ctx context.Context, key string, b Backoff) (ok bool, retryAfter time.Duration, err error) {
	rows, err := d.db.QueryContext(ctx, `
		INSERT INTO login_attempts AS a (key, attempts, last_at) VALUES ($1, 1, clock_timestamp())
		ON CONFLICT (key) DO UPDATE SET
			attempts = CASE WHEN a.last_at < clock_timestamp() - $4 * interval '1 second' THEN 1 ELSE a.attempts + 1 END,
			last_at = clock_timestamp()
		WHERE a.attempts < $2 -- free attempts
		   OR a.last_at <= clock_timestamp() - least($3 * power(2, a.attempts - $2), $4) * interval '1 second'
		RETURNING attempts`, key, b.Free, b.Base.Seconds(), b.Max.Seconds())
	if err != nil {
		return false, 0, fmt.Errorf("people: count attempt: %w", err)
	}
	counted := rows.Next()
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, 0, fmt.Errorf("people: count attempt: %w", err)
	}
	if counted {
		return true, 0, nil
	}
	var left float64
	err = d.db.GetContext(ctx, &left, `SELECT COALESCE(max(extract(epoch FROM
			last_at + least($3 * power(2, attempts - $2), $4) * interval '1 second' - clock_timestamp())), 0)::float8
		FROM login_attempts WHERE key = $1`, key, b.Free, b.Base.Seconds(), b.Max.Seconds())
	if err != nil {
		return false, 0, fmt.Errorf("people: count attempt: %w", err)
	}
	return false, time.Duration(left * float64(time.Second)), nil
}

// ClearAttempts forgets the attempts under key after a successful sign-in.
func (d *Directory) ClearAttempts(ctx context.Context, key string) error {
	if _, err := d.db.ExecContext(ctx, `DELETE FROM login_attempts WHERE key = $1`, key); err != nil {
		return fmt.Errorf("people: clear attempts: %w", err)
	}
	return nil
}
