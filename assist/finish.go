package assist

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/jmoiron/sqlx"

	"helpforce/fault"
	"helpforce/notify"
	"helpforce/pg"
	"helpforce/stores"
)

// resolveSQL closes a request its owner helped (sql/finish.sql).
var resolveSQL = statement("resolve")

// Resolve closes a request its owner has helped; the owner, free again, is
// offered the next waiting request.
func (d *Desk) Resolve(ctx context.Context, a Actor, id string) (HelpRequest, error) {
	told, err := shopperAlert(id, "Your request is resolved", "How did we do? Rate the help in the app.").JSON()
	if err != nil {
		return HelpRequest{}, err
	}
	var got struct {
		StoreID sql.NullString `db:"store_id"`
		Free    bool           `db:"free"`
		Alerts  notify.Leased  `db:"alerts"` // for the shopper
	}
	for try := 1; ; try++ {
		err = sql.ErrNoRows // a shopper owns nothing: only the reason is read
		if !a.IsShopper() && a.UserID != "" {
			err = d.db.GetContext(ctx, &got, resolveSQL, id, a.UserID, a.Name, a.Role, a.StoreID, told, d.lease())
		}
		if !errors.Is(err, sql.ErrNoRows) {
			break
		}
		r, err := d.readRow(ctx, d.db, id, false)
		if err != nil {
			return HelpRequest{}, err
		}
		if err := d.mustOwn(a, r); err != nil {
			return HelpRequest{}, err
		}
		if try == 2 { // owned when read, yet not when resolved: it is changing hands
			return HelpRequest{}, fault.State("the request is changing hands; try again")
		}
	}
	if err != nil {
		return HelpRequest{}, fmt.Errorf("assist: resolve %s: %w", id, err)
	}
	d.changed(id, got.StoreID, true)
	d.send(got.Alerts)
	if got.Free {
		d.presenceChanged(a)
	}
	d.offerFreed(ctx, a.UserID)
	return d.HelpRequest(ctx, a, id)
}

// mustOwn refuses anyone but the request's current owner.
func (d *Desk) mustOwn(a Actor, r row) error {
	if !r.visible(a) {
		return fault.NotFound("help request")
	}
	if r.Status != StatusAssigned {
		return fault.State("the request is %s, not assigned", r.Status)
	}
	if r.AssignedTo.String != a.UserID {
		return fault.Forbidden("only the person helping with this request may do this")
	}
	return nil
}

// Cancel withdraws a shopper's own open request.
func (d *Desk) Cancel(ctx context.Context, a Actor, id string) (HelpRequest, error) {
	var freed []string
	err := pg.InTx(ctx, d.db, func(tx *sqlx.Tx) error {
		r, err := d.readRow(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if !a.IsShopper() || !r.visible(a) {
			return fault.NotFound("help request")
		}
		if !r.Status.Open() {
			return fault.State("the request is already %s", r.Status)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE help_requests SET status = 'cancelled', closed_at = now(), updated_at = now()
			WHERE id = $1`, id); err != nil {
			return fmt.Errorf("assist: cancel %s: %w", id, err)
		}
		if r.AssignedTo.Valid {
			freed = append(freed, r.AssignedTo.String)
			if err := d.tellStaff(ctx, tx, &r, r.AssignedTo.String, "Request cancelled", "The shopper no longer needs help."); err != nil {
				return err
			}
		}
		ids, err := d.withdraw(ctx, tx, &r, "withdrawn", "Cancelled by the shopper", "")
		if err != nil {
			return err
		}
		freed = append(freed, ids...)
		return record(ctx, tx, id, EvCancelled, a, string(r.Status), string(StatusCancelled), "")
	})
	if err != nil {
		return HelpRequest{}, err
	}
	d.offerFreed(ctx, freed...)
	return d.HelpRequest(ctx, a, id)
}

// ChangeStore lets the shopper correct an ambiguous place while the request
// waits; dispatch starts again in the chosen store.
func (d *Desk) ChangeStore(ctx context.Context, a Actor, id, storeID string) (HelpRequest, error) {
	var freed []string
	err := pg.InTx(ctx, d.db, func(tx *sqlx.Tx) error {
		r, err := d.readRow(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if !a.IsShopper() || !r.visible(a) {
			return fault.NotFound("help request")
		}
		if r.Status != StatusWaiting {
			return fault.State("the store can only be changed while the request waits")
		}
		if err := mayMove(ctx, tx, r, storeID); err != nil {
			return err
		}
		var name string
		err = tx.GetContext(ctx, &name, `SELECT s.name FROM stores s JOIN departments dp ON dp.store_id = s.id
			WHERE s.id::text = $1 AND dp.code = $2`, storeID, r.Department)
		if err != nil {
			return fault.Invalid("store_id", "choose one of the stores offered")
		}
		if freed, err = d.withdraw(ctx, tx, &r, "withdrawn", "The shopper is in another store", ""); err != nil {
			return err
		}
		from := r.StoreName.String
		if _, err := tx.ExecContext(ctx, `UPDATE help_requests SET store_id = $2, channel = 'floor', wave = 0,
			round = round + 1, updated_at = now() WHERE id = $1`, id, storeID); err != nil {
			return fmt.Errorf("assist: change store of %s: %w", id, err)
		}
		if err := record(ctx, tx, id, EvStoreChanged, a, from, name, "chosen by the shopper"); err != nil {
			return err
		}
		r, err = d.readRow(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if closed, err := d.closed(ctx, tx, storeID); err != nil || closed {
			if err != nil {
				return err
			}
			return d.toRemote(ctx, tx, &r, system, "the store is closed")
		}
		if err := d.scheduleFloor(ctx, tx, &r); err != nil {
			return err
		}
		return d.dispatchFloor(ctx, tx, &r, waveSkilled)
	})
	if err != nil {
		return HelpRequest{}, err
	}
	d.offerFreed(ctx, freed...)
	return d.HelpRequest(ctx, a, id)
}

// maxMoves bounds how often a request may change store: each move alerts a
// store's staff again.
const maxMoves = 3

// mayMove allows a move only to one of the stores the request was offered
// (its nearby list, from the shopper's position) and at most maxMoves times.
func mayMove(ctx context.Context, tx *sqlx.Tx, r row, storeID string) error {
	var near []stores.Nearby
	_ = json.Unmarshal(r.Nearby, &near) // written by creation; unreadable offers nothing
	if !slices.ContainsFunc(near, func(n stores.Nearby) bool { return n.Store.ID == storeID }) {
		return fault.Invalid("store_id", "choose one of the stores offered")
	}
	var moves int
	if err := tx.GetContext(ctx, &moves, `SELECT count(*) FROM request_events WHERE request_id = $1 AND kind = $2`,
		r.ID, EvStoreChanged); err != nil {
		return fmt.Errorf("assist: moves of %s: %w", r.ID, err)
	}
	if moves >= maxMoves {
		return fault.Conflict("too_many_moves", "this request has changed store %d times already; cancel it and ask again", moves)
	}
	return nil
}
