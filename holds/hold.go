package holds

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"helpforce/fault"
	"helpforce/pg"
)

// Hold is units of one product put aside at a store for pickup. Status is
// active, ready (still active, and prepared at the pickup desk), picked_up,
// cancelled or expired; stock stays held while active or ready.
type Hold struct {
	ID            string     `json:"id" db:"id"`
	Status        string     `json:"status" db:"status"`
	StoreID       string     `json:"store_id" db:"store_id"`
	StoreName     string     `json:"store_name" db:"store_name"`
	SKU           string     `json:"sku" db:"sku"`
	ProductName   string     `json:"product_name" db:"product_name"`
	Quantity      int        `json:"quantity" db:"quantity"`
	PickupCode    string     `json:"pickup_code" db:"pickup_code"`
	ExpiresAt     time.Time  `json:"expires_at" db:"expires_at"`
	CreatedAt     time.Time  `json:"created_at" db:"created_at"`
	ReadyAt       *time.Time `json:"ready_at" db:"ready_at"`
	PickedUpAt    *time.Time `json:"picked_up_at" db:"picked_up_at"`
	HelpRequestID *string    `json:"help_request_id" db:"help_request_id"`
}

// row is a hold with what the rules need besides.
type row struct {
	Hold
	Stored    string         `db:"stored_status"` // as written, before a passed deadline reads expired
	ShopperID sql.NullString `db:"shopper_id"`
	Timezone  string         `db:"timezone"`
}

// effective is a hold's status as of now: a hold past its deadline reads
// expired at once, before the expiry worker has released its stock.
const effective = `CASE WHEN h.status IN ('active', 'ready') AND h.expires_at <= now() THEN 'expired' ELSE h.status END`

const selectHold = `SELECT h.id, ` + effective + ` AS status, h.status AS stored_status, h.store_id, s.name AS store_name, s.timezone,
	h.sku, h.product_name, h.quantity, h.pickup_code, h.expires_at, h.created_at, h.ready_at, h.picked_up_at,
	h.help_request_id, h.shopper_id
FROM holds h JOIN stores s ON s.id = h.store_id`

// open reports whether the hold still holds stock and can be acted on.
func (r row) open() bool { return r.Status == "active" || r.Status == "ready" }

// visible reports whether a may see the hold: its shopper, staff of its
// store, agents and admins.
func (r row) visible(a Actor) bool {
	if a.IsShopper() {
		return r.ShopperID.Valid && r.ShopperID.String == a.ShopperID
	}
	return a.StaffOf(r.StoreID) || a.Central()
}

// closedReason says why a hold that is no longer open cannot be acted on.
func (r row) closedReason() error {
	switch r.Status {
	case "picked_up":
		return fault.State("this hold was already picked up")
	case "cancelled":
		return fault.State("this hold was cancelled")
	case "expired":
		return fault.State("this hold has expired")
	}
	return fault.State("this hold is %s", r.Status)
}

func (k *Keeper) readRow(ctx context.Context, q sqlx.QueryerContext, id string, lock bool) (row, error) {
	var r row
	if !pg.IsID(id) {
		return r, fault.NotFound("hold")
	}
	query := selectHold + ` WHERE h.id = $1`
	if lock {
		query += ` FOR UPDATE OF h`
	}
	err := sqlx.GetContext(ctx, q, &r, query, id)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fault.NotFound("hold")
	}
	if err != nil {
		return r, fmt.Errorf("holds: read %s: %w", id, err)
	}
	r.Hold = r.utc()
	return r, nil
}

// utc gives the hold's times in UTC, as the API promises.
func (h Hold) utc() Hold {
	h.ExpiresAt, h.CreatedAt = h.ExpiresAt.UTC(), h.CreatedAt.UTC()
	for _, t := range []**time.Time{&h.ReadyAt, &h.PickedUpAt} {
		if *t != nil {
			u := (*t).UTC()
			*t = &u
		}
	}
	return h
}

// Hold returns a hold as a may see it; others get not found.
func (k *Keeper) Hold(ctx context.Context, a Actor, id string) (Hold, error) {
	r, err := k.readRow(ctx, k.db, id, false)
	if err != nil {
		return Hold{}, err
	}
	if !r.visible(a) {
		return Hold{}, fault.NotFound("hold")
	}
	return r.Hold, nil
}

