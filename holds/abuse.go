package holds

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"helpforce/fault"
)

// holdTTL is a new hold's lifetime in seconds: the full TTL ($11), or the
// shorter first-hold TTL ($13, given only when a shopper holds for
// themselves) until the shopper ($6) has a live help request or a past
// pickup behind them. A throwaway identity then locks stock up for hours,
// not a day.
const holdTTL = `(CASE WHEN $13::float8 IS NOT NULL
	AND NOT EXISTS (SELECT 1 FROM shoppers x WHERE x.id = $6 AND x.open_requests > 0)
	AND NOT EXISTS (SELECT 1 FROM holds p WHERE p.shopper_id = $6 AND p.status = 'picked_up')
	THEN $13::float8 ELSE $11::float8 END)`

// checkAddress refuses a shopper's hold that would take the units of one
// product held from one client address at one store in the last 24 hours
// (whatever became of those holds) past the cap: new identities are free to
// make, addresses are not. A transaction lock on the address, store and
// product makes such holds take turns, so two at once cannot both pass.
func (k *Keeper) checkAddress(ctx context.Context, tx *sqlx.Tx, a Actor, n NewHold) error {
	if !a.IsShopper() || n.Client == "" || k.cfg.UnitsPerAddress < 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`,
		"hold:"+n.StoreID+":"+n.SKU+":"+n.Client); err != nil {
		return fmt.Errorf("holds: lock address: %w", err)
	}
	var held int
	if err := tx.GetContext(ctx, &held, `SELECT COALESCE(sum(quantity), 0) FROM holds
		WHERE store_id = $1 AND sku = $2 AND client_key = $3 AND created_at > now() - interval '1 day'`,
		n.StoreID, n.SKU, n.Client); err != nil {
		return fmt.Errorf("holds: units held from an address: %w", err)
	}
	if held+n.Quantity > k.cfg.UnitsPerAddress {
		return fault.Conflict("hold_limit_reached",
			"%d units of this product were already held from your connection today; at most %d a day", held, k.cfg.UnitsPerAddress)
	}
	return nil
}

// Sweep forgets the client address of holds placed more than a day ago:
// the daily cap no longer counts them.
func (k *Keeper) Sweep(ctx context.Context) error {
	if _, err := k.db.ExecContext(ctx, `UPDATE holds SET client_key = NULL
		WHERE client_key IS NOT NULL AND created_at < now() - interval '1 day'`); err != nil {
		return fmt.Errorf("holds: sweep client addresses: %w", err)
	}
	return nil
}
