package people

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/lib/pq"
)

// Rate is a token bucket: Burst actions at once, and Burst more every Per.
// A zero Rate limits nothing.
type Rate struct {
	Burst int
	Per   time.Duration
}

// Off reports whether the rate limits nothing.
func (r Rate) Off() bool { return r.Burst <= 0 || r.Per <= 0 }

// interval is the time one action's token takes to come back.
func (r Rate) interval() time.Duration { return r.Per / time.Duration(r.Burst) }

// Charge is one bucket an action draws from.
type Charge struct {
	Key  string
	Rate Rate
}

// Take draws one token from every bucket of charges, in one statement, and
// reports whether each had one; when one had none, retryAfter says when it
// will. Buckets with a token are drawn from even when another is empty: a
// caller that keeps knocking keeps its buckets empty. Buckets live in
// PostgreSQL, so every replica draws from the same ones.
func (d *Directory) Take(ctx context.Context, charges ...Charge) (ok bool, retryAfter time.Duration, err error) {
	var keys []string
	var intervals, tolerances []float64
	seen := map[string]bool{}
	sort.Slice(charges, func(i, j int) bool { return charges[i].Key < charges[j].Key }) // one lock order
	for _, c := range charges {
		if c.Rate.Off() || seen[c.Key] {
			continue
		}
		seen[c.Key] = true
		t := c.Rate.interval()
		keys = append(keys, c.Key)
		intervals = append(intervals, t.Seconds())
		tolerances = append(tolerances, (t * time.Duration(c.Rate.Burst-1)).Seconds())
	}
	if len(keys) == 0 {
		return true, 0, nil
	}
	var wait float64
	// The outer SELECT sees the rows as they were before the upsert, which is
	// what a refused key's wait is computed from (a refused row is unchanged).
	// The commit does not wait for the disk: a crash forgets a few draws at
	// most, which a limit can afford.
	err = d.db.GetContext(ctx, &wait, `
		WITH w AS (SELECT w.* FROM (SELECT set_config('synchronous_commit', 'off', true)) quick,
			unnest($1::text[], $2::float8[], $3::float8[]) AS w(key, t, tol)),
		up AS (
			INSERT INTO rate_buckets AS b (key, tat, tolerance)
			SELECT key, now() + t * interval '1 second', tol * interval '1 second' FROM w
			ON CONFLICT (key) DO UPDATE SET tat = greatest(b.tat, now()) + (EXCLUDED.tat - now()),
				tolerance = EXCLUDED.tolerance
			WHERE greatest(b.tat, now()) - now() <= EXCLUDED.tolerance
			RETURNING b.key)
		SELECT COALESCE(max(extract(epoch FROM greatest(r.tat, now()) - now()) - w.tol), 0)::float8
		FROM w JOIN rate_buckets r ON r.key = w.key
		WHERE w.key NOT IN (SELECT key FROM up)`,
		pq.Array(keys), pq.Array(intervals), pq.Array(tolerances))
	if err != nil {
		return false, 0, fmt.Errorf("people: rate buckets: %w", err)
	}
	if wait <= 0 {
		return true, 0, nil
	}
	return false, time.Duration(wait * float64(time.Second)), nil
}

// SweepBuckets forgets buckets that have filled up again.
func (d *Directory) SweepBuckets(ctx context.Context) error {
	if _, err := d.db.ExecContext(ctx, `DELETE FROM rate_buckets WHERE tat < now()`); err != nil {
		return fmt.Errorf("people: sweep rate buckets: %w", err)
	}
	return nil
}
