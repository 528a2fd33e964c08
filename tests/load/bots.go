package main

import (
	"context"
	"sync"
	"time"
)

// bot is one member of staff and their phone: the alerts it shows, the
// requests they own and whether they are on duty.
type bot struct {
	w              *world
	c              *client
	id, name, role string
	store          *store // nil for agents
	capacity       int
	endpoint, tag  string

	mu      sync.Mutex
	owned   map[string]bool
	offers  map[string]*offer // alerts still on the phone, by request
	gone    map[string]bool   // requests whose alert was withdrawn
	onDuty  bool
	onBreak bool
	leaving bool // ends the shift once free
	intends int  // accepts decided but not yet answered
}

// offer is an alert on the phone; considered once a person looked at it,
// deciding while they are about to accept or pass.
type offer struct {
	at                   time.Time
	considered, deciding bool
}

// onPush is the phone receiving an alert.
func (b *bot) onPush(a alert, at time.Time) {
	b.w.notePush(a.RequestID, at)
	switch {
	case a.Type == "help_request" && a.RequestID != "":
		b.offered(a.RequestID, at)
	case a.Type == "withdrawn":
		b.mu.Lock()
		if b.offers[a.RequestID] != nil {
			b.w.countUnanswered()
		}
		delete(b.offers, a.RequestID)
		if b.gone == nil {
			b.gone = map[string]bool{}
		}
		b.gone[a.RequestID] = true
		b.mu.Unlock()
		b.reconsider()
	case a.Tag == b.tag: // the server set them on a break after missed alerts
		b.setOnBreak()
	}
}

func (b *bot) offered(id string, at time.Time) {
	b.mu.Lock()
	if o := b.offers[id]; o != nil {
		// Alerted again (a reminder): one they let be gets another look.
		if o.considered && !o.deciding {
			o.considered = false
			b.considerLocked(id)
		}
		b.mu.Unlock()
		return
	}
	if b.gone[id] || b.owned[id] {
		b.mu.Unlock()
		return // pushes may arrive out of order: a withdrawal wins
	}
	b.offers[id] = &offer{at: at}
	if b.w.o.mode == "load" {
		b.intends++
		b.mu.Unlock()
		b.accept(id) // taps Accept at once, racing the others
		return
	}
	b.considerLocked(id)
	b.mu.Unlock()
}

// considerLocked has a person on duty with room look at an alert: after a
// human delay they accept, pass, or let it be. b.mu is held.
func (b *bot) considerLocked(id string) {
	o := b.offers[id]
	if o == nil || o.considered || !b.onDuty || b.onBreak || len(b.owned)+b.intends >= b.capacity {
		return
	}
	o.considered = true
	w := b.w
	roll, delay := w.rand(), w.pick(w.o.acceptDelay)
	switch {
	case roll < w.o.passProb:
		o.deciding = true
		w.after(delay, func() { b.pass(id) })
	case roll < w.o.passProb+w.o.ignoreProb:
	default:
		o.deciding = true
		b.intends++
		w.after(delay, func() { b.accept(id) })
	}
}

// reconsider looks at alerts left unanswered while busy, oldest first.
func (b *bot) reconsider() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for {
		var oldest string
		for id, o := range b.offers {
			if !o.considered && (oldest == "" || o.at.Before(b.offers[oldest].at)) {
				oldest = id
			}
		}
		if oldest == "" || !b.onDuty || b.onBreak || len(b.owned)+b.intends >= b.capacity {
			return
		}
		b.considerLocked(oldest)
	}
}

func (b *bot) accept(id string) {
	b.mu.Lock()
	if b.offers[id] == nil { // withdrawn while they made up their mind
		b.intends--
		b.mu.Unlock()
		b.reconsider()
		return
	}
	b.mu.Unlock()
	err := b.c.insist(b.w.ctx, "POST /help-requests/{id}/accept", "POST", "/api/v1/help-requests/"+id+"/accept", nil, nil)
	b.mu.Lock()
	b.intends--
	delete(b.offers, id)
	if err == nil {
		b.owned[id] = true
	}
	b.mu.Unlock()
	if err != nil {
		b.reconsider()
		return
	}
	b.w.accepted(id, b)
	b.say(id, "Hello, I'm on my way.")
	if b.w.o.mode == "sim" {
		b.help(id)
	}
}

func (b *bot) pass(id string) {
	b.mu.Lock()
	_, open := b.offers[id]
	delete(b.offers, id)
	b.mu.Unlock()
	if open {
		_ = b.c.call(b.w.ctx, "POST /help-requests/{id}/pass", "POST", "/api/v1/help-requests/"+id+"/pass", nil, nil)
	}
	b.reconsider()
}

func (b *bot) say(id, text string) {
	_ = b.c.insist(b.w.ctx, "POST /help-requests/{id}/messages", "POST", "/api/v1/help-requests/"+id+"/messages",
		map[string]string{"body": text}, nil)
}

// help spends the helping time with the shopper, then resolves.
func (b *bot) help(id string) {
	if !b.w.sleep(b.w.pick(b.w.o.helpTime)) {
		return
	}
	b.resolve(b.w.ctx, id)
	b.afterWork()
}

func (b *bot) resolve(ctx context.Context, id string) {
	_ = b.c.insist(ctx, "POST /help-requests/{id}/resolve", "POST", "/api/v1/help-requests/"+id+"/resolve", nil, nil)
	b.mu.Lock()
	delete(b.owned, id)
	b.mu.Unlock()
}

// free says whether they could take a request now and are alerted about
// nothing: on duty, not on a break, below capacity, no alert on the phone.
func (b *bot) free() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.onDuty && !b.onBreak && len(b.owned)+b.intends < b.capacity && len(b.offers) == 0
}

// setStatus tells the server the person's presence.
func (b *bot) setStatus(ctx context.Context, status string) {
	_ = b.c.call(ctx, "PUT /me/status", "PUT", "/api/v1/me/status", map[string]string{"status": status}, nil)
}
