package assist

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/pg"
)

// timer is a due deadline.
type timer struct {
	ID         int64     `db:"id"`
	RequestID  string    `db:"request_id"`
	Kind       TimerKind `db:"kind"`
	Generation int       `db:"generation"`
	Quiet      string    `db:"quiet"` // the notifying triggers stay quiet: claim announces once committed
}

// Run fires due timers until ctx ends. Any replica may fire any timer:
// each is claimed with SKIP LOCKED and fired in the transaction that marks
// it, so it fires once; handlers check the request's state, so a timer that
// is no longer relevant does nothing.
func (d *Desk) Run(ctx context.Context, hub *pg.Hub) error {
	w := &pg.DueWorker{Name: "timer", Channel: pg.ChanTimers, Do: d.fireOne, Next: d.nextTimer, Log: d.log}
	if err := w.Start(ctx, hub); err != nil {
		return err
	}
	go d.runSweep(ctx)
	return nil
}

// nextTimer is how long until the earliest pending timer falls due.
func (d *Desk) nextTimer(ctx context.Context) (time.Duration, bool, error) {
	return pg.Until(ctx, d.db, `SELECT min(due_at) FROM timers WHERE fired_at IS NULL`)
}

// retireTimers marks fired the due timers that would do nothing
// (sql/timers.sql), retireBatch at a time.
var retireTimers = statement("retire-timers")

const retireBatch = 500

// fireOne retires due timers that would do nothing, or else fires the
// earliest due timer, if any; it reports whether it did either.
func (d *Desk) fireOne(ctx context.Context) (bool, error) {
	res, err := d.db.ExecContext(ctx, retireTimers, retireBatch)
	if err != nil {
		return false, fmt.Errorf("assist: retire timers: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return true, nil
	}
	return d.claim(ctx, `SELECT id, request_id, kind, generation, `+pg.AfterCommit+` AS quiet FROM timers
		WHERE fired_at IS NULL AND due_at <= now() ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED`)
}

// fireNow fires timer id at once, unless it has fired; should a worker hold
// it, it waits for the worker to finish.
func (d *Desk) fireNow(ctx context.Context, id int64) error {
	_, err := d.claim(ctx, `SELECT id, request_id, kind, generation, `+pg.AfterCommit+` AS quiet FROM timers
		WHERE id = $1 AND fired_at IS NULL FOR UPDATE`, id)
	return err
}

// claim locks the timer the query selects, marks it fired and fires it, in
// one transaction; it reports whether there was one. The transaction keeps
// the notifying triggers quiet, so that it commits without waiting for
// other notifying commits: once committed, claim announces the request's
// change, its alerts, its next deadline and any presence it changed.
func (d *Desk) claim(ctx context.Context, query string, args ...any) (bool, error) {
	fired, acted, benched := false, false, false
	var freed []string
	var r row
	err := pg.InTx(ctx, d.db, func(tx *sqlx.Tx) error {
		var t timer
		err := tx.GetContext(ctx, &t, query, args...)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("assist: claim timer: %w", err)
		}
		fired = true
		if _, err := tx.ExecContext(ctx, `UPDATE timers SET fired_at = now() WHERE id = $1`, t.ID); err != nil {
			return err
		}
		if r, err = d.readRow(ctx, tx, t.RequestID, true); err != nil {
			return err
		}
		if t.Generation != r.Round && t.Kind != TimerAbandon {
			return nil // from an earlier round, before a hand-off
		}
		acted = true
		freed, benched, err = d.fire(ctx, tx, t, &r)
		return err
	})
	if err == nil && acted {
		d.changed(r.ID, r.StoreID, true)
		d.queued()
		d.announceDue(ctx, r.ID)
		if benched { // floor staff of the store, or agents, went on a break
			if r.StoreID.Valid {
				d.notes.Notify(pg.ChanPresence, r.StoreID.String)
			}
			d.notes.Notify(pg.ChanPresence, pg.NoStore)
		}
		d.offerFreed(ctx, freed...)
	}
	return fired, err
}

// announceDue tells the timer workers when request id's next deadline
// falls due, once a transaction that kept the triggers quiet has set it.
func (d *Desk) announceDue(ctx context.Context, id string) {
	var due sql.NullTime
	if err := d.db.GetContext(ctx, &due, `SELECT min(due_at) FROM timers WHERE request_id = $1 AND fired_at IS NULL`, id); err != nil {
		if ctx.Err() == nil {
			d.log.Warn("announce a deadline", "request", id, "err", err)
		}
		return
	}
	if due.Valid {
		d.notes.NotifyDue(pg.ChanTimers, due.Time)
	}
}

// fire acts on a due timer in the transaction that claimed it. It returns
// the people the change may have freed, to be offered another request once
// it has committed, and whether it set anyone on a break.
func (d *Desk) fire(ctx context.Context, tx *sqlx.Tx, t timer, r *row) ([]string, bool, error) {
	switch t.Kind {
	case TimerWave:
		// The wave widens: those already offered keep their offer, since a
		// person answering in human time has done nothing wrong.
		if r.Status != StatusWaiting || r.Channel != ChannelFloor || r.Wave != waveSkilled {
			return nil, false, nil
		}
		return nil, false, d.dispatchFloor(ctx, tx, r, waveStore)
	case TimerOverflow:
		if r.Status != StatusWaiting {
			return nil, false, nil
		}
		// The floor's offers made at creation expire now, with their
		// alerts, even when the request already waits with the remote team.
		benched, err := d.countIgnored(ctx, tx, r, d.cfg.OverflowTimeout)
		if err != nil || r.Channel != ChannelFloor {
			return nil, benched, err
		}
		return nil, benched, d.toRemote(ctx, tx, r, system, "nobody on the floor took it in time")
	case TimerRemind:
		if r.Status != StatusWaiting || r.Channel != ChannelRemote {
			return nil, false, nil
		}
		return nil, false, d.remind(ctx, tx, r)
	case TimerAbandon:
		if r.Status != StatusWaiting {
			return nil, false, nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE help_requests SET status = 'abandoned', closed_at = now(), updated_at = now()
			WHERE id = $1`, r.ID); err != nil {
			return nil, false, err
		}
		benched, err := d.countIgnored(ctx, tx, r, 0)
		if err != nil {
			return nil, false, err
		}
		freed, err := d.withdraw(ctx, tx, r, "withdrawn", "No longer waiting", "")
		if err != nil {
			return nil, false, err
		}
		if err := record(ctx, tx, r.ID, EvAbandoned, system, string(StatusWaiting), string(StatusAbandoned), "nobody took it in time"); err != nil {
			return nil, false, err
		}
		return freed, benched, d.tellShopper(ctx, tx, r, "Sorry, nobody could answer in time", "Ask again, or ask at the nearest desk.")
	case TimerEscalation:
		if r.Status != StatusAssigned || !r.EscalatedTo.Valid || r.EscalationAcked {
			return nil, false, nil
		}
		return nil, false, d.widenEscalation(ctx, tx, r)
	}
	return nil, false, fmt.Errorf("assist: unknown timer kind %q", t.Kind)
}
