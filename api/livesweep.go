package api

import (
	"context"
	"time"
)

// A notification can be lost: a replica that stops between a commit and
// the notification it sends after it, or a listener that missed some
// before it noticed it was cut off. Heartbeats no longer read, so the hub
// looks again now and then: one statement fingerprints every watched
// request, and only those that changed since the last look are read; each
// store's places and each queue are read once. For ten thousand streams
// that is a few statements a minute.

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
		ids := make([]string, 0, len(l.feeds))
		for id := range l.feeds {
			ids = append(ids, id)
		}
		for store := range l.stores {
			l.queue.push("s:" + store)
		}
		for key := range l.queues {
			l.queue.push("q:" + key)
		}
		l.mu.Unlock()
		if len(ids) == 0 {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
		now, err := l.desk.Fingerprints(ctx, ids)
		cancel()
		if err != nil {
			l.log.Warn("event streams: look for changes", "err", err)
			continue
		}
		for _, id := range ids {
			if before, seen := prints[id]; seen && before != now[id] {
				l.queue.push("r:" + id)
			}
		}
		prints = now
	}
}
