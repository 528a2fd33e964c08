package assist

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/fault"
	"helpforce/notify"
	"helpforce/pg"
	"helpforce/stores"
)

// createSQL writes a batch of requests with their first waves (sql/create.sql).
var createSQL = statement("create")

// newRequestRow is one request of a batch as the create statement reads it
// (sql/create.sql); an empty string is NULL.
type newRequestRow struct {
	ID         string          `json:"id"`
	ShopperID  string          `json:"shopper_id"`
	StoreID    string          `json:"store_id,omitempty"`
	Department string          `json:"department,omitempty"`
	Note       string          `json:"note"`
	SKU        string          `json:"sku,omitempty"`
	Nearby     json.RawMessage `json:"nearby"`
	Key        string          `json:"key,omitempty"`
	Reason     string          `json:"reason,omitempty"`
	Remote     bool            `json:"remote"`
	Alert      json.RawMessage `json:"alert"`
	CodeTitle  string          `json:"code_title"`
}

// admission is one request to create and, once written, what creation
// decided besides the request itself.
type admission struct {
	a     Actor
	key   string
	n     NewRequest
	place stores.Placement
	// remote sends a request in a store to the remote team at once (the
	// store is closed); it is written in a transaction with its remote wave.
	remote bool

	r         row
	err       error         // a refusal, errRepeat (r.ID the first request's), or a failure
	offered   bool          // the first wave reached someone
	waveTimer sql.NullInt64 // the deadline of the first wave
	firstDue  time.Time     // the earliest deadline set
	alerts    notify.Leased // of the first wave, to send once committed
	done      bool          // written (or failed), under admissions.mu
}

// admit writes requests and their first waves in one statement through ext:
// the pool, so that the statement is its own transaction, or the
// transaction that goes on to hand a request in no store to the remote
// team. It sets each admission's outcome; it fails only when the statement
// does, and then wrote nothing.
func (d *Desk) admit(ctx context.Context, ext sqlx.ExtContext, batch []*admission) error {
	rows := make([]newRequestRow, 0, len(batch))
	for _, m := range batch {
		r := row{ID: pg.NewID(), ShopperID: m.a.ShopperID, Department: m.n.Department, Note: m.n.Note, Status: StatusWaiting, Channel: ChannelRemote}
		if m.place.Store != nil {
			r.StoreID = sql.NullString{String: m.place.Store.ID, Valid: true}
			r.StoreName = sql.NullString{String: m.place.Store.Name, Valid: true}
			if !m.remote {
				r.Channel, r.Wave = ChannelFloor, waveSkilled
			}
		}
		r.SKU = sql.NullString{String: m.n.SKU, Valid: m.n.SKU != ""}
		if m.place.Nearby == nil {
			m.place.Nearby = []stores.Nearby{}
		}
		r.Nearby, _ = json.Marshal(m.place.Nearby)
		m.r = r
		// The alert is titled with the department's code here; the statement
		// puts its name in, unless that would make the alert too long.
		alert, err := d.offerAlert(&r).JSON()
		if err != nil {
			return err
		}
		codeTitle, _ := json.Marshal(offerTitle(r.Department))
		rows = append(rows, newRequestRow{ID: r.ID, ShopperID: r.ShopperID, StoreID: r.StoreID.String, Department: r.Department,
			Note: r.Note, SKU: r.SKU.String, Nearby: r.Nearby, Key: m.key, Reason: placedBy[m.place.Confidence], Remote: m.remote,
			Alert: json.RawMessage(alert), CodeTitle: `"title":` + string(codeTitle)})
	}
	input, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	deadlines := map[TimerKind]float64{TimerAbandon: d.cfg.AbandonAfter.Seconds(), TimerOverflow: d.cfg.OverflowTimeout.Seconds(),
		TimerWave: d.cfg.OfferTimeout.Seconds()}
	switch d.cfg.Policy {
	case PolicyFloor:
		delete(deadlines, TimerOverflow)
	case PolicyBroadcast:
		// Everyone is offered at once, just after creation (broadcast).
		delete(deadlines, TimerOverflow)
		delete(deadlines, TimerWave)
	}
	due, _ := json.Marshal(deadlines)
	var got []struct {
		Open      int            `db:"open"`
		RepeatOf  sql.NullString `db:"repeat_of"`
		DeptName  sql.NullString `db:"department_name"`
		Closed    bool           `db:"closed"`
		ID        sql.NullString `db:"id"`
		Round     sql.NullInt64  `db:"round"`
		Created   sql.NullTime   `db:"created_at"`
		Offered   sql.NullBool   `db:"offered"`
		WaveTimer sql.NullInt64  `db:"wave_timer"`
		FirstDue  sql.NullTime   `db:"first_due"`
		Position  sql.NullInt64  `db:"position"`
		Estimate  *float64       `db:"estimate_s"`
		Remote    sql.NullBool   `db:"remote_available"`
		Alerts    notify.Leased  `db:"alerts"`
	}
	if err := sqlx.SelectContext(ctx, ext, &got, createSQL, string(input), d.cfg.OpenPerShopper, string(due),
		d.cfg.WaveSize, offerTitle(""), system.Name, system.Role, notify.MaxPayload, d.lease()); err != nil {
		return fmt.Errorf("assist: create: %w", err)
	}
	if len(got) != len(batch) {
		return fmt.Errorf("assist: create: %d outcomes for %d requests", len(got), len(batch))
	}
	for i, m := range batch {
		g := got[i]
		switch {
		case g.ID.Valid:
		case g.RepeatOf.Valid:
			m.r, m.err = row{ID: g.RepeatOf.String}, errRepeat
			continue
		case g.Open >= d.cfg.OpenPerShopper:
			m.err = fault.State("you already have %d open requests; cancel one first", g.Open)
			continue
		case g.Closed:
			m.err = errClosed
			continue
		case m.place.Store != nil && !g.DeptName.Valid:
			m.err = fault.Invalid("department", "%s has no department %q", m.place.Store.Name, m.n.Department)
			continue
		default: // a concurrent repeat with the same key committed first
			m.r, m.err = row{}, errRepeat
			continue
		}
		m.r.Round, m.r.CreatedAt, m.r.DepartmentName = int(g.Round.Int64), g.Created.Time, g.DeptName
		m.r.Position, m.r.EstimateS, m.r.RemoteAvailable = int(g.Position.Int64), g.Estimate, g.Remote.Bool
		m.offered, m.waveTimer, m.firstDue, m.alerts = g.Offered.Bool, g.WaveTimer, g.FirstDue.Time, g.Alerts
	}
	return nil
}

