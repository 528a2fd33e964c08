package api

import (
	"sync"
	"time"
)

// heartbeats is one ticker for every stream of the replica: each stream is
// signalled at every beat instead of keeping a timer of its own. The ticker
// runs while some stream listens.
type heartbeats struct {
	every time.Duration

	mu      sync.Mutex
	streams map[chan struct{}]struct{}
	running bool
}

// join returns a channel signalled at each beat, and what leaves.
func (h *heartbeats) join() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.streams == nil {
		h.streams = map[chan struct{}]struct{}{}
	}
	h.streams[ch] = struct{}{}
	if !h.running {
		h.running = true
		go h.run()
	}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.streams, ch)
		h.mu.Unlock()
	}
}

func (h *heartbeats) run() {
	tick := time.NewTicker(h.every)
	defer tick.Stop()
	for range tick.C {
		h.mu.Lock()
		if len(h.streams) == 0 {
			h.running = false
			h.streams = nil // give back what ten thousand streams grew
			h.mu.Unlock()
			return
		}
		for ch := range h.streams {
			select {
			case ch <- struct{}{}:
			default: // the last beat is not taken yet: one is enough
			}
		}
		h.mu.Unlock()
	}
}
