package assist

import (
	"database/sql"
	"time"
)

// Statements that keep the notifying triggers quiet (pg.AfterCommit, or
// set_config in a statement of sql/) announce their changes once committed,
// through the Notifier: PostgreSQL commits notifying transactions one at a
// time, so busy paths leave their notifications to one batched statement.

// announce tells, once a creation has committed, what its triggers held
// back: the request changed (live screens), alerts are queued (push
// workers) and deadlines are set (timer workers).
func (d *Desk) announce(r row, firstDue time.Time) {
	d.changed(r.ID, r.StoreID, true)
	d.notes.NotifyDue("helpforce_timers", firstDue)
}

// changed tells that request id of store changed (its payload is what
// notify_request_changed sends: "q" when the store's queue may have moved)
// and that alerts may be queued.
func (d *Desk) changed(id string, store sql.NullString, queueMoved bool) {
	s := "-"
	if store.Valid {
		s = store.String
	}
	if queueMoved {
		s += " q"
	}
	d.notes.Notify("helpforce_requests", id+" "+s)
	d.notes.Notify("helpforce_push", "")
}

// presenceChanged tells that a person of a's store (or of the remote team)
// changed presence, as notify_presence_changed does.
func (d *Desk) presenceChanged(a Actor) {
	s := "-"
	if a.StoreID != "" && a.OnFloor() {
		s = a.StoreID
	}
	d.notes.Notify("helpforce_presence", s)
}
