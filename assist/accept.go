package assist

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"helpforce/fault"
	"helpforce/notify"
	"helpforce/pg"
)

// take is the one guarded statement that gives a request its owner: of any
// number of people accepting at once, exactly one row comes back. Floor
// staff and managers take their store's requests, including those waiting
// with the remote team (the request comes back to the floor); agents take
// the remote queue. The owner's load and presence follow in the same
// statement (keep_load), which refuses a person at capacity.
const take = `
UPDATE help_requests r SET status = 'assigned', assigned_to = $2,
	channel = CASE WHEN $3 IN ('floor', 'manager') THEN 'floor' ELSE r.channel END,
	first_accepted_at = COALESCE(r.first_accepted_at, now()), updated_at = now()
WHERE r.id = $1 AND r.status = 'waiting'
  AND (($3 IN ('floor', 'manager') AND r.store_id = NULLIF($4, '')::uuid)
    OR (r.channel = 'remote' AND $3 = 'agent'))
RETURNING r.id, (SELECT o.channel FROM help_requests o WHERE o.id = r.id) AS was`

// atCapacity is the SQLSTATE keep_load raises for an owner at capacity.
const atCapacity = "HF001"

// Accept makes the caller the request's one owner. Everyone else's alert is
// withdrawn; the shopper is told who is coming. Those whose offer was
// withdrawn, and the owner while below capacity, are offered the next
// waiting request.
func (d *Desk) Accept(ctx context.Context, a Actor, id string) (HelpRequest, error) {
	if a.IsShopper() || a.Role == "admin" {
		return HelpRequest{}, fault.Forbidden("only staff on duty take requests")
	}
	var freed []string
	err := pg.InTx(ctx, d.db, func(tx *sqlx.Tx) error {
		var got struct {
			ID  string `db:"id"`
			Was string `db:"was"`
		}
		err := tx.GetContext(ctx, &got, take, id, a.UserID, a.Role, a.StoreID)
		if errors.Is(err, sql.ErrNoRows) {
			return d.whyNotTaken(ctx, a, id)
		}
		var pqErr *pq.Error
		if errors.As(err, &pqErr) && pqErr.Code == atCapacity {
			return fault.State("you are already helping as many shoppers as you can; finish one first")
		}
		if err != nil {
			return fmt.Errorf("assist: accept %s: %w", id, err)
		}
		r, err := d.readRow(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO offers (request_id, user_id, wave, answer, answered_at)
			VALUES ($1, $2, $3, 'accepted', now()) ON CONFLICT (request_id, user_id)
			DO UPDATE SET answer = 'accepted', answered_at = now()`, id, a.UserID, r.Wave); err != nil {
			return err
		}
		if freed, err = d.withdraw(ctx, tx, &r, "withdrawn", "Taken by "+a.Name, a.UserID); err != nil {
			return err
		}
		if got.Was == "remote" && r.Channel == "floor" {
			if err := record(ctx, tx, id, EvFloorTook, a, "remote", "floor", "taken back by the store's floor"); err != nil {
				return err
			}
		}
		if err := record(ctx, tx, id, EvAccepted, a, "waiting", a.Name, ""); err != nil {
			return err
		}
		coming := a.Name + " is on the way"
		if r.Channel == "remote" {
			coming = a.Name + " from our help team is answering"
		}
		return d.tellShopper(ctx, tx, &r, coming, "Open the app to chat.")
	})
	if err != nil {
		return HelpRequest{}, err
	}
	d.offerFreed(ctx, append(freed, a.UserID)...)
	return d.HelpRequest(ctx, a, id)
}

// whyNotTaken explains a lost or refused accept.
func (d *Desk) whyNotTaken(ctx context.Context, a Actor, id string) error {
	r, err := d.readRow(ctx, d.db, id, false)
	if err != nil {
		return err
	}
	if !r.visible(a) {
		return fault.NotFound("help request")
	}
	if r.Status != "waiting" {
		return fault.Conflict("already_taken", "this request is no longer waiting (%s)", r.Status)
	}
	if a.Role == "agent" {
		return fault.Forbidden("this request is for the store's floor staff")
	}
	return fault.Forbidden("this request is for another store")
}

// Pass declines an offer. When everyone offered has passed, the next wave
// starts at once rather than after the timeout.
func (d *Desk) Pass(ctx context.Context, a Actor, id string) error {
	err := pg.InTx(ctx, d.db, func(tx *sqlx.Tx) error {
		r, err := d.readRow(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if !r.visible(a) {
			return fault.NotFound("help request")
		}
		res, err := tx.ExecContext(ctx, `UPDATE offers SET answer = 'passed', answered_at = now()
			WHERE request_id = $1 AND user_id = $2 AND answer IS NULL`, id, a.UserID)
		if err != nil {
			return fmt.Errorf("assist: pass %s: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fault.State("you have no open offer for this request")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET ignored_offers = 0 WHERE id = $1`, a.UserID); err != nil {
			return err
		}
		if err := record(ctx, tx, id, EvPassed, a, "", "", ""); err != nil {
			return err
		}
		return d.advanceIfAllPassed(ctx, tx, &r)
	})
	if err == nil {
		d.offerFreed(ctx, a.UserID)
	}
	return err
}

func (d *Desk) advanceIfAllPassed(ctx context.Context, tx *sqlx.Tx, r *row) error {
	if r.Status != "waiting" || r.Wave == waveRemote {
		return nil
	}
	var open bool
	if err := tx.GetContext(ctx, &open, `SELECT EXISTS (SELECT 1 FROM offers WHERE request_id = $1 AND answer IS NULL)`, r.ID); err != nil {
		return err
	}
	if open {
		return nil
	}
	if r.Wave == waveSkilled {
		return d.dispatchFloor(ctx, tx, r, waveStore)
	}
	if d.cfg.Policy == PolicyFloor {
		return nil
	}
	return d.toRemote(ctx, tx, r, system, "everyone offered passed")
}

// tellShopper queues a push to the shopper's devices about their request.
func (d *Desk) tellShopper(ctx context.Context, tx *sqlx.Tx, r *row, title, body string) error {
	_, err := notify.ToShopper(ctx, tx, r.ShopperID, notify.Message{Type: notify.TypeRequestUpdate, Title: title, Body: body,
		URL: "/help/requests/" + r.ID, RequestID: r.ID, TTL: 30 * time.Minute, Topic: notify.Topic("shopper", r.ID)})
	return err
}
