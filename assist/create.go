package assist

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"helpforce/fault"
	"helpforce/pg"
	"helpforce/stores"
)

// NewRequest is what a shopper sends: what about, and where they are.
type NewRequest struct {
	Department string `json:"department"`
	Note       string `json:"note"`
	SKU        string `json:"sku"`
	stores.PlaceQuery
}

// placedBy says in the log how the request found its store.
var placedBy = map[string]string{
	"spot":      "placed by a shelf code",
	"chosen":    "store chosen by the shopper",
	"inside":    "placed by the phone's position",
	"ambiguous": "placed by the phone's position, nearest of several stores",
	"nearby":    "the shopper is near, not in, a store",
	"none":      "the shopper is in no store",
}

func (n *NewRequest) validate() error {
	n.Department, n.Note, n.SKU = strings.TrimSpace(n.Department), strings.TrimSpace(n.Note), strings.TrimSpace(n.SKU)
	if n.Department != "" && !stores.ValidDepartmentCode(n.Department) {
		return fault.Invalid("department", "choose one of the store's departments")
	}
	if len([]rune(n.Note)) > 500 {
		return fault.Invalid("note", "the note is longer than 500 characters")
	}
	if len(n.SKU) > 64 {
		return fault.Invalid("sku", "the product reference is longer than 64 characters")
	}
	return nil
}

// Create takes a shopper's request and dispatches it in one transaction: the
// request, its first offers, their alerts and its deadlines are all written,
// or none is. A repeat with the same idempotency key returns the first request.
func (d *Desk) Create(ctx context.Context, a Actor, idemKey string, n NewRequest) (HelpRequest, error) {
	if !a.IsShopper() {
		return HelpRequest{}, fault.Forbidden("help requests are made by shoppers")
	}
	if err := n.validate(); err != nil {
		return HelpRequest{}, err
	}
	if len(idemKey) > 200 {
		return HelpRequest{}, fault.Invalid("Idempotency-Key", "the key is longer than 200 characters")
	}
	if idemKey != "" {
		if id, ok, err := d.byIdempotencyKey(ctx, a.ShopperID, idemKey); err != nil || ok {
			if err != nil {
				return HelpRequest{}, err
			}
			return d.HelpRequest(ctx, a, id)
		}
	}
	place, err := d.places.Resolve(ctx, n.PlaceQuery)
	if err != nil {
		return HelpRequest{}, err
	}
	if place.Department != "" && n.Department == "" {
		n.Department = place.Department
	}
	if n.Department == "" {
		return HelpRequest{}, fault.Invalid("department", "choose what you need help with")
	}
	var id string
	err = pg.InTx(ctx, d.db, func(tx *sqlx.Tx) error {
		var err error
		id, err = d.create(ctx, tx, a, idemKey, n, place)
		return err
	})
	var f *fault.Error
	if errors.As(err, &f) && f.Code == "duplicate" {
		// A concurrent repeat with the same key won the race: answer with its request.
		if id, ok, err := d.byIdempotencyKey(ctx, a.ShopperID, idemKey); err == nil && ok {
			return d.HelpRequest(ctx, a, id)
		}
	}
	if err != nil {
		return HelpRequest{}, err
	}
	r, err := d.readView(ctx, id)
	if err != nil {
		return HelpRequest{}, err
	}
	return d.view(ctx, r, false) // a new request has no messages yet
}

func (d *Desk) create(ctx context.Context, tx *sqlx.Tx, a Actor, idemKey string, n NewRequest, place stores.Placement) (string, error) {
	var open int
	// Serialise one shopper's creations so the cap on open requests holds.
	if _, err := tx.ExecContext(ctx, `SELECT 1 FROM shoppers WHERE id = $1 FOR UPDATE`, a.ShopperID); err != nil {
		return "", err
	}
	if err := tx.GetContext(ctx, &open, `SELECT count(*) FROM help_requests WHERE shopper_id = $1
		AND status IN ('waiting', 'assigned')`, a.ShopperID); err != nil {
		return "", err
	}
	if open >= d.cfg.OpenPerShopper {
		return "", fault.State("you already have %d open requests; cancel one first", open)
	}
	var storeID any
	channel := "remote"
	if place.Store != nil {
		storeID, channel = place.Store.ID, "floor"
		var known bool
		if err := tx.GetContext(ctx, &known, `SELECT EXISTS (SELECT 1 FROM departments WHERE store_id = $1 AND code = $2)`,
			place.Store.ID, n.Department); err != nil {
			return "", err
		}
		if !known {
			return "", fault.Invalid("department", "%s has no department %q", place.Store.Name, n.Department)
		}
	}
	if place.Nearby == nil {
		place.Nearby = []stores.Nearby{}
	}
	nearby, _ := json.Marshal(place.Nearby)
	var key, sku any
	if idemKey != "" {
		key = idemKey
	}
	if n.SKU != "" {
		sku = n.SKU
	}
	var id string
	err := tx.GetContext(ctx, &id, `INSERT INTO help_requests (shopper_id, store_id, department, note, sku, nearby, channel, idempotency_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (shopper_id, idempotency_key) DO NOTHING RETURNING id`,
		a.ShopperID, storeID, n.Department, n.Note, sku, string(nearby), channel, key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", &fault.Error{Kind: fault.KindConflict, Code: "duplicate", Message: "already created"}
	}
	if err != nil {
		return "", fmt.Errorf("assist: create: %w", err)
	}
	r, err := d.readRow(ctx, tx, id, true)
	if err != nil {
		return "", err
	}
	if err := record(ctx, tx, id, EvCreated, a, "", channel, placedBy[place.Confidence]); err != nil {
		return "", err
	}
	if channel == "remote" {
		if err := d.schedule(ctx, tx, &r, "abandon", d.cfg.AbandonAfter); err != nil {
			return "", err
		}
		if err := record(ctx, tx, id, EvOverflowed, system, "", "remote", "the shopper is in no store"); err != nil {
			return "", err
		}
		_, err := d.offerWave(ctx, tx, &r, waveRemote)
		return id, err
	}
	if err := d.schedule(ctx, tx, &r, "abandon", d.cfg.AbandonAfter, "overflow", d.cfg.OverflowTimeout); err != nil {
		return "", err
	}
	return id, d.dispatchFloor(ctx, tx, &r, waveSkilled)
}

func (d *Desk) byIdempotencyKey(ctx context.Context, shopperID, key string) (string, bool, error) {
	var id string
	err := d.db.GetContext(ctx, &id, `SELECT id FROM help_requests WHERE shopper_id = $1 AND idempotency_key = $2`, shopperID, key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("assist: idempotency: %w", err)
	}
	return id, true, nil
}

// schedule writes deadlines for the request's current round: pairs of a
// kind and a delay, in one statement.
func (d *Desk) schedule(ctx context.Context, tx *sqlx.Tx, r *row, kindsAndDelays ...any) error {
	var kinds []string
	var secs []float64
	for i := 0; i+1 < len(kindsAndDelays); i += 2 {
		kinds = append(kinds, kindsAndDelays[i].(string))
		secs = append(secs, kindsAndDelays[i+1].(time.Duration).Seconds())
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO timers (request_id, kind, generation, due_at)
		SELECT $1, k, $2, now() + s * interval '1 second' FROM unnest($3::text[], $4::float8[]) AS t(k, s)`,
		r.ID, r.Round, pq.Array(kinds), pq.Array(secs))
	if err != nil {
		return fmt.Errorf("assist: schedule %v for %s: %w", kinds, r.ID, err)
	}
	return nil
}
