package holds

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"helpforce/fault"
	"helpforce/pg"
)

// act runs fn on a hold locked for the transaction, once the caller is
// known to see it; it returns the hold as it is afterwards.
func (k *Keeper) act(ctx context.Context, a Actor, id string, fn func(*sqlx.Tx, row) error) (Hold, error) {
	err := pg.InTx(ctx, k.db, func(tx *sqlx.Tx) error {
		r, err := k.readRow(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if !r.visible(a) {
			return fault.NotFound("hold")
		}
		return fn(tx, r)
	})
	if err != nil {
		return Hold{}, err
	}
	return k.Hold(ctx, a, id)
}

// Ready marks a hold prepared at the pickup desk and tells the shopper.
// Staff of the hold's store only; the stock stays held.
func (k *Keeper) Ready(ctx context.Context, a Actor, id string) (Hold, error) {
	return k.act(ctx, a, id, func(tx *sqlx.Tx, r row) error {
		if !a.StaffOf(r.StoreID) {
			return fault.Forbidden("only staff of %s prepare its holds", r.StoreName)
		}
		if r.Status == "ready" {
			return fault.State("this hold is already ready at the pickup desk")
		}
		if !r.open() {
			return r.closedReason()
		}
		res, err := tx.ExecContext(ctx, `UPDATE holds SET status = 'ready', ready_at = now()
			WHERE id = $1 AND status = 'active' AND expires_at > now()`, r.ID)
		if err != nil {
			return fmt.Errorf("holds: ready %s: %w", r.ID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fault.State("this hold is no longer active")
		}
		return k.tellShopper(ctx, tx, r, "Your order is ready at the pickup desk",
			fmt.Sprintf("%d × %s at %s: show code %s by %s.", r.Quantity, r.ProductName, r.StoreName, r.PickupCode, r.deadline()))
	})
}

// Pickup hands a hold over: staff of its store confirm the shopper's code,
// and the units leave both on_hand and held in one transaction.
func (k *Keeper) Pickup(ctx context.Context, a Actor, id, code string) (Hold, error) {
	return k.act(ctx, a, id, func(tx *sqlx.Tx, r row) error {
		if !a.StaffOf(r.StoreID) {
			return fault.Forbidden("the staff of %s confirm its pickups", r.StoreName)
		}
		if !r.open() {
			return r.closedReason()
		}
		if normalCode(code) != r.PickupCode {
			return fault.Invalid("pickup_code", "this code does not match")
		}
		if err := k.close(ctx, tx, r, "picked_up", a.UserID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE products SET on_hand = on_hand - $3, held = held - $3, updated_at = now()
			WHERE store_id = $1 AND sku = $2 AND held >= $3 AND on_hand >= $3`, r.StoreID, r.SKU, r.Quantity)
		if err != nil {
			return fmt.Errorf("holds: pick up %s: %w", r.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		// An import set on_hand below what is held. The count is wrong, not
		// the hold, but on_hand must not go below zero: the store fixes the
		// count (it was alerted at the import) and confirms again.
		var onHand int
		if err := tx.GetContext(ctx, &onHand, `SELECT on_hand FROM products WHERE store_id = $1 AND sku = $2`,
			r.StoreID, r.SKU); err != nil {
			return fmt.Errorf("holds: pick up %s: %w", r.ID, err)
		}
		return fault.Conflict("insufficient_stock", "the inventory shows %d on hand for %d held; correct the stock count, then confirm the pickup",
			onHand, r.Quantity)
	})
}

// Cancel ends a hold and releases its units. The hold's shopper, staff of
// its store, agents and admins may cancel.
func (k *Keeper) Cancel(ctx context.Context, a Actor, id string) (Hold, error) {
	return k.act(ctx, a, id, func(tx *sqlx.Tx, r row) error {
		if !r.open() {
			return r.closedReason()
		}
		if err := k.close(ctx, tx, r, "cancelled", ""); err != nil {
			return err
		}
		if err := k.release(ctx, tx, r); err != nil {
			return err
		}
		if r.Status == "ready" {
			if err := k.putBack(ctx, tx, r, "was cancelled"); err != nil {
				return err
			}
		}
		if a.IsShopper() {
			return nil
		}
		return k.tellShopper(ctx, tx, r, "Your hold was cancelled",
			fmt.Sprintf("%s cancelled your hold of %d × %s at %s.", a.Name, r.Quantity, r.ProductName, r.StoreName))
	})
}

// close moves an open hold to a final status, guarded on it still being
// open and, unless it is expiring, before its deadline.
func (k *Keeper) close(ctx context.Context, tx *sqlx.Tx, r row, status, by string) error {
	guard := ` AND expires_at > now()`
	if status == "expired" {
		guard = ` AND expires_at <= now()`
	}
	res, err := tx.ExecContext(ctx, `UPDATE holds SET status = $2, closed_at = now(),
		picked_up_at = CASE WHEN $2 = 'picked_up' THEN now() END, picked_up_by = $3
		WHERE id = $1 AND status IN ('active', 'ready')`+guard, r.ID, status, nullable(by))
	if err != nil {
		return fmt.Errorf("holds: %s %s: %w", status, r.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fault.State("this hold is no longer active")
	}
	return nil
}

// release gives a closed hold's units back to available stock.
func (k *Keeper) release(ctx context.Context, tx *sqlx.Tx, r row) error {
	res, err := tx.ExecContext(ctx, `UPDATE products SET held = held - $3
		WHERE store_id = $1 AND sku = $2 AND held >= $3`, r.StoreID, r.SKU, r.Quantity)
	if err != nil {
		return fmt.Errorf("holds: release %s: %w", r.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("holds: release %s: %s holds fewer than %d units", r.ID, r.SKU, r.Quantity)
	}
	return nil
}
