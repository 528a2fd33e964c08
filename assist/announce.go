package assist

import (
	"database/sql"
	"time"

	"helpforce/notify"
	"helpforce/pg"
)

// Statements that keep the notifying triggers quiet (pg.AfterCommit, or
// set_config in a statement of sql/) announce their changes once committed,
// through the Notifier: PostgreSQL commits notifying transactions one at a
// time, so busy paths leave their notifications to one batched statement.

// announce tells, once a creation has committed, what its triggers held
// back: the request changed (live screens) and deadlines are set (timer
// workers).
func (d *Desk) announce(r row, firstDue time.Time) {
	d.changed(r.ID, r.StoreID, true)
	d.notes.NotifyDue(pg.ChanTimers, firstDue)
}

// changed tells that request id of store changed (its payload is what
// notify_request_changed sends: "q" when the store's queue may have moved).
func (d *Desk) changed(id string, store sql.NullString, queueMoved bool) {
	d.notes.Notify(pg.ChanRequests, pg.RequestChange{RequestID: id, StoreID: store.String, QueueMoved: queueMoved}.Payload())
}

// queued tells, once committed, that alerts were queued in the outbox for
// any replica's push workers to claim.
func (d *Desk) queued() { d.notes.Notify(pg.ChanPush, "") }

// Sender sends the alerts a statement leased at birth: this replica's push
// workers (notify.Push).
type Sender interface {
	Hand(notify.Leased)
	Lease() time.Duration
}

// SendWith has the statements that queue the alerts of a request's busiest
// moments (its creation, the accept, messages, its resolution) lease them
// to s, which sends them once committed (notify.Leased). Without it, they
// are queued for any replica's push workers to claim.
func (d *Desk) SendWith(s Sender) { d.sender = s }

// lease is the seconds the statements lease their alerts for: 0, due at once
// for any replica, without a Sender.
func (d *Desk) lease() float64 {
	if d.sender == nil {
		return 0
	}
	return d.sender.Lease().Seconds()
}

// send sends the alerts a statement leased, once it has committed.
func (d *Desk) send(l notify.Leased) {
	switch {
	case len(l) == 0:
	case d.sender != nil:
		d.sender.Hand(l)
	default:
		d.queued()
	}
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
