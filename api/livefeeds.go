package api

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"time"

	"helpforce/assist"
)

// watcher is one stream's share of a feed: a signal that something new is
// there. It holds at most one signal, so a slow stream is woken once for a
// burst and takes what is new when it gets to it; the hub never waits.
type watcher struct{ wake chan struct{} }

func (w *watcher) signal() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// watchers are the streams following one feed, under the feed's mutex.
type watchers map[*watcher]struct{}

// join adds a stream's watcher; the caller holds the feed's mutex.
func (ws watchers) join() *watcher {
	w := &watcher{wake: make(chan struct{}, 1)}
	ws[w] = struct{}{}
	return w
}

// leave removes w under mu and reports whether no stream is left.
func (ws watchers) leave(mu *sync.Mutex, w *watcher) (empty bool) {
	mu.Lock()
	defer mu.Unlock()
	delete(ws, w)
	return len(ws) == 0
}

// requestFeed is what this replica knows of one watched request, from the
// shared reads. Streams keep only cursors into it.
type requestFeed struct {
	id     string
	store  string    // the queue it waits in, "" when it does not (under liveHub.mu)
	opened time.Time // before its first read: the sweep re-reads it if it changed since

	mu              sync.Mutex
	watchers        watchers
	started, missed bool  // a stream gave its first read; a change came before
	latest, base    int64 // the newest message known; msgs holds every one after base
	msgs            []assist.Message
	snap            *assist.Snapshot
	gone            bool // the request is no more
	snapTicket      uint64
	place           assist.Place
	placeTicket     uint64
}

// feedMessages is how many recent messages a feed keeps for its streams; a
// stream further behind reads on by itself.
const feedMessages = 200

// apply takes in a read; it reports whether a full page left more to read.
func (f *requestFeed) apply(snap assist.Snapshot, gone bool, ticket uint64) bool {
	defer f.wakeAll()
	if gone {
		f.gone = true
		return false
	}
	msgs, more := snap.Messages()
	for _, m := range msgs {
		if m.ID > f.latest {
			f.msgs = append(f.msgs, m)
			f.latest = m.ID
		}
	}
	if n := len(f.msgs) - feedMessages; n > 0 {
		f.base = f.msgs[n-1].ID
		f.msgs = append([]assist.Message(nil), f.msgs[n:]...)
	}
	if ticket > f.snapTicket {
		snap = snap.WithoutMessages() // the feed keeps them once, in msgs
		f.snap, f.snapTicket = &snap, ticket
	}
	f.setPlace(snap.Place(), ticket)
	return more
}

// setPlace takes in where the request stands, unless a later read said.
func (f *requestFeed) setPlace(p assist.Place, ticket uint64) {
	if ticket <= f.placeTicket {
		return
	}
	f.placeTicket = ticket
	if !p.Same(f.place) {
		f.place = p
		f.wakeAll()
	}
}

func (f *requestFeed) wakeAll() {
	for w := range f.watchers {
		w.signal()
	}
}

// feedState is what a stream takes from a feed: the latest snapshot, the
// messages after its cursor (behind: some are no longer kept), the place.
type feedState struct {
	snap   *assist.Snapshot
	ticket uint64 // when snap's read started
	msgs   []assist.Message
	behind bool
	place  assist.Place
	placed bool // a read has placed the request
	gone   bool
}

func (f *requestFeed) take(cursor int64) feedState {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := feedState{snap: f.snap, ticket: f.snapTicket, place: f.place, placed: f.placeTicket > 0, gone: f.gone}
	if cursor < f.base {
		st.behind = true
		return st
	}
	for _, m := range f.msgs {
		if m.ID > cursor {
			st.msgs = append(st.msgs, m)
		}
	}
	return st
}

// queueFeed is one queue as its followers see it: a store's (every member
// of its floor staff sees the same) or the remote team's.
type queueFeed struct {
	actor assist.Actor // one of its followers, to read it as

	mu       sync.Mutex
	watchers watchers
	data     []byte
	version  uint64
}

// queueRemote is the key of the remote team's queue.
const queueRemote = "remote"

// queueKey names the queue actor follows; actors with the same key see the
// same list (see assist.Desk.Queue).
func queueKey(a assist.Actor) string {
	switch {
	case a.OnFloor():
		return "store:" + storeKey(a.StoreID)
	case a.Central():
		return queueRemote
	}
	return "none"
}

// queueDelay gathers a burst of changes into one read of a queue.
const queueDelay = 50 * time.Millisecond

// watchQueue joins the followers of a's queue; the first one has it read.
func (l *liveHub) watchQueue(a assist.Actor) (*queueFeed, *watcher, func()) {
	key := queueKey(a)
	l.mu.Lock()
	f := l.queues[key]
	if f == nil {
		f = &queueFeed{actor: a, watchers: map[*watcher]struct{}{}}
		l.queues[key] = f
		l.queue.push("q:" + key)
		l.startSweep()
	}
	f.mu.Lock()
	w := f.watchers.join()
	if f.version > 0 {
		w.signal()
	}
	f.mu.Unlock()
	l.mu.Unlock()
	return f, w, func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if f.watchers.leave(&f.mu, w) && l.queues[key] == f {
			delete(l.queues, key)
		}
	}
}

// later queues key after queueDelay, once however often it is asked for.
func (l *liveHub) later(key string) {
	if l.delayed[key] {
		return
	}
	l.delayed[key] = true
	time.AfterFunc(queueDelay, func() {
		l.mu.Lock()
		delete(l.delayed, key)
		l.mu.Unlock()
		l.queue.push(key)
	})
}

func (l *liveHub) readQueue(ctx context.Context, key string) {
	l.mu.Lock()
	f := l.queues[key]
	l.mu.Unlock()
	if f == nil {
		return
	}
	l.reads.queue.Add(1)
	list, err := l.desk.Queue(ctx, f.actor)
	if err != nil {
		l.log.Warn("event streams: read queue", "queue", key, "err", err)
		return
	}
	data, _ := json.Marshal(list)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.version == 0 || !bytes.Equal(data, f.data) {
		f.data = data
		f.version++
		for w := range f.watchers {
			w.signal()
		}
	}
}

// latest is the queue as last read, and its version (0: not read yet).
func (f *queueFeed) latest() ([]byte, uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.data, f.version
}
