package assist

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"helpforce/notify"
	"helpforce/pg"
)

// Free again: nobody waits while someone is free. Whenever a person may have
// become free (they set themselves available, finished or handed on a
// request, lost a race to accept, passed, or had an offer withdrawn), they
// are offered the oldest waiting request they may take, through the same
// offers, alerts and log as the waves. A person holds at most one open
// offer this way. Someone who took another request over one they were
// offered is, once free, alerted of that one again if it still waits.

// freeToOffer locks a person who is free for an offer: active, available,
// below capacity and holding no open offer. The lock keeps two replicas
// from offering the same person two requests at once; the next statement
// of the transaction reads the offers again after it.
const freeToOffer = `SELECT u.name, ` + pg.AfterCommit + ` AS quiet FROM users u
	WHERE u.id = $1 AND u.active AND u.status = 'available' AND u.load < u.capacity
	  AND u.role IN ('floor', 'manager', 'agent')
	FOR NO KEY UPDATE`

// offerOldest offers a person the transaction holds the oldest waiting
// request they may take (sql/free.sql).
var offerOldest = statement("offer-oldest")

// freeWithWork picks, of the people a change may have freed, those with
// something to be offered or reminded of (sql/free.sql).
var freeWithWork = statement("free-with-work")

// remindOffer marks an offer as reminded (sql/free.sql).
var remindOffer = statement("remind-offer")

// alertFor is the alert offering r to someone free again.
func (d *Desk) alertFor(r *row) notify.Message {
	if r.Channel == ChannelRemote && r.StoreID.Valid && r.StoreID.String != "" {
		// Floor staff see a parked request as their store's, not as remote help.
		return d.floorAlert(r)
	}
	return d.offerAlert(r)
}

// offerFreed offers each person, if free, the oldest request they may take,
// or reminds them of one they let pass (remindOne).
// It runs after the transaction that freed them has committed; should it
// fail, or the replica stop first, the sweep catches up.
func (d *Desk) offerFreed(ctx context.Context, userIDs ...string) {
	if len(userIDs) == 0 {
		return
	}
	var free []freePerson
	if err := d.db.SelectContext(ctx, &free, freeWithWork, pq.Array(userIDs)); err != nil {
		if ctx.Err() == nil {
			d.log.Warn("people free again", "users", userIDs, "err", err)
		}
		return
	}
	d.offerEach(ctx, free)
}

// freePerson is someone free with something to be offered, or to be
// reminded of (Remind: the request).
type freePerson struct {
	ID     string         `db:"id"`
	Remind sql.NullString `db:"remind"`
}

// remindOne alerts person userID again of waiting request id, offered to
// them before they took another one (sql/free.sql, remind-offer): once per offer.
func (d *Desk) remindOne(ctx context.Context, userID, id string) error {
	reminded := false
	err := pg.InTx(ctx, d.db, func(tx *sqlx.Tx) error {
		var person []struct {
			Name  string `db:"name"`
			Quiet string `db:"quiet"`
		}
		if err := tx.SelectContext(ctx, &person, remindOffer, userID, id); err != nil || len(person) == 0 {
			return err
		}
		name := person[0].Name
		r, err := d.readRow(ctx, tx, id, false)
		if err != nil {
			return err
		}
		alert := d.alertFor(&r)
		alert.Title = "Still waiting: " + alert.Title
		if _, err := notify.ToUsers(ctx, tx, []string{userID}, alert); err != nil {
			return err
		}
		reminded = true
		return record(ctx, tx, id, EvReminded, system, "", name, "reminded when "+name+" became free")
	})
	if reminded {
		d.queued()
	}
	return err
}

// offerEach reminds each person, if still free, of the request they are to
// be reminded of, or else offers them the oldest request they may take.
func (d *Desk) offerEach(ctx context.Context, free []freePerson) {
	for _, p := range free {
		if p.Remind.Valid {
			if err := d.remindOne(ctx, p.ID, p.Remind.String); err != nil && ctx.Err() == nil {
				d.log.Warn("remind a person free again", "user", p.ID, "request", p.Remind.String, "err", err)
			}
		} else if _, err := d.offerOne(ctx, p.ID); err != nil && ctx.Err() == nil {
			d.log.Warn("offer to a person free again", "user", p.ID, "err", err)
		}
	}
}

