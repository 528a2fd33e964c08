package holds

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/notify"
)

// announce tells everyone concerned about a new hold, in the transaction
// that places it: the help request's conversation, the store's pick list,
// and the shopper when someone else held for them.
func (k *Keeper) announce(ctx context.Context, tx *sqlx.Tx, a Actor, id string) error {
	r, err := k.readRow(ctx, tx, id, false)
	if err != nil {
		return err
	}
	what := fmt.Sprintf("%d × %s", r.Quantity, r.ProductName)
	until := r.deadline()
	if r.HelpRequestID != nil {
		authorID, name, role := a.Author()
		body := fmt.Sprintf("Held %s at %s until %s — pickup code %s", what, r.StoreName, until, r.PickupCode)
		// Only an open conversation with room left hears of it: the hold
		// itself stands either way.
		if _, err := tx.ExecContext(ctx, `INSERT INTO request_messages (request_id, author_id, author_name, author_role, body)
			SELECT $1, $2, $3, $4, $5 FROM help_requests
			WHERE id = $1 AND status IN ('waiting', 'assigned')
			AND (SELECT count(*) FROM request_messages WHERE request_id = $1) < $6`,
			*r.HelpRequestID, authorID, name, role, body, k.cfg.MaxMessages); err != nil {
			return fmt.Errorf("holds: message on %s: %w", *r.HelpRequestID, err)
		}
	}
	pick := notify.Message{Type: notify.TypeHoldPick, Title: "Pick list: " + what,
		Body: fmt.Sprintf("Put aside for pickup by %s (SKU %s, code %s).", until, r.SKU, r.PickupCode),
		URL:  "/staff/holds", HoldID: r.ID, TTL: k.alertTTL(), Topic: notify.Topic("hold-pick", r.ID)}
	if err := k.tellStore(ctx, tx, r.StoreID, pick); err != nil {
		return err
	}
	if a.IsShopper() {
		return nil
	}
	return k.tellShopper(ctx, tx, r, fmt.Sprintf("%s held %s for you", a.Name, what),
		fmt.Sprintf("Pick up at %s by %s with code %s.", r.StoreName, until, r.PickupCode))
}

// tellStore alerts the store's available floor staff and managers; when
// none is available, its managers, so that no hold goes unnoticed.
func (k *Keeper) tellStore(ctx context.Context, tx *sqlx.Tx, storeID string, msg notify.Message) error {
	var ids []string
	if err := tx.SelectContext(ctx, &ids, `SELECT id FROM users WHERE store_id = $1 AND active
		AND role IN ('floor', 'manager') AND status = 'available'`, storeID); err != nil {
		return fmt.Errorf("holds: staff of %s: %w", storeID, err)
	}
	if len(ids) == 0 {
		return k.tellManagers(ctx, tx, storeID, msg)
	}
	_, err := notify.ToUsers(ctx, tx, ids, msg)
	return err
}

// tellManagers alerts every manager of the store, on shift or not: what
// they are told needs someone who can fix the stock records.
func (k *Keeper) tellManagers(ctx context.Context, tx *sqlx.Tx, storeID string, msg notify.Message) error {
	var ids []string
	if err := tx.SelectContext(ctx, &ids, `SELECT id FROM users WHERE store_id = $1 AND active AND role = 'manager'`,
		storeID); err != nil {
		return fmt.Errorf("holds: managers of %s: %w", storeID, err)
	}
	_, err := notify.ToUsers(ctx, tx, ids, msg)
	return err
}

// tellShopper alerts the hold's shopper, if it has one.
func (k *Keeper) tellShopper(ctx context.Context, tx *sqlx.Tx, r row, title, body string) error {
	if !r.ShopperID.Valid {
		return nil
	}
	_, err := notify.ToShopper(ctx, tx, r.ShopperID.String, notify.Message{Type: notify.TypeRequestUpdate,
		Title: title, Body: body, URL: "/holds/" + r.ID, HoldID: r.ID, TTL: k.alertTTL(),
		Topic: notify.Topic("hold", r.ID)})
	return err
}

// putBack asks the store to return prepared units to the shelf when a hold
// that was ready at the desk ends without a pickup. It replaces the pick
// alert on phones that still show it.
func (k *Keeper) putBack(ctx context.Context, tx *sqlx.Tx, r row, why string) error {
	return k.tellStore(ctx, tx, r.StoreID, notify.Message{Type: notify.TypeRequestUpdate,
		Title: fmt.Sprintf("Put back: %d × %s", r.Quantity, r.ProductName),
		Body:  fmt.Sprintf("Hold %s %s; the units are back in stock.", r.PickupCode, why),
		URL:   "/staff/holds", HoldID: r.ID, TTL: k.alertTTL(), Topic: notify.Topic("hold-pick", r.ID)})
}

// alertTTL is how long an alert about a hold stays worth delivering: no
// longer than the hold itself, nor than a day.
func (k *Keeper) alertTTL() time.Duration {
	return max(min(k.cfg.TTL, 24*time.Hour), time.Minute)
}

var zones sync.Map // timezone name → *time.Location

// deadline is when the hold ends, in the store's own time, as people there
// read it.
func (r row) deadline() string {
	loc := time.UTC
	if z, ok := zones.Load(r.Timezone); ok {
		loc = z.(*time.Location)
	} else if z, err := time.LoadLocation(r.Timezone); err == nil {
		zones.Store(r.Timezone, z)
		loc = z
	}
	return r.ExpiresAt.In(loc).Format("Mon 2 Jan 15:04")
}
