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
	"helpforce/people"
	"helpforce/pg"
)

// acceptSQL gives a request its one owner (sql/accept.sql).
var acceptSQL = statement("accept")

// atCapacity is the SQLSTATE keep_load raises for an owner at capacity.
const atCapacity = "HF001"

// acceptTries bounds how often an accept reads the request again after it
// changed under the statement (see sql/accept.sql) before giving up.
const acceptTries = 5

// Accept makes the caller the request's one owner. Everyone else's alert is
// withdrawn; the shopper is told who is coming. Those whose offer was
// withdrawn, and the owner while below capacity, are offered the next
// waiting request.
func (d *Desk) Accept(ctx context.Context, a Actor, id string) (HelpRequest, error) {
	if a.IsShopper() || a.Role == people.RoleAdmin {
		return HelpRequest{}, fault.Forbidden("only staff on duty take requests")
	}
	withdrawn, err := notify.Message{Type: notify.TypeWithdrawn, Title: "Taken by " + a.Name,
		Body: "No need to come: taken by " + a.Name + ".", URL: "/staff/requests/" + id, RequestID: id, Urgency: "high",
		TTL: 10 * time.Minute, Topic: notify.Topic("request", id)}.JSON()
	if err != nil {
		return HelpRequest{}, err
	}
	coming := a.Name + " is on the way"
	if !a.OnFloor() {
		coming = a.Name + " from our help team is answering"
	}
	told, err := shopperAlert(id, coming, "Open the app to chat.").JSON()
	if err != nil {
		return HelpRequest{}, err
	}
	var got accepted
	err = d.take(ctx, a, id, &got, id, a.UserID, a.Role, a.StoreID, a.Name, withdrawn, told, d.lease())
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == atCapacity {
		return HelpRequest{}, fault.State("you are already helping as many shoppers as you can; finish one first")
	}
	if err != nil {
		return HelpRequest{}, fmt.Errorf("assist: accept %s: %w", id, err)
	}
	d.changed(id, got.StoreID, true)
	d.send(got.Alerts)
	if got.Busy {
		d.presenceChanged(a)
	}
	d.offerFreed(ctx, append([]string(got.Withdrawn), a.UserID)...)
	return d.HelpRequest(ctx, a, id)
}

// accepted is what acceptSQL returns to the accept that took the request.
type accepted struct {
	ShopperID string         `db:"shopper_id"`
	StoreID   sql.NullString `db:"store_id"`
	Channel   Channel        `db:"channel"`
	Withdrawn pq.StringArray `db:"withdrawn"`
	Busy      bool           `db:"busy"`
	Alerts    notify.Leased  `db:"alerts"` // for the others and the shopper
}

// take runs acceptSQL with args into got in request id's turn (turns.go):
// sql.ErrNoRows never comes back, but why a could not take it.
func (d *Desk) take(ctx context.Context, a Actor, id string, got *accepted, args ...any) error {
	turn, done, err := d.turns.wait(ctx, id)
	if err != nil {
		return err
	}
	defer done()
	if turn.taken != nil {
		// Taken here while this accept waited: assigned, so never nil.
		return whyNot(a, *turn.taken)
	}
	for try := 1; ; try++ {
		err = d.db.GetContext(ctx, got, acceptSQL, args...)
		if err == nil {
			turn.taken = &row{ID: id, ShopperID: got.ShopperID, StoreID: got.StoreID, Channel: got.Channel,
				Status: StatusAssigned}
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		// Lost, refused, or the request changed while the statement ran.
		if err := d.whyNotTaken(ctx, a, id); err != nil {
			return err
		}
		if try == acceptTries {
			return fault.Conflict("already_taken", "this request is changing hands; try again")
		}
	}
}

// whyNotTaken explains a lost or refused accept; nil means the request may
// still be taken by a, and changed while the accept ran.
func (d *Desk) whyNotTaken(ctx context.Context, a Actor, id string) error {
	r, err := d.readRow(ctx, d.db, id, false)
	if err != nil {
		return err
	}
	return whyNot(a, r)
}

// whyNot is why a cannot take request r as it stands, nil if they may.
func whyNot(a Actor, r row) error {
	if !r.visible(a) {
		return fault.NotFound("help request")
	}
	if r.Status != StatusWaiting {
		return fault.Conflict("already_taken", "this request is no longer waiting (%s)", r.Status)
	}
	switch {
	case a.StaffOf(r.StoreID.String), a.Role == people.RoleAgent && r.Channel == ChannelRemote:
		return nil
	case a.Role == people.RoleAgent:
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
	if r.Status != StatusWaiting || r.Wave == waveRemote {
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
	_, err := notify.ToShopper(ctx, tx, r.ShopperID, shopperAlert(r.ID, title, body))
	return err
}

// shopperAlert is a push to a shopper about their request id.
func shopperAlert(id, title, body string) notify.Message {
	return notify.Message{Type: notify.TypeRequestUpdate, Title: title, Body: body,
		URL: "/help/requests/" + id, RequestID: id, TTL: 30 * time.Minute, Topic: notify.Topic("shopper", id)}
}
