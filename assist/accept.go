package assist

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/fault"
	"helpforce/notify"
	"helpforce/pg"
)

// take is the one guarded statement that gives a request its owner: of any
// number of people accepting at once, exactly one row comes back.
const take = `
UPDATE help_requests r SET status = 'assigned', assigned_to = $2,
	first_accepted_at = COALESCE(r.first_accepted_at, now()), updated_at = now()
WHERE r.id = $1 AND r.status = 'waiting'
  AND ((r.channel = 'floor' AND $3 IN ('floor', 'manager') AND r.store_id = NULLIF($4, '')::uuid)
    OR (r.channel = 'remote' AND $3 = 'agent'))
RETURNING r.id`

// Accept makes the caller the request's one owner. Everyone else's alert is
// withdrawn; the shopper is told who is coming.
func (d *Desk) Accept(ctx context.Context, a Actor, id string) (HelpRequest, error) {
	if a.IsShopper() || a.Role == "admin" {
		return HelpRequest{}, fault.Forbidden("only staff on duty take requests")
	}
	err := pg.InTx(ctx, d.db, func(tx *sqlx.Tx) error {
		var got string
		err := tx.GetContext(ctx, &got, take, id, a.UserID, a.Role, a.StoreID)
		if errors.Is(err, sql.ErrNoRows) {
			return d.whyNotTaken(ctx, a, id)
		}
		if err != nil {
			return fmt.Errorf("assist: accept %s: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET status = 'busy', last_assigned_at = now(), ignored_offers = 0
			WHERE id = $1`, a.UserID); err != nil {
			return err
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
		if err := d.withdraw(ctx, tx, &r, "withdrawn", "Taken by "+a.Name, a.UserID); err != nil {
			return err
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
	if r.Channel == "remote" {
		return fault.Forbidden("the remote team has this request")
	}
	return fault.Forbidden("this request is for the store's floor staff")
}

// Pass declines an offer. When everyone offered has passed, the next wave
// starts at once rather than after the timeout.
func (d *Desk) Pass(ctx context.Context, a Actor, id string) error {
	return pg.InTx(ctx, d.db, func(tx *sqlx.Tx) error {
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
	return d.toRemote(ctx, tx, r, system, "everyone offered passed")
}

// tellShopper queues a push to the shopper's devices about their request.
func (d *Desk) tellShopper(ctx context.Context, tx *sqlx.Tx, r *row, title, body string) error {
	_, err := notify.ToShopper(ctx, tx, r.ShopperID, notify.Message{Type: notify.TypeRequestUpdate, Title: title, Body: body,
		URL: "/help/requests/" + r.ID, RequestID: r.ID, TTL: 30 * time.Minute, Topic: notify.Topic("shopper", r.ID)})
	return err
}

// release sets a person who owns nothing any more back to available.
func release(ctx context.Context, tx *sqlx.Tx, userID string) error {
	_, err := tx.ExecContext(ctx, `UPDATE users SET status = 'available' WHERE id = $1 AND status = 'busy'
		AND NOT EXISTS (SELECT 1 FROM help_requests WHERE assigned_to = $1 AND status = 'assigned')`, userID)
	return err
}
