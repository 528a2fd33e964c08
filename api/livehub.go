package api

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"helpforce/assist"
	"helpforce/fault"
	"helpforce/notify"
	"helpforce/pg"
)

// liveHub shares the reads of this replica's event streams. A change to a
// request is read once, whatever the number of streams watching it; a
// change in a store's queue reads the place of every waiting request of the
// store once; a queue is read once for all the staff who follow it. Streams
// then take from the shared result only what they have not sent yet.
// Heartbeats read nothing.
type liveHub struct {
	desk  *assist.Desk
	log   *slog.Logger
	queue *readQueue
	// ticket orders reads by when they started: a place read before a
	// request's own read must not overwrite what that read found.
	ticket atomic.Uint64
	// reads counts the shared reads made, by kind, for the metrics.
	reads struct{ request, places, queue atomic.Int64 }

	mu     sync.Mutex
	feeds  map[string]*requestFeed            // by request id
	stores map[string]map[*requestFeed]string // by store ("-" for none)
	queues map[string]*queueFeed              // by queueKey
	// delayed are the reads waiting for a burst of changes to end.
	delayed map[string]bool
	// recheck is how often the hub looks for changes that no notification
	// announced (see livesweep.go); sweeping, whether it does now.
	recheck  time.Duration
	sweeping bool
}

// sharedReaders is how many shared reads run at once: enough to keep up
// with changes, few enough that a reconnect's burst leaves the pool free.
const sharedReaders = 4

// readTimeout bounds one shared read.
const readTimeout = 10 * time.Second

func newLiveHub(desk *assist.Desk, live *notify.Live, log *slog.Logger, recheck time.Duration) *liveHub {
	if log == nil {
		log = slog.Default()
	}
	if recheck <= 0 {
		recheck = defaultRecheck
	}
	l := &liveHub{desk: desk, log: log, feeds: map[string]*requestFeed{},
		stores: map[string]map[*requestFeed]string{}, queues: map[string]*queueFeed{},
		delayed: map[string]bool{}, recheck: recheck}
	l.queue = newReadQueue(sharedReaders, l.read)
	if live != nil {
		live.Watch(l.changed)
	}
	return l
}

// changed queues the reads a notification calls for, on the listener's
// goroutine: only for what some stream of this replica watches.
func (l *liveHub) changed(c notify.Change) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c.Everything {
		for id := range l.feeds {
			l.queue.push("r:" + id)
		}
		for store := range l.stores {
			l.queue.push("s:" + store)
		}
		for key := range l.queues {
			l.queue.push("q:" + key)
		}
		return
	}
	if _, ok := l.feeds[c.RequestID]; ok && c.RequestID != "" {
		l.queue.push("r:" + c.RequestID)
	}
	if c.StoreID == "-" && c.RequestID == "" {
		// The remote team's presence: whether remote help is free shows in
		// every waiting request's place.
		for store := range l.stores {
			l.later("s:" + store)
		}
	} else if c.QueueMoved && len(l.stores[c.StoreID]) > 0 {
		l.later("s:" + c.StoreID)
	}
	for key := range l.queues {
		if key == queueRemote || key == "store:"+c.StoreID {
			l.later("q:" + key)
		}
	}
}

func (l *liveHub) read(key string) {
	ctx, cancel := context.WithTimeout(context.Background(), readTimeout)
	defer cancel()
	kind, id, _ := strings.Cut(key, ":")
	switch kind {
	case "r":
		l.readRequest(ctx, id)
	case "s":
		l.readPlaces(ctx, id)
	case "q":
		l.readQueue(ctx, id)
	}
}

// storeKey is how notifications name a request's store.
func storeKey(storeID string) string {
	if storeID == "" {
		return pg.NoStore
	}
	return storeID
}

// watchRequest joins the streams of request id. Streams join before their
// first read, so that a change after it is never missed.
func (l *liveHub) watchRequest(id string) (*requestFeed, *watcher, func()) {
	l.mu.Lock()
	f := l.feeds[id]
	if f == nil {
		f = &requestFeed{id: id, opened: time.Now(), watchers: map[*watcher]struct{}{}}
		l.feeds[id] = f
	}
	f.mu.Lock()
	w := f.watchers.join()
	f.mu.Unlock()
	l.startSweep()
	l.mu.Unlock()
	return f, w, func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if f.watchers.leave(&f.mu, w) && l.feeds[id] == f {
			delete(l.feeds, id)
			l.placeIn(f, "")
		}
	}
}

