package holds

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"helpforce/fault"
)

// owner is the shopper a new hold belongs to: the caller when a shopper,
// the help request's shopper when placed from a conversation, else nobody
// (staff putting stock aside for the store).
func (k *Keeper) owner(ctx context.Context, tx *sqlx.Tx, a Actor, requestID string) (string, error) {
	if requestID == "" {
		if a.IsShopper() {
			return a.ShopperID, nil
		}
		return "", nil
	}
	var r struct {
		ShopperID string         `db:"shopper_id"`
		StoreID   sql.NullString `db:"store_id"`
	}
	err := tx.GetContext(ctx, &r, `SELECT shopper_id, store_id FROM help_requests WHERE id = $1`, requestID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fault.NotFound("help request")
	}
	if err != nil {
		return "", fmt.Errorf("holds: help request %s: %w", requestID, err)
	}
	visible := a.Central() || (a.IsShopper() && a.ShopperID == r.ShopperID) ||
		(r.StoreID.Valid && a.StaffOf(r.StoreID.String))
	if !visible {
		return "", fault.NotFound("help request")
	}
	return r.ShopperID, nil
}

// checkOpenHolds refuses a hold past the shopper's limit. Taking the
// shopper's row lock first makes a shopper's placements take turns, so two
// at once cannot both pass the count.
func (k *Keeper) checkOpenHolds(ctx context.Context, tx *sqlx.Tx, a Actor, shopperID string) error {
	// FOR NO KEY UPDATE does not block the key-share locks that inserts
	// referencing the shopper take.
	if _, err := tx.ExecContext(ctx, `SELECT 1 FROM shoppers WHERE id = $1 FOR NO KEY UPDATE`, shopperID); err != nil {
		return fmt.Errorf("holds: lock shopper: %w", err)
	}
	var open int
	if err := tx.GetContext(ctx, &open, `SELECT count(*) FROM holds WHERE shopper_id = $1
		AND status IN ('active', 'ready') AND expires_at > now()`, shopperID); err != nil {
		return fmt.Errorf("holds: count open holds: %w", err)
	}
	if open < k.cfg.MaxActivePerShopper {
		return nil
	}
	if a.IsShopper() {
		return fault.State("you already have %d holds waiting for pickup; pick one up or cancel one first", open)
	}
	return fault.State("this shopper already has %d holds waiting for pickup; they can hold more once one is picked up or cancelled", open)
}
