package holds

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"helpforce/fault"
)

// NewHold is what a caller asks to put aside.
type NewHold struct {
	StoreID       string `json:"store_id"`
	SKU           string `json:"sku"`
	Quantity      int    `json:"quantity"`
	HelpRequestID string `json:"help_request_id"`
}

// errRepeat rolls back a placement that lost the race to a concurrent
// repeat with the same Idempotency-Key.
var errRepeat = errors.New("holds: repeated idempotency key")

// maxCodeTries bounds the retries on a pickup code already in use at the
// store: with 113 million codes, even one retry is rare.
const maxCodeTries = 8

func (k *Keeper) validate(a Actor, idemKey string, n *NewHold) error {
	n.StoreID, n.SKU, n.HelpRequestID = strings.TrimSpace(n.StoreID), strings.TrimSpace(n.SKU), strings.TrimSpace(n.HelpRequestID)
	switch {
	case !a.isShopper() && a.UserID == "":
		return fault.Forbidden("sign in to hold a product")
	case n.Quantity < 1 || n.Quantity > k.cfg.MaxQuantity:
		return fault.Invalid("quantity", "hold 1 to %d units at a time", k.cfg.MaxQuantity)
	case n.SKU == "" || len([]rune(n.SKU)) > 64:
		return fault.Invalid("sku", "give the product's reference (up to 64 characters)")
	case len(idemKey) > 200:
		return fault.Invalid("Idempotency-Key", "the key is longer than 200 characters")
	case !isID(n.StoreID):
		return fault.NotFound("store")
	case n.HelpRequestID != "" && !isID(n.HelpRequestID):
		return fault.NotFound("help request")
	case !a.isShopper() && !a.staffOf(n.StoreID) && !a.central():
		return fault.Forbidden("staff hold products at their own store")
	}
	return nil
}

// Place puts units aside: one guarded update takes them from available
// stock or the hold is refused with insufficient_stock. The hold, its place
// in a help request's conversation and the alerts to the store and the
// shopper are written in one transaction. A repeat with the same
// Idempotency-Key from the same caller returns the first hold.
func (k *Keeper) Place(ctx context.Context, a Actor, idemKey string, n NewHold) (Hold, error) {
	if err := k.validate(a, idemKey, &n); err != nil {
		return Hold{}, err
	}
	if idemKey != "" {
		if id, ok, err := k.byIdempotencyKey(ctx, a, idemKey); err != nil || ok {
			if err != nil {
				return Hold{}, err
			}
			return k.Hold(ctx, a, id)
		}
	}
	var id string
	err := inTx(ctx, k.db, func(tx *sqlx.Tx) error {
		var err error
		id, err = k.place(ctx, tx, a, idemKey, n)
		return err
	})
	if errors.Is(err, errRepeat) {
		id, _, err = k.byIdempotencyKey(ctx, a, idemKey)
	}
	if err != nil {
		return Hold{}, err
	}
	return k.Hold(ctx, a, id)
}