// placeIn files f under the store whose queue it waits in ("" for none).
func (l *liveHub) placeIn(f *requestFeed, store string) {
	if f.store != "" {
		if set := l.stores[f.store]; set != nil {
			delete(set, f)
			if len(set) == 0 {
				delete(l.stores, f.store)
			}
		}
	}
	f.store = store
	if store != "" {
		if l.stores[store] == nil {
			l.stores[store] = map[*requestFeed]string{}
		}
		l.stores[store][f] = f.id
	}
}

// ready tells the feed what a stream read by itself: the newest message it
// has and where the request stands. The first stream's message starts the
// feed, which from then on reads only messages after the newest it has.
func (l *liveHub) ready(f *requestFeed, newest int64, h assist.HelpRequest) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.started {
		f.started, f.latest, f.base = true, newest, newest
		store := ""
		if h.Store != nil {
			store = h.Store.ID
		}
		l.wait(f, h.Status, store)
		if f.missed {
			l.queue.push("r:" + f.id)
		}
	}
}

// wait files the feed under its store while the request waits there.
func (l *liveHub) wait(f *requestFeed, status assist.Status, storeID string) {
	store := ""
	if status == assist.StatusWaiting {
		store = storeKey(storeID)
	}
	if store != f.store && l.feeds[f.id] == f {
		l.placeIn(f, store)
	}
}

func (l *liveHub) readRequest(ctx context.Context, id string) {
	l.mu.Lock()
	f := l.feeds[id]
	l.mu.Unlock()
	if f == nil {
		return
	}
	f.mu.Lock()
	if !f.started {
		// No stream has read it yet: the first one's read sees this change.
		f.missed = true
		f.mu.Unlock()
		return
	}
	since := f.latest
	f.mu.Unlock()
	ticket := l.ticket.Add(1)
	l.reads.request.Add(1)
	snap, err := l.desk.Snapshot(ctx, id, since)
	var nf *fault.Error
	if err != nil && !(errors.As(err, &nf) && nf.Kind == fault.KindNotFound) {
		l.log.Warn("event streams: read request", "request", id, "err", err)
		return
	}
	l.mu.Lock()
	f.mu.Lock()
	more := f.apply(snap, err != nil, ticket)
	if err == nil {
		l.wait(f, snap.Status(), snap.StoreID())
	}
	f.mu.Unlock()
	l.mu.Unlock()
	if more {
		l.queue.push("r:" + id) // a full page: read on
	}
}

func (l *liveHub) readPlaces(ctx context.Context, store string) {
	ticket := l.ticket.Add(1)
	l.reads.places.Add(1)
	storeID := store
	if store == "-" {
		storeID = ""
	}
	places, err := l.desk.Places(ctx, storeID)
	if err != nil {
		l.log.Warn("event streams: read places", "store", store, "err", err)
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for f, id := range l.stores[store] {
		if p, ok := places[id]; ok {
			f.mu.Lock()
			f.setPlace(p, ticket)
			f.mu.Unlock()
		}
	}
}

// refresh has request id read again now, for a change no notification of
// requests announces (a seen mark); a snapshot with a later ticket than the
// one returned was read after the call.
func (l *liveHub) refresh(id string) uint64 {
	t := l.ticket.Load()
	l.queue.push("r:" + id)
	return t
}

// collectors are the hub's metrics: its shared reads, by kind.
func (l *liveHub) collectors() []prometheus.Collector {
	var out []prometheus.Collector
	for kind, n := range map[string]*atomic.Int64{"request": &l.reads.request, "places": &l.reads.places, "queue": &l.reads.queue} {
		out = append(out, prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name:        "helpforce_stream_reads_total",
			Help:        "Reads made for this replica's event streams, each shared by every stream watching what changed, by kind.",
			ConstLabels: prometheus.Labels{"kind": kind},
		}, func() float64 { return float64(n.Load()) }))
	}
	return out
}
