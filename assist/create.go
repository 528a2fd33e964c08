package assist

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"helpforce/fault"
	"helpforce/pg"
	"helpforce/stores"
)

// NewRequest is what a shopper sends: what about, and where they are.
type NewRequest struct {
	Department string `json:"department"`
	Note       string `json:"note"`
	SKU        string `json:"sku"`
	// GTIN is a scanned or typed barcode number; in a store it names the
	// product (see resolveGTIN).
	GTIN string `json:"gtin"`
	// Remote asks the remote team even from inside a store: the shopper's
	// explicit choice is honoured, and the store is kept among the nearby.
	Remote bool `json:"remote"`
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
	"remote":    "the shopper asked for the remote team",
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
// or none is. In a store that transaction is a single statement, shared with
// the requests that arrive at the same moment (admissions); when the first
// wave reached nobody, the next wave's deadline is written due at once and
// fired here. A repeat with the same idempotency key returns the first
// request.
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
	if n.Remote {
		place = askedRemote(place)
	}
	if err := d.resolveGTIN(ctx, &n, place); err != nil {
		return HelpRequest{}, err
	}
	m := &admission{a: a, key: idemKey, n: n, place: place}
	reason := "the shopper is in no store"
	if n.Remote {
		reason = placedBy["remote"]
	}
	if place.Store != nil {
		d.admissions.write(m)
		err = m.err
	}
	if errors.Is(err, errClosed) {
		// Outside opening hours the remote team answers, for the store.
		m.remote, m.err, reason = true, nil, "the store is closed"
	}
	if place.Store == nil || m.remote {
		err = pg.InTx(ctx, d.db, func(tx *sqlx.Tx) error {
			if err := d.admit(ctx, tx, []*admission{m}); err != nil {
				return err
			}
			if m.err != nil {
				return m.err
			}
			return d.fromHome(ctx, tx, &m.r, reason)
		})
	}
	r := m.r
	if errors.Is(err, errRepeat) {
		id := r.ID
		if id == "" { // the first one committed while this one was written
			var ok bool
			if id, ok, err = d.byIdempotencyKey(ctx, a.ShopperID, idemKey); err != nil {
				return HelpRequest{}, err
			}
			if !ok {
				return HelpRequest{}, fmt.Errorf("assist: the request first sent with key %q is gone", idemKey)
			}
		}
		return d.HelpRequest(ctx, a, id)
	}
	if err != nil {
		return HelpRequest{}, err
	}
	d.announce(r, m.firstDue)
	d.send(m.alerts)
	if d.cfg.Policy == PolicyBroadcast && r.Channel == ChannelFloor {
		return d.broadcast(ctx, r.ID)
	}
	if r.Channel == ChannelFloor && !m.offered {
		// Nobody with the skill is free: the next waves are due at once.
		// Fire them now, and read where they took the request.
		if err := d.fireNow(ctx, m.waveTimer.Int64); err != nil {
			return HelpRequest{}, err
		}
		if r, err = d.readView(ctx, r.ID); err != nil {
			return HelpRequest{}, err
		}
	}
	return d.view(ctx, r) // a new request has no messages yet
}

// closed reports whether a store is outside its opening hours now.
func (d *Desk) closed(ctx context.Context, q sqlx.QueryerContext, storeID string) (bool, error) {
	var open bool
	if err := sqlx.GetContext(ctx, q, &open, `SELECT store_open_at($1, now())`, storeID); err != nil {
		return false, fmt.Errorf("assist: opening hours of %s: %w", storeID, err)
	}
	return !open, nil
}

// askedRemote turns a placement into one for the remote team: no store,
// with the store the shopper is at first among the nearby ones.
func askedRemote(p stores.Placement) stores.Placement {
	nearby := make([]stores.Nearby, 0, len(p.Nearby)+1)
	if p.Store != nil {
		nearby = append(nearby, stores.Nearby{Store: *p.Store})
	}
	for _, n := range p.Nearby {
		if p.Store == nil || n.Store.ID != p.Store.ID {
			nearby = append(nearby, n)
		}
	}
	return stores.Placement{Nearby: nearby, Department: p.Department, Confidence: "remote"}
}

// broadcast offers a new request to every free member of its store's staff
// and every available agent at once (PolicyBroadcast), and reads it back.
func (d *Desk) broadcast(ctx context.Context, id string) (HelpRequest, error) {
	err := pg.InTx(ctx, d.db, func(tx *sqlx.Tx) error {
		r, err := d.readRow(ctx, tx, id, true)
		if err != nil || r.Status != StatusWaiting || r.Channel != ChannelFloor {
			return err
		}
		if _, err := d.offerWave(ctx, tx, &r, waveStore, 0); err != nil {
			return err
		}
		return d.toRemote(ctx, tx, &r, system, "offered to everyone at once")
	})
	if err != nil {
		return HelpRequest{}, err
	}
	r, err := d.readView(ctx, id)
	if err != nil {
		return HelpRequest{}, err
	}
	return d.view(ctx, r)
}
