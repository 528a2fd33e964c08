package holds

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"helpforce/fault"
	"helpforce/pg"
)

// NewHold is what a caller asks to put aside.
type NewHold struct {
	StoreID       string `json:"store_id"`
	SKU           string `json:"sku"`
	Quantity      int    `json:"quantity"`
	HelpRequestID string `json:"help_request_id"`
	// Client is the caller's address as limits count it (an IPv4 address or
	// an IPv6 /64), set by the HTTP layer.
	Client string `json:"-"`
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
	case !a.IsShopper() && a.UserID == "":
		return fault.Forbidden("sign in to hold a product")
	case n.Quantity < 1 || n.Quantity > k.cfg.MaxQuantity:
		return fault.Invalid("quantity", "hold 1 to %d units at a time", k.cfg.MaxQuantity)
	case n.SKU == "" || len([]rune(n.SKU)) > 64:
		return fault.Invalid("sku", "give the product's reference (up to 64 characters)")
	case len(idemKey) > 200:
		return fault.Invalid("Idempotency-Key", "the key is longer than 200 characters")
	case !pg.IsID(n.StoreID):
		return fault.NotFound("store")
	case n.HelpRequestID != "" && !pg.IsID(n.HelpRequestID):
		return fault.NotFound("help request")
	case !a.IsShopper() && !a.StaffOf(n.StoreID) && !a.Central():
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
	err := pg.InTx(ctx, k.db, func(tx *sqlx.Tx) error {
		var err error
		id, err = k.place(ctx, tx, a, idemKey, n)
		return err
	})
	if err != nil && idemKey != "" {
		// A repeat that raced with the first request (the key taken, or the
		// stock just taken by it) answers with the first hold.
		if first, ok, lookupErr := k.byIdempotencyKey(ctx, a, idemKey); lookupErr == nil && ok {
			return k.Hold(ctx, a, first)
		}
	}
	if err != nil {
		return Hold{}, err
	}
	return k.Hold(ctx, a, id)
}

func (k *Keeper) place(ctx context.Context, tx *sqlx.Tx, a Actor, idemKey string, n NewHold) (string, error) {
	var storeName string
	err := tx.GetContext(ctx, &storeName, `SELECT name FROM stores WHERE id = $1`, n.StoreID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fault.NotFound("store")
	}
	if err != nil {
		return "", fmt.Errorf("holds: store %s: %w", n.StoreID, err)
	}
	var product struct {
		Name      string `db:"name"`
		Available int    `db:"available"`
	}
	err = tx.GetContext(ctx, &product, `SELECT name, greatest(on_hand - held, 0) AS available FROM products
		WHERE store_id = $1 AND sku = $2`, n.StoreID, n.SKU)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fault.Invalid("sku", "%s has no product %q", storeName, n.SKU)
	}
	if err != nil {
		return "", fmt.Errorf("holds: product %s: %w", n.SKU, err)
	}
	// Sold out already: refuse before writing anything. Only the guarded
	// update below decides when there seems to be enough.
	if product.Available < n.Quantity {
		return "", fault.Conflict("insufficient_stock", "only %d available at %s", product.Available, storeName)
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
	if err := k.checkAddress(ctx, tx, a, n); err != nil {
		return "", err
	}
	id, err := k.insert(ctx, tx, a, idemKey, n, owner, product.Name)
	if err != nil {
		return "", err
	}
	if err := k.announce(ctx, tx, a, id); err != nil {
		return "", err
	}
	// The stock is taken last: on a product many people hold at once, its
	// row stays locked only from here to the commit.
	res, err := tx.ExecContext(ctx, `UPDATE products SET held = held + $3
		WHERE store_id = $1 AND sku = $2 AND on_hand - held >= $3`, n.StoreID, n.SKU, n.Quantity)
	if err != nil {
		return "", fmt.Errorf("holds: take stock of %s: %w", n.SKU, err)
	}
	if taken, _ := res.RowsAffected(); taken == 0 {
		return "", k.shortOf(ctx, tx, n, storeName)
	}
	return id, nil
}

// insert writes the hold with a fresh pickup code, drawing again when the
// code is in use at the store.
func (k *Keeper) insert(ctx context.Context, tx *sqlx.Tx, a Actor, idemKey string, n NewHold, owner, productName string) (string, error) {
	var placedByUser, placedByShopper, client, firstTTL any
	if a.IsShopper() {
		placedByShopper, client, firstTTL = a.ShopperID, nullable(n.Client), k.cfg.FirstTTL.Seconds()
	} else {
		placedByUser = a.UserID
	}
	for try := 0; try < maxCodeTries; try++ {
		var id string
		err := tx.GetContext(ctx, &id, `INSERT INTO holds (store_id, sku, product_name, quantity, pickup_code, shopper_id,
			help_request_id, placed_by_user, placed_by_shopper, idempotency_key, client_key, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $12, now() + `+holdTTL+` * interval '1 second')
			ON CONFLICT DO NOTHING RETURNING id`,
			n.StoreID, n.SKU, productName, n.Quantity, newPickupCode(), nullable(owner), nullable(n.HelpRequestID),
			placedByUser, placedByShopper, nullable(idemKey), k.cfg.TTL.Seconds(), client, firstTTL)
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
		return id, nil
	}
	return "", fmt.Errorf("holds: no free pickup code at %s after %d tries", n.StoreID, maxCodeTries)
}

// shortOf explains a refused hold: too few units available.
func (k *Keeper) shortOf(ctx context.Context, tx *sqlx.Tx, n NewHold, storeName string) error {
	var available int
	if err := tx.GetContext(ctx, &available, `SELECT greatest(on_hand - held, 0) FROM products
		WHERE store_id = $1 AND sku = $2`, n.StoreID, n.SKU); err != nil {
		return fmt.Errorf("holds: stock of %s: %w", n.SKU, err)
	}
	return fault.Conflict("insufficient_stock", "only %d available at %s", available, storeName)
}

func (k *Keeper) byIdempotencyKey(ctx context.Context, a Actor, key string) (string, bool, error) {
	return k.byIdempotencyKeyIn(ctx, k.db, a, key)
}

func (k *Keeper) byIdempotencyKeyIn(ctx context.Context, q sqlx.QueryerContext, a Actor, key string) (string, bool, error) {
	query, who := `SELECT id FROM holds WHERE placed_by_user = $1 AND idempotency_key = $2`, a.UserID
	if a.IsShopper() {
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
