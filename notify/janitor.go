package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/pg"
)

// A subscription the app has not renewed for this long is removed; some push
// services (Apple's) keep answering 2xx for devices long gone, so silence
// from the app is the only sign. A warning goes out a few days before.
const (
	staleWarnAfter   = 55 * 24 * time.Hour
	staleRemoveAfter = 60 * 24 * time.Hour
	keepFinished     = 7 * 24 * time.Hour
)

// Sweep warns and removes stale subscriptions and drops finished outbox rows.
func (p *Push) Sweep(ctx context.Context) error {
	return pg.InTx(ctx, p.db, func(tx *sqlx.Tx) error {
		var stale []string
		err := tx.SelectContext(ctx, &stale, `UPDATE push_subscriptions SET warned_at = now()
			WHERE warned_at IS NULL AND last_used_at < now() - $1 * interval '1 second' RETURNING id::text`,
			staleWarnAfter.Seconds())
		if err != nil {
			return fmt.Errorf("notify: find stale subscriptions: %w", err)
		}
		if len(stale) > 0 {
			warning := Message{Type: TypeReminder, Title: "Alerts are about to stop", Urgency: "low",
				Body: "Open Helpforce on this phone to keep getting alerts.", URL: "/", TTL: 24 * time.Hour}
			if _, err := ToSubscriptions(ctx, tx, stale, warning); err != nil {
				return fmt.Errorf("notify: warn stale subscriptions: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM push_subscriptions WHERE last_used_at < now() - $1 * interval '1 second'`,
			staleRemoveAfter.Seconds()); err != nil {
			return fmt.Errorf("notify: remove stale subscriptions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM push_outbox WHERE status <> 'pending' AND created_at < now() - $1 * interval '1 second'`,
			keepFinished.Seconds()); err != nil {
			return fmt.Errorf("notify: drop finished rows: %w", err)
		}
		return nil
	})
}
