package pg

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// AfterCommit, selected in a transaction, tells the notifying triggers to
// stay quiet in it: the transaction's author sends the notifications with a
// Notifier once it has committed. PostgreSQL lets one notifying transaction
// commit at a time, disk flush included, so busy write paths notify this way.
const AfterCommit = `set_config('helpforce.notify', 'after_commit', true)`

// Notifier sends notifications after the transactions that cause them have
// committed: the pending ones go in one statement whose commit does not wait
// for the disk, so a burst of transactions pays for the notification lock
// once. Should a replica stop between a commit and its notification, the
// listeners' safety nets (periodic wake-ups and re-reads) catch up.
type Notifier struct {
	db      *sqlx.DB
	log     *slog.Logger
	mu      sync.Mutex
	pending map[note]struct{}
	due     map[Channel]time.Time // per channel, the earliest due time announced
	sending bool
}

type note struct {
	channel Channel
	payload string
}

// NewNotifier sends notifications through db.
func NewNotifier(db *sqlx.DB, log *slog.Logger) *Notifier {
	return &Notifier{db: db, log: log, pending: map[note]struct{}{}, due: map[Channel]time.Time{}}
}

// Notify queues a notification; identical ones pending together are sent once.
func (n *Notifier) Notify(channel Channel, payload string) {
	n.mu.Lock()
	n.pending[note{channel, payload}] = struct{}{}
	n.start()
}

// NotifyDue queues a notification that work on channel falls due at t
// (payload: DuePayload, as DueWorker reads it); of those pending together,
// only the earliest is sent.
func (n *Notifier) NotifyDue(channel Channel, t time.Time) {
	n.mu.Lock()
	if old, ok := n.due[channel]; !ok || t.Before(old) {
		n.due[channel] = t
	}
	n.start()
}

// start sends what is pending unless a send is under way, which will send
// it next; it is called with n.mu held and releases it.
func (n *Notifier) start() {
	if n.sending {
		n.mu.Unlock()
		return
	}
	n.sending = true
	n.mu.Unlock()
	go n.drain()
}

func (n *Notifier) drain() {
	for {
		n.mu.Lock()
		if len(n.pending) == 0 && len(n.due) == 0 {
			n.sending = false
			n.mu.Unlock()
			return
		}
		var channels, payloads []string
		for k := range n.pending {
			channels, payloads = append(channels, string(k.channel)), append(payloads, k.payload)
		}
		for ch, t := range n.due {
			channels, payloads = append(channels, string(ch)), append(payloads, DuePayload(t))
		}
		clear(n.pending)
		clear(n.due)
		n.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := n.db.ExecContext(ctx, `SELECT count(pg_notify(c, p))
			FROM (SELECT set_config('synchronous_commit', 'off', true)) quick, unnest($1::text[], $2::text[]) AS n(c, p)`,
			pq.Array(channels), pq.Array(payloads))
		cancel()
		if err != nil {
			n.log.Warn("notifications not sent; listeners will catch up", "count", len(channels), "err", err)
		}
	}
}