// fromHome hands a request in no store to the remote team, in the
// transaction that wrote it, and reminds the team while it waits.
func (d *Desk) fromHome(ctx context.Context, tx *sqlx.Tx, r *row, reason string) error {
	if err := record(ctx, tx, r.ID, EvOverflowed, system, "", string(ChannelRemote), reason); err != nil {
		return err
	}
	if _, err := d.offerWave(ctx, tx, r, waveRemote, 0); err != nil {
		return err
	}
	return d.schedule(ctx, tx, r, TimerRemind, d.cfg.OfferTimeout)
}

// errClosed says the request's store is closed: it is written with the
// remote team's wave instead (see Create).
var errClosed = errors.New("assist: the store is closed")

// errRepeat says the request repeats an earlier one with the same
// idempotency key.
var errRepeat = errors.New("assist: a repeat of an earlier request")

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

// schedule writes a deadline of kind for the request's current round,
// delay from now.
func (d *Desk) schedule(ctx context.Context, tx *sqlx.Tx, r *row, kind TimerKind, delay time.Duration) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO timers (request_id, kind, generation, due_at)
		VALUES ($1, $2, $3, now() + $4 * interval '1 second')`, r.ID, kind, r.Round, delay.Seconds())
	if err != nil {
		return fmt.Errorf("assist: schedule %s for %s: %w", kind, r.ID, err)
	}
	return nil
}

// scheduleFloor sets the floor's deadline for a request (back) on the floor:
// its overflow to the remote team, unless the policy keeps it on the floor.
func (d *Desk) scheduleFloor(ctx context.Context, tx *sqlx.Tx, r *row) error {
	if d.cfg.Policy == PolicyFloor {
		return nil
	}
	return d.schedule(ctx, tx, r, TimerOverflow, d.cfg.OverflowTimeout)
}
