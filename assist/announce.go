package assist

import (
	"database/sql"
	"time"

	"helpforce/pg"
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
	d.notes.NotifyDue(pg.ChanTimers, firstDue)
}

// changed tells that request id of store changed (its payload is what
// notify_request_changed sends: "q" when the store's queue may have moved)
// and that alerts may be queued.
func (d *Desk) changed(id string, store sql.NullString, queueMoved bool) {
	d.notes.Notify(pg.ChanRequests, pg.RequestChange{RequestID: id, StoreID: store.String, QueueMoved: queueMoved}.Payload())
	d.notes.Notify(pg.ChanPush, "")
}

// presenceChanged tells that a person of a's store (or of the remote team)
// changed presence, as notify_presence_changed does.
func (d *Desk) presenceChanged(a Actor) {
	s := pg.NoStore
	if a.StoreID != "" && a.OnFloor() {
		s = a.StoreID
	}
	d.notes.Notify(pg.ChanPresence, s)
}
