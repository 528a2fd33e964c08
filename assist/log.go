package assist

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/fault"
	"helpforce/people"
)

// Event kinds of the hand-off log.
const (
	EvCreated      = "created"
	EvOffered      = "offered"
	EvPassed       = "passed"
	EvIgnored      = "ignored"
	EvWithdrawn    = "withdrawn"
	EvAccepted     = "accepted"
	EvOverflowed   = "overflowed"
	EvHandedBack   = "handed_back"
	EvEscalated    = "escalated"
	EvAcknowledged = "acknowledged"
	EvWidened      = "escalation_widened"
	EvResolved     = "resolved"
	EvCancelled    = "cancelled"
	EvAbandoned    = "abandoned"
	EvStoreChanged = "store_changed"
	EvSetOnBreak   = "set_on_break"
	EvReminded     = "reminded"
	EvFloorTook    = "taken_by_floor"
)

// Entry is one line of the hand-off log.
type Entry struct {
	At     time.Time `json:"at" db:"at"`
	Kind   string    `json:"kind" db:"kind"`
	Actor  string    `json:"actor" db:"actor"`
	From   string    `json:"from" db:"from_state"`
	To     string    `json:"to" db:"to_state"`
	Reason string    `json:"reason" db:"reason"`
}

// system is the actor of what timers do.
var system = Actor{Name: "Helpforce", Role: "system"}

// record appends to the hand-off log, in the caller's transaction.
func record(ctx context.Context, tx sqlx.ExecerContext, requestID, kind string, a Actor, from, to, reason string) error {
	var actorID any
	if a.UserID != "" {
		actorID = a.UserID
	}
	name, role := a.Name, a.Role
	if a.IsShopper() {
		name, role = "Shopper", people.RoleShopper
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO request_events (request_id, kind, actor_id, actor_name, actor_role, from_state, to_state, reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, requestID, kind, actorID, name, role, from, to, reason)
	if err != nil {
		return fmt.Errorf("assist: log %s: %w", kind, err)
	}
	return nil
}

// Log returns a request's hand-off log, for staff who may see the request.
func (d *Desk) Log(ctx context.Context, a Actor, id string) ([]Entry, error) {
	r, err := d.readRow(ctx, d.db, id, false)
	if err != nil {
		return nil, err
	}
	if a.IsShopper() || !r.visible(a) {
		return nil, fault.NotFound("help request")
	}
	out := []Entry{}
	err = d.db.SelectContext(ctx, &out, `SELECT at, kind,
		CASE WHEN actor_role = '' THEN actor_name ELSE actor_name || ' (' || actor_role || ')' END AS actor,
		from_state, to_state, reason FROM request_events WHERE request_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("assist: log of %s: %w", id, err)
	}
	return out, nil
}
