package api

import (
	"context"
	"time"
)

// A notification can be lost: a replica that stops between a commit and
// the notification it sends after it, or a listener that missed some
// before it noticed it was cut off. Heartbeats no longer read, so the hub
// looks again now and then: one statement fingerprints every watched
// request, and only those that changed since the last look are read (or,
// watched since, changed after they were first watched); each store's
// places and each queue are read once. For ten thousand streams that is a
// few statements a minute.

// defaultRecheck is how often the hub looks for changes no notification
// announced.
const defaultRecheck = time.Minute

// startSweep starts the looks while something is watched; called with l.mu held.
func (l *liveHub) startSweep() {
	if l.sweeping {
		return
	}
	l.sweeping = true
	go l.sweep()
}

func (l *liveHub) sweep() {
	prints := map[string]string{}
	for {
		time.Sleep(l.recheck)
		l.mu.Lock()
		if len(l.feeds) == 0 && len(l.queues) == 0 {
			l.sweeping = false
			l.mu.Unlock()
			return
		}
		watched := make(map[string]time.Time, len(l.feeds))
		for id, f := range l.feeds {
			// Changes since the feed opened, by this replica's clock against
			// the database's updated_at; a change that only just precedes the
			// opening is in the first read.
			watched[id] = f.opened
		}
		for store := range l.stores {
			l.queue.push("s:" + store)
		}
		for key := range l.queues {
			l.queue.push("q:" + key)
		}
		l.mu.Unlock()
		if len(watched) == 0 {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
		now, err := l.desk.Fingerprints(ctx, watched)
		cancel()
		if err != nil {
			l.log.Warn("event streams: look for changes", "err", err)
			continue
		}
		next := make(map[string]string, len(now))
		for id, p := range now {
			before, seen := prints[id]
			if (seen && before != p.Sum) || (!seen && p.Since) {
				l.queue.push("r:" + id)
			}
			next[id] = p.Sum
		}
		prints = next
	}
}