func (k *Keeper) place(ctx context.Context, tx *sqlx.Tx, a Actor, idemKey string, n NewHold) (string, error) {
	var store struct {
		Name     string `db:"name"`
		Timezone string `db:"timezone"`
	}
	err := tx.GetContext(ctx, &store, `SELECT name, timezone FROM stores WHERE id = $1`, n.StoreID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fault.NotFound("store")
	}
	if err != nil {
		return "", fmt.Errorf("holds: store %s: %w", n.StoreID, err)
	}
	owner, err := k.owner(ctx, tx, a, n.HelpRequestID)
	if err != nil {
		return "", err
	}
	if owner != "" {
		if err := k.checkOpenHolds(ctx, tx, a, owner); err != nil {
			return "", err
		}
	}
	var name string
	err = tx.GetContext(ctx, &name, `UPDATE products SET held = held + $3
		WHERE store_id = $1 AND sku = $2 AND on_hand - held >= $3 RETURNING name`, n.StoreID, n.SKU, n.Quantity)
	if errors.Is(err, sql.ErrNoRows) {
		return "", k.shortOf(ctx, tx, n, store.Name)
	}
	if err != nil {
		return "", fmt.Errorf("holds: take stock of %s: %w", n.SKU, err)
	}
	var placedByUser, placedByShopper any
	if a.isShopper() {
		placedByShopper = a.ShopperID
	} else {
		placedByUser = a.UserID
	}
	for try := 0; try < maxCodeTries; try++ {
		var id string
		err := tx.GetContext(ctx, &id, `INSERT INTO holds (store_id, sku, product_name, quantity, pickup_code, shopper_id,
			help_request_id, placed_by_user, placed_by_shopper, idempotency_key, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + $11 * interval '1 second')
			ON CONFLICT DO NOTHING RETURNING id`,
			n.StoreID, n.SKU, name, n.Quantity, newPickupCode(), nullable(owner), nullable(n.HelpRequestID),
			placedByUser, placedByShopper, nullable(idemKey), k.cfg.TTL.Seconds())
		if errors.Is(err, sql.ErrNoRows) {
			// Either the key was used (by a concurrent repeat that has now
			// committed) or the code is taken at this store: tell them apart.
			if idemKey != "" {
				_, ok, err := k.byIdempotencyKeyIn(ctx, tx, a, idemKey)
				if err != nil {
					return "", err
				}
				if ok {
					return "", errRepeat
				}
			}
			continue
		}
		if err != nil {
			return "", fmt.Errorf("holds: place %s: %w", n.SKU, err)
		}
		return id, k.announce(ctx, tx, a, id)
	}
	return "", fmt.Errorf("holds: no free pickup code at %s after %d tries", n.StoreID, maxCodeTries)
}

// owner is the shopper a new hold belongs to: the caller when a shopper,
// the help request's shopper when placed from a conversation, else nobody
// (staff putting stock aside for the store).
func (k *Keeper) owner(ctx context.Context, tx *sqlx.Tx, a Actor, requestID string) (string, error) {
	if requestID == "" {
		if a.isShopper() {
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
	visible := a.central() || (a.isShopper() && a.ShopperID == r.ShopperID) ||
		(r.StoreID.Valid && a.staffOf(r.StoreID.String))
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
	if a.isShopper() {
		return fault.State("you already have %d holds waiting for pickup; pick one up or cancel one first", open)
	}
	return fault.State("this shopper already has %d holds waiting for pickup; they can hold more once one is picked up or cancelled", open)
}

// shortOf explains a refused hold: an unknown product, or too few available.
func (k *Keeper) shortOf(ctx context.Context, tx *sqlx.Tx, n NewHold, storeName string) error {
	var available int
	err := tx.GetContext(ctx, &available, `SELECT greatest(on_hand - held, 0) FROM products
		WHERE store_id = $1 AND sku = $2`, n.StoreID, n.SKU)
	if errors.Is(err, sql.ErrNoRows) {
		return fault.Invalid("sku", "%s has no product %q", storeName, n.SKU)
	}
	if err != nil {
		return fmt.Errorf("holds: stock of %s: %w", n.SKU, err)
	}
	return fault.Conflict("insufficient_stock", "only %d available at %s", available, storeName)
}

func (k *Keeper) byIdempotencyKey(ctx context.Context, a Actor, key string) (string, bool, error) {
	return k.byIdempotencyKeyIn(ctx, k.db, a, key)
}

func (k *Keeper) byIdempotencyKeyIn(ctx context.Context, q sqlx.QueryerContext, a Actor, key string) (string, bool, error) {
	query, who := `SELECT id FROM holds WHERE placed_by_user = $1 AND idempotency_key = $2`, a.UserID
	if a.isShopper() {
		query, who = `SELECT id FROM holds WHERE placed_by_shopper = $1 AND idempotency_key = $2`, a.ShopperID
	}
	var id string
	err := sqlx.GetContext(ctx, q, &id, query, who, key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("holds: idempotency: %w", err)
	}
	return id, true, nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
