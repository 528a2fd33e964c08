package pg

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lib/pq"
)

// Hub holds this replica's one listening connection and fans notifications
// out in memory. Many idle LISTEN connections slow every commit on the
// server, so parts of Helpforce share this one rather than opening their own.
// A notification carries an id, never a document: handlers re-read state.
type Hub struct {
	listener *pq.Listener
	log      *slog.Logger
	mu       sync.RWMutex
	handlers map[Channel][]func(payload string)
	resyncs  []func()
	// links counts the listener's connections and their losses: it is odd
	// while the listener is connected. A notification sent while it was not
	// is lost, so what was known under one count is known under no other.
	links atomic.Uint64
}

// NewHub connects a listener to the database at url.
func NewHub(url string, log *slog.Logger) *Hub {
	h := &Hub{log: log, handlers: map[Channel][]func(string){}}
	// Reconnect attempts back off to at most 2 s apart, so that the listener
	// is back within seconds of the database.
	h.listener = pq.NewListener(url, 100*time.Millisecond, 2*time.Second, func(ev pq.ListenerEventType, err error) {
		h.linked(ev == pq.ListenerEventConnected || ev == pq.ListenerEventReconnected)
		if err != nil {
			log.Warn("database listener", "event", ev, "err", err)
		}
	})
	return h
}

// linked records that the listener is connected, or not. pq calls it
// once the connection's LISTENs are in place, and Run as it stops.
func (h *Hub) linked(up bool) {
	for {
		n := h.links.Load()
		if (n%2 == 1) == up || h.links.CompareAndSwap(n, n+1) {
			return
		}
	}
}

// Link says which of the listener's connections is current, and whether
// the listener is connected now. Notifications have reached the hub's
// handlers without a gap for as long as Link returns the same n, up.
func (h *Hub) Link() (n uint64, up bool) {
	n = h.links.Load()
	return n, n%2 == 1
}

// Handle calls fn with the payload of every notification on channel. fn runs
// on the hub's goroutine and must not block.
func (h *Hub) Handle(channel Channel, fn func(payload string)) error {
	h.mu.Lock()
	first := len(h.handlers[channel]) == 0
	h.handlers[channel] = append(h.handlers[channel], fn)
	h.mu.Unlock()
	if first {
		if err := h.listener.Listen(string(channel)); err != nil && err != pq.ErrChannelAlreadyOpen {
			return fmt.Errorf("pg: listen %s: %w", channel, err)
		}
	}
	return nil
}

// OnReconnect registers fn to run after the listener reconnects: notifications
// sent while it was away are lost, so state must be read again.
func (h *Hub) OnReconnect(fn func()) {
	h.mu.Lock()
	h.resyncs = append(h.resyncs, fn)
	h.mu.Unlock()
}

// Run delivers notifications until ctx ends, then closes the listener.
func (h *Hub) Run(ctx context.Context) {
	defer h.listener.Close()
	defer h.linked(false)
	ping := time.NewTicker(90 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case n := <-h.listener.Notify:
			h.mu.RLock()
			if n == nil { // pq sends nil after a reconnect
				for _, fn := range h.resyncs {
					fn()
				}
			} else {
				for _, fn := range h.handlers[Channel(n.Channel)] {
					fn(n.Extra)
				}
			}
			h.mu.RUnlock()
		case <-ping.C:
			_ = h.listener.Ping()
		}
	}
}
