package notify

import (
	"strings"
	"sync"

	"helpforce/pg"
)

// Live fans changes to help requests out to this replica's event streams.
// The database says which request changed (LISTEN/NOTIFY, so a change made
// through any replica reaches streams on every replica); streams then read
// the request again. Signals coalesce: a stream that is behind reads once.
type Live struct {
	mu      sync.Mutex
	streams map[string]map[chan struct{}]struct{} // by request id, by store id, or "*" for all
	cues    map[string]map[chan []byte]struct{}   // by request id: typing and seen signals
	watch   []func(Change)
}

// Change is what one notification says changed: a request of a store
// (StoreID "-" for none), or, with RequestID "", the presence of a store's
// staff ("-": the remote team's); Everything after the listener reconnected,
// when notifications may have been missed.
type Change struct {
	RequestID, StoreID string
	// QueueMoved: a request came into the store's queue or left it, so
	// places in line may have moved.
	QueueMoved bool
	Everything bool
}

// Watch calls fn with every change, on the listener's goroutine: fn must
// not block. Shared readers use it to read once for every stream.
func (l *Live) Watch(fn func(Change)) {
	l.mu.Lock()
	l.watch = append(l.watch, fn)
	l.mu.Unlock()
}

func (l *Live) tell(c Change) {
	l.mu.Lock()
	watch := l.watch
	l.mu.Unlock()
	for _, fn := range watch {
		fn(c)
	}
}

// NewLive returns a Live with no streams.
func NewLive() *Live {
	return &Live{streams: map[string]map[chan struct{}]struct{}{}, cues: map[string]map[chan []byte]struct{}{}}
}

// Attach listens for request changes on hub.
func (l *Live) Attach(hub *pg.Hub) error {
	hub.OnReconnect(func() { // notifications may have been missed: everyone reads again
		l.everyone()
		l.tell(Change{Everything: true})
	})
	if err := l.attachConversations(hub); err != nil {
		return err
	}
	return hub.Handle("helpforce_requests", func(payload string) {
		// "<request> <store or -> [q]": q when the store's queue moved.
		words := strings.Fields(payload)
		if len(words) < 2 {
			return
		}
		requestID, storeID := words[0], words[1]
		l.tell(Change{RequestID: requestID, StoreID: storeID, QueueMoved: len(words) > 2 && words[2] == "q"})
		l.signal(requestID)
		l.signal("store:" + storeID)
		l.signal("*")
	})
}

// Request returns a channel signalled when request id changes.
func (l *Live) Request(id string) (<-chan struct{}, func()) { return l.subscribe(id) }

// Store returns a channel signalled when any request of the store changes;
// storeID "" follows every request (the remote team's view).
func (l *Live) Store(storeID string) (<-chan struct{}, func()) {
	if storeID == "" {
		return l.subscribe("*")
	}
	return l.subscribe("store:" + storeID)
}

func (l *Live) subscribe(key string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	return ch, join(&l.mu, l.streams, key, ch)
}

func (l *Live) signal(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fan(l.streams[key], struct{}{})
}

func (l *Live) everyone() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, set := range l.streams {
		fan(set, struct{}{})
	}
}

// join adds ch to sets under key and returns what takes it out again.
func join[T any](mu *sync.Mutex, sets map[string]map[chan T]struct{}, key string, ch chan T) func() {
	mu.Lock()
	if sets[key] == nil {
		sets[key] = map[chan T]struct{}{}
	}
	sets[key][ch] = struct{}{}
	mu.Unlock()
	return func() {
		mu.Lock()
		delete(sets[key], ch)
		if len(sets[key]) == 0 {
			delete(sets, key)
		}
		mu.Unlock()
	}
}

// fan hands v to every channel of set that has room: the listener never
// waits for a slow stream.
func fan[T any](set map[chan T]struct{}, v T) {
	for ch := range set {
		select {
		case ch <- v:
		default:
		}
	}
}
