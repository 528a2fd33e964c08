package main

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// world is one run: its stores, people, shoppers' requests and what was
// measured.
type world struct {
	o     options
	t     *target
	ctx   context.Context // ends when the run stops
	log   io.Writer
	stats *stats
	hc    *http.Client

	rngMu sync.Mutex
	rng   *rand.Rand // delays and choices drawn as events happen
	plan  *rand.Rand // arrivals and shifts, drawn in order before they happen

	admin    *client
	stores   []*store
	bots     []*bot // floor staff, then agents
	agents   []*bot
	shoppers []*client

	mu         sync.Mutex
	notes      []string
	reqs       []*request
	failed     int                  // POST /help-requests that created nothing
	posting    int                  // POST /help-requests not answered yet
	benched    int                  // people the server set on a break
	unanswered int                  // alerts withdrawn before their person answered
	owners     map[string]*bot      // who took each request, by id
	pushes     map[string]int       // by request id
	firstPush  map[string]time.Time // by request id
}

func newWorld(ctx context.Context, t *target, o options, log io.Writer) *world {
	return &world{o: o, t: t, ctx: ctx, log: log, stats: newStats(), hc: newHTTPClient(),
		rng:    rand.New(rand.NewPCG(uint64(o.seed), uint64(o.seed)^0x5eed)),
		plan:   rand.New(rand.NewPCG(uint64(o.seed), 1)),
		owners: map[string]*bot{}, pushes: map[string]int{}, firstPush: map[string]time.Time{}}
}

func (w *world) newClient(token, ip string) *client {
	c := &client{http: w.hc, base: w.t.url, token: token, ip: ip, stats: w.stats, replicas: w.t.replicas}
	if c.replicas != nil {
		c.base = c.replicas.assign()
	}
	return c
}

func (w *world) note(s string) {
	w.mu.Lock()
	w.notes = append(w.notes, s)
	w.mu.Unlock()
}

// rand is a uniform number in [0, 1) from the run's seeded source.
func (w *world) rand() float64 {
	w.rngMu.Lock()
	defer w.rngMu.Unlock()
	return w.rng.Float64()
}

// exp is an exponential wait of the given mean: the gap between Poisson
// arrivals.
func (w *world) exp(mean time.Duration) time.Duration {
	w.rngMu.Lock()
	defer w.rngMu.Unlock()
	return time.Duration(w.rng.ExpFloat64() * float64(mean))
}

func (w *world) pick(s span) time.Duration {
	return s.min + time.Duration(w.rand()*float64(s.max-s.min))
}

// sleep waits d unless the run ends first, and says whether it did not.
func (w *world) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-w.ctx.Done():
		return false
	}
}

// after runs fn after d on its own goroutine, unless the run ended.
func (w *world) after(d time.Duration, fn func()) {
	time.AfterFunc(d, func() {
		if w.ctx.Err() == nil {
			fn()
		}
	})
}
