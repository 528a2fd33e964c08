package main

import (
	"crypto/rand"
	"encoding/json"
	"sync"
	"time"
)

// request is one shopper's request as the shopper saw it.
type request struct {
	id       string
	shopper  *client
	store    *store
	remote   bool      // asked the remote team (remote: true)
	sent     time.Time // POST sent
	created  time.Time // POST answered
	channel  string    // floor or remote, as last seen
	status   string    // as last seen
	accepted time.Time // the shopper saw it taken
	ended    time.Time // resolved, cancelled or abandoned, as seen
	replied  bool
	// waitedFree is how long it waited while someone who could take it
	// was free and alerted about nothing; see sampleFree.
	waitedFree time.Duration
}

// helpRequest is the part of the API's HelpRequest the shopper reads.
type helpRequest struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Channel string `json:"channel"`
}

// arrival is one shopper coming, drawn before the run.
type arrival struct {
	at     time.Duration // since the first arrival window opened
	store  *store
	dept   string
	remote bool
}

// planArrivals draws the arrivals: Poisson in a store day, evenly spaced
// (open loop) under load.
func (w *world) planArrivals(d time.Duration) []arrival {
	var out []arrival
	gap := float64(time.Second) / w.o.rate
	var at time.Duration
	for i := 0; ; i++ {
		if w.o.mode == "sim" {
			at += time.Duration(w.plan.ExpFloat64() * gap)
		} else {
			at = time.Duration(float64(i) * gap)
		}
		if at >= d {
			return out
		}
		st := w.stores[w.plan.IntN(len(w.stores))]
		out = append(out, arrival{at: at, store: st, dept: st.depts[w.plan.IntN(len(st.depts))],
			remote: w.plan.Float64() < w.o.remoteShare})
	}
}

// arrive sends each of who in at their arrival's time and returns when the
// last has sent their request or the run ended.
func (w *world) arrive(plan []arrival, who []*client, shoppers *sync.WaitGroup) {
	start := time.Now()
	for i, a := range plan {
		if !w.sleep(time.Until(start.Add(a.at))) {
			return
		}
		if i >= len(who) {
			w.note("more arrivals than shoppers signed up; the rest did not come")
			return
		}
		c := who[i]
		shoppers.Go(func() { w.shop(c, a) })
	}
}

// shop is one shopper: ask, follow the request live, answer the first
// message from staff.
func (w *world) shop(c *client, a arrival) {
	body := map[string]any{"department": a.dept, "store_id": a.store.id, "note": "Which one should I buy?"}
	if a.remote {
		body["remote"] = true
	}
	var h helpRequest
	w.mu.Lock()
	w.posting++
	w.mu.Unlock()
	sent := time.Now()
	err := c.call(w.ctx, "POST /help-requests", "POST", "/api/v1/help-requests", body, &h, "Idempotency-Key", rand.Text())
	r := &request{id: h.ID, shopper: c, store: a.store, remote: a.remote, sent: sent, created: time.Now()}
	w.mu.Lock()
	w.posting--
	if err != nil {
		w.failed++
	} else {
		w.reqs = append(w.reqs, r)
	}
	w.mu.Unlock()
	if err != nil {
		return
	}
	if w.seen(r, h) {
		return
	}
	path := "/api/v1/help-requests/" + r.id + "/events"
	for {
		done := false
		_ = c.stream(w.ctx, "GET /help-requests/{id}/events", path, func(event string, data []byte) bool {
			switch event {
			case "status":
				var h helpRequest
				if json.Unmarshal(data, &h) == nil && w.seen(r, h) {
					done = true
				}
			case "message":
				w.message(c, r, data)
			}
			return !done
		})
		// Reconnect as EventSource does (the stream asks for 2 s).
		if done || !w.sleep(2*time.Second) {
			return
		}
	}
}

// seen records what the shopper sees and says whether the request is over.
func (w *world) seen(r *request, h helpRequest) bool {
	now := time.Now()
	w.mu.Lock()
	defer w.mu.Unlock()
	r.status, r.channel = h.Status, h.Channel
	// A stream that joins late may show it resolved without having shown
	// it taken; resolved was taken first.
	if (h.Status == "assigned" || h.Status == "resolved") && r.accepted.IsZero() {
		r.accepted = now
	}
	switch h.Status {
	case "resolved", "cancelled", "abandoned":
		if r.ended.IsZero() {
			r.ended = now
		}
		return true
	}
	return false
}

// message answers the first message from staff once; under load the owner
// then resolves at once.
func (w *world) message(c *client, r *request, data []byte) {
	var m struct {
		Author struct {
			Role string `json:"role"`
		} `json:"author"`
	}
	if json.Unmarshal(data, &m) != nil || m.Author.Role == "shopper" {
		return
	}
	w.mu.Lock()
	first := !r.replied
	r.replied = true
	owner := w.owners[r.id]
	w.mu.Unlock()
	if !first {
		return
	}
	go func() {
		_ = c.insist(w.ctx, "POST /help-requests/{id}/messages", "POST", "/api/v1/help-requests/"+r.id+"/messages",
			map[string]string{"body": "Thank you!"}, nil)
		if w.o.mode == "load" && owner != nil {
			owner.resolve(w.ctx, r.id)
		}
	}()
}

// accepted records who took a request (the accept may answer before the
// shopper's POST does).
func (w *world) accepted(id string, b *bot) {
	w.mu.Lock()
	w.owners[id] = b
	w.mu.Unlock()
}