// offerOne offers person userID the oldest request they may take, if they
// are free; it reports whether it did.
func (d *Desk) offerOne(ctx context.Context, userID string) (bool, error) {
	offered := false
	var r row
	err := pg.InTx(ctx, d.db, func(tx *sqlx.Tx) error {
		var free struct {
			Name  string `db:"name"`
			Quiet string `db:"quiet"` // the notifying triggers stay quiet: announced once committed
		}
		err := tx.GetContext(ctx, &free, freeToOffer, userID)
		name := free.Name
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("assist: free again %s: %w", userID, err)
		}
		err = tx.GetContext(ctx, &r, offerOldest, userID, name, system.Name, system.Role)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("assist: offer %s the oldest request: %w", userID, err)
		}
		_, err = notify.ToUsers(ctx, tx, []string{userID}, d.alertFor(&r))
		offered = err == nil
		return err
	})
	if offered {
		d.changed(r.ID, r.StoreID, true)
		d.queued()
	}
	return offered, err
}

// freePeople lists everyone free for an offer: the sweep's candidates
// (sql/free.sql).
var freePeople = statement("free-people")

// sweepAtMost bounds the people one sweep offers or reminds.
const sweepAtMost = 200

// sweep offers waiting requests to every free person who has none, and
// reminds those who have one to be reminded of: the safety net behind
// offerFreed, for a replica that stopped between a commit and its offers.
func (d *Desk) sweep(ctx context.Context) error {
	var ids []string
	if err := d.db.SelectContext(ctx, &ids, freePeople); err != nil {
		return fmt.Errorf("assist: free people: %w", err)
	}
	if len(ids) == 0 {
		return nil
	}
	var free []freePerson
	if err := d.db.SelectContext(ctx, &free, freeWithWork, pq.Array(ids)); err != nil {
		return fmt.Errorf("assist: free people with work: %w", err)
	}
	d.offerEach(ctx, free[:min(len(free), sweepAtMost)])
	return nil
}

// runSweep sweeps every SweepEvery until ctx ends.
func (d *Desk) runSweep(ctx context.Context) {
	t := time.NewTicker(d.cfg.SweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := d.sweep(ctx); err != nil && ctx.Err() == nil {
				d.log.Warn("sweep for free people", "err", err)
			}
		}
	}
}

// FreeAgain offers a person who may have just become free (they set
// themselves available, say) the oldest request they may take. When an
// agent comes on duty, the shoppers waiting for the remote team are told at
// once that somebody is there.
func (d *Desk) FreeAgain(ctx context.Context, userID string) error {
	if _, err := d.db.ExecContext(ctx, `UPDATE help_requests SET updated_at = now()
		WHERE status = 'waiting' AND channel = 'remote'
		  AND EXISTS (SELECT 1 FROM users WHERE id = $1 AND role = 'agent' AND status = 'available')`, userID); err != nil {
		return fmt.Errorf("assist: tell the remote queue: %w", err)
	}
	_, err := d.offerOne(ctx, userID)
	return err
}

// remind calls the remote team again about a request still waiting there:
// agents who hold its offer and are helping nobody are alerted again (those
// in conversations see the queue), agents free since it overflowed are
// offered it, and the next reminder is set, up to RemindLimit in all.
func (d *Desk) remind(ctx context.Context, tx *sqlx.Tx, r *row) error {
	var holders []string
	if err := tx.SelectContext(ctx, &holders, `SELECT o.user_id FROM offers o JOIN users u ON u.id = o.user_id
		WHERE o.request_id = $1 AND o.answer IS NULL AND u.role = 'agent' AND u.active AND u.status = 'available'
		  AND u.load = 0`, r.ID); err != nil {
		return fmt.Errorf("assist: remind of %s: %w", r.ID, err)
	}
	alert := d.offerAlert(r)
	alert.Title = "Still waiting: " + alert.Title
	if _, err := notify.ToUsers(ctx, tx, holders, alert); err != nil {
		return err
	}
	n, err := d.offerWave(ctx, tx, r, waveRemote, 0)
	if err != nil {
		return err
	}
	if len(holders)+n > 0 {
		if err := record(ctx, tx, r.ID, EvReminded, system, "", fmt.Sprintf("%d agents", len(holders)+n), "still waiting"); err != nil {
			return err
		}
	}
	var sent int
	if err := tx.GetContext(ctx, &sent, `SELECT count(*) FROM timers WHERE request_id = $1 AND kind = 'remind' AND generation = $2`,
		r.ID, r.Round); err != nil {
		return err
	}
	if sent >= d.cfg.RemindLimit {
		return nil
	}
	return d.schedule(ctx, tx, r, TimerRemind, d.cfg.OfferTimeout)
}
