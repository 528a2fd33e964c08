package holds

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/pg"
)

// Run starts the expiry worker and returns at once; it stops when ctx ends.
//
// A hold's deadline is its own expires_at column, not a row in a separate
// timers table: a hold has exactly one deadline, which clients also read,
// so there is nothing to keep in step, and a partial index on open holds
// by deadline is the worker's queue. Any replica may expire any hold: each
// is claimed with FOR UPDATE SKIP LOCKED and expired in the transaction that
// releases its stock, guarded on its status, so it happens once. The worker
// sleeps until the next deadline, or until a hold is written anywhere
// (NOTIFY), so a restart loses nothing: deadlines that passed while no
// worker ran are swept as soon as one starts.
func (k *Keeper) Run(ctx context.Context, hub *pg.Hub) error {
	w := &pg.DueWorker{Name: "hold expiry", Channel: pg.ChanHolds, Do: k.expireOne, Next: k.nextDeadline, Log: k.log}
	return w.Start(ctx, hub)
}

// nextDeadline is how long until the earliest open hold's deadline.
func (k *Keeper) nextDeadline(ctx context.Context) (time.Duration, bool, error) {
	return pg.Until(ctx, k.db, `SELECT min(expires_at) FROM holds WHERE status IN ('active', 'ready')`)
}

// expireOne expires the hold whose deadline passed first, if any: status
// expired, units released, the shopper told, and the store asked to put
// prepared units back.
func (k *Keeper) expireOne(ctx context.Context) (bool, error) {
	expired := false
	err := pg.InTx(ctx, k.db, func(tx *sqlx.Tx) error {
		var id string
		err := tx.GetContext(ctx, &id, `SELECT id FROM holds WHERE status IN ('active', 'ready') AND expires_at <= now()
			ORDER BY expires_at LIMIT 1 FOR UPDATE SKIP LOCKED`)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("holds: claim expired hold: %w", err)
		}
		expired = true
		r, err := k.readRow(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if err := k.close(ctx, tx, r, "expired", ""); err != nil {
			return err
		}
		if err := k.release(ctx, tx, r); err != nil {
			return err
		}
		if r.Stored == "ready" {
			if err := k.putBack(ctx, tx, r, "was not picked up in time"); err != nil {
				return err
			}
		}
		return k.tellShopper(ctx, tx, r, "Your hold has expired",
			fmt.Sprintf("%d × %s at %s went back on sale. Hold it again if you still want it.", r.Quantity, r.ProductName, r.StoreName))
	})
	return expired, err
}