// HoldByCode returns the open hold with a pickup code at a store, for the
// pickup desk when the code is typed in rather than scanned. Staff of the
// store, agents and admins only.
func (k *Keeper) HoldByCode(ctx context.Context, a Actor, storeID, code string) (Hold, error) {
	if !pg.IsID(storeID) {
		return Hold{}, fault.NotFound("store")
	}
	if !a.StaffOf(storeID) && !a.Central() {
		return Hold{}, fault.Forbidden("only staff of this store look up its pickup codes")
	}
	var r row
	err := k.db.GetContext(ctx, &r, selectHold+` WHERE h.store_id = $1 AND h.pickup_code = $2
		AND h.status IN ('active', 'ready')`, storeID, normalCode(code))
	if errors.Is(err, sql.ErrNoRows) {
		return Hold{}, fault.NotFound("hold")
	}
	if err != nil {
		return Hold{}, fmt.Errorf("holds: by code at %s: %w", storeID, err)
	}
	return r.utc(), nil
}

// maxListed bounds a list: a store's history grows without end.
const maxListed = 500

// StoreHolds lists a store's holds for its staff, agents and admins. With
// no status it lists the open ones (active and ready), oldest first: the
// pick list. A closed status (picked_up, cancelled, expired) lists the most
// recent first.
func (k *Keeper) StoreHolds(ctx context.Context, a Actor, storeID, status string) ([]Hold, error) {
	if !pg.IsID(storeID) {
		return nil, fault.NotFound("store")
	}
	if !a.StaffOf(storeID) && !a.Central() {
		return nil, fault.Forbidden("only staff of this store see its holds")
	}
	if err := k.storeExists(ctx, k.db, storeID); err != nil {
		return nil, err
	}
	var query string
	var args []any
	switch status {
	case "", "active", "ready":
		want := []string{"active", "ready"}
		if status != "" {
			want = []string{status}
		}
		// The partial index on open holds keeps this off the store's history.
		query = selectHold + ` WHERE h.store_id = $1 AND h.status IN ('active', 'ready') AND h.expires_at > now()
			AND h.status = ANY($2) ORDER BY h.created_at, h.id LIMIT $3`
		args = []any{storeID, pq.Array(want), maxListed}
	case "picked_up", "cancelled", "expired":
		query = selectHold + ` WHERE h.store_id = $1 AND ` + effective + ` = $2 ORDER BY h.created_at DESC, h.id LIMIT $3`
		args = []any{storeID, status, maxListed}
	default:
		return nil, fault.Invalid("status", "status is one of active, ready, picked_up, cancelled, expired")
	}
	return k.list(ctx, query, args...)
}

// ShopperHolds lists a shopper's own holds ("My holds"): open ones first,
// then the most recent.
func (k *Keeper) ShopperHolds(ctx context.Context, a Actor) ([]Hold, error) {
	if !a.IsShopper() {
		return nil, fault.Forbidden("“My holds” lists a shopper's own holds")
	}
	return k.list(ctx, selectHold+` WHERE h.shopper_id = $1
		ORDER BY (`+effective+` IN ('active', 'ready')) DESC, h.created_at DESC, h.id LIMIT $2`, a.ShopperID, maxListed)
}

func (k *Keeper) list(ctx context.Context, query string, args ...any) ([]Hold, error) {
	var rows []row
	if err := k.db.SelectContext(ctx, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("holds: list: %w", err)
	}
	out := make([]Hold, len(rows))
	for i, r := range rows {
		out[i] = r.utc()
	}
	return out, nil
}

func (k *Keeper) storeExists(ctx context.Context, q sqlx.QueryerContext, storeID string) error {
	var ok bool
	if err := sqlx.GetContext(ctx, q, &ok, `SELECT EXISTS (SELECT 1 FROM stores WHERE id = $1)`, storeID); err != nil {
		return fmt.Errorf("holds: store %s: %w", storeID, err)
	}
	if !ok {
		return fault.NotFound("store")
	}
	return nil
}

// normalCode accepts a code as people type it: any case, with spaces or a dash.
func normalCode(code string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(code)))
}
