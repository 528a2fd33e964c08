package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// run sets up a fresh cast on the target, plays the arrivals, and reports.
// CPU time and every figure cover the arrivals and the grace that follows,
// not the setup.
func run(parent context.Context, t *target, o options, log io.Writer) (*Report, error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	w := newWorld(ctx, t, o, log)
	fmt.Fprintf(log, "   setting up %d stores × %d floor staff, %d agents …\n", o.stores, o.staff, o.agents)
	if err := w.setup(ctx); err != nil {
		return nil, err
	}
	plans, warm, arrivals := w.planShifts(), w.planArrivals(o.warmup), w.planArrivals(o.duration)
	if err := w.startDay(ctx, plans); err != nil {
		return nil, err
	}
	var shoppers sync.WaitGroup
	who := w.shoppers
	if len(warm) > 0 {
		fmt.Fprintf(log, "   warming up: %d shoppers over %v …\n", len(warm), o.warmup)
		w.arrive(warm, who, &shoppers)
		w.settle(time.Now().Add(o.grace))
		w.forget()
		who = who[min(len(warm), len(who)):]
	}
	fmt.Fprintf(log, "   %d shoppers over %v …\n", len(arrivals), o.duration)

	refusedBefore := len(t.push.Rejections())
	if t.stats != nil {
		if err := t.stats.reset(ctx); err != nil {
			return nil, fmt.Errorf("reset pg_stat_statements: %w", err)
		}
	}
	cpu0, cpuErr := readCPU(t.serverPID, t.pgPID)
	start := time.Now()
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() { w.sampleFree(stopSampling); close(sampled) }()
	w.arrive(arrivals, who, &shoppers)
	arrivalsEnd := time.Now()
	w.settle(arrivalsEnd.Add(o.grace))
	end := time.Now()
	cpu1, err := readCPU(t.serverPID, t.pgPID)
	if cpuErr == nil {
		cpuErr = err
	}
	close(stopSampling)
	<-sampled

	rep := w.report(len(arrivals), arrivalsEnd.Sub(start), end.Sub(arrivalsEnd))
	rep.CPU = cpuReport(t, cpu0, cpu1, cpuErr)
	if t.stats != nil {
		if rep.Statements, err = t.stats.heaviest(ctx, o.statements, rep.Created); err != nil {
			return nil, fmt.Errorf("read pg_stat_statements: %w", err)
		}
	}
	if o.url != "" {
		rep.Policy = "as configured"
		rep.Notes = append(rep.Notes, "-url: the server's own dispatch policy and timings applied")
	}
	if parent.Err() != nil {
		return nil, parent.Err()
	}
	rep.PushRefused = len(t.push.Rejections()) - refusedBefore
	rep.NeverAlertedLogs = w.neverAlertedLogs(ctx, 3)
	if err := w.writeIDs(); err != nil {
		return nil, err
	}

	cancel() // ends the event streams and every pending decision
	shoppers.Wait()
	tidy, done := context.WithTimeout(context.Background(), 30*time.Second)
	defer done()
	w.tidy(tidy)
	return rep, nil
}

// forget drops what the warm-up recorded, so that figures cover the
// measured arrivals only.
func (w *world) forget() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.reqs, w.failed, w.benched, w.unanswered = nil, 0, 0, 0
	w.owners, w.pushes, w.firstPush = map[string]*bot{}, map[string]int{}, map[string]time.Time{}
	w.stats.reset()
}

// settle waits until nothing is left to take (sim) or every request has
// ended (load), and every accept staff decided on has had its answer, at
// most until deadline: a shopper may see a request taken before the
// winner's answer arrives.
func (w *world) settle(deadline time.Time) {
	for time.Now().Before(deadline) {
		if !w.sleep(100 * time.Millisecond) {
			return
		}
		w.mu.Lock()
		pending := w.posting > 0
		for _, r := range w.reqs {
			if r.ended.IsZero() && (r.accepted.IsZero() || w.o.mode == "load") {
				pending = true
				break
			}
		}
		w.mu.Unlock()
		if !pending && !w.accepting() {
			return
		}
	}
}

// accepting reports whether anyone has an accept decided but not answered.
func (w *world) accepting() bool {
	for _, b := range w.bots {
		b.mu.Lock()
		n := b.intends
		b.mu.Unlock()
		if n > 0 {
			return true
		}
	}
	return false
}

// sampleFree adds, every -sample, the time since the last sample to each
// waiting request that someone who could take it was free for: floor staff
// (and managers) of its store, wherever it sits, unless the shopper asked
// the remote team (the request then has no store), and any agent once it is
// with the remote team. Free: on duty, not on a break, below capacity, and
// no alert about anything on the phone.
func (w *world) sampleFree(stop <-chan struct{}) {
	tick := time.NewTicker(w.o.sample)
	defer tick.Stop()
	last := time.Now()
	for {
		select {
		case <-stop:
			return
		case now := <-tick.C:
			dt := now.Sub(last)
			last = now
			storeFree := map[*store]bool{}
			for _, st := range w.stores {
				for _, b := range st.staff {
					if b.free() {
						storeFree[st] = true
						break
					}
				}
			}
			agentFree := false
			for _, b := range w.agents {
				if b.free() {
					agentFree = true
					break
				}
			}
			w.mu.Lock()
			for _, r := range w.reqs {
				if r.accepted.IsZero() && r.ended.IsZero() && ((storeFree[r.store] && !r.remote) || (r.channel == "remote" && agentFree)) {
					r.waitedFree += dt
				}
			}
			w.mu.Unlock()
		}
	}
}

// tidy cancels what still waits and signs everyone off, so that a later
// run on the same server starts clean.
func (w *world) tidy(ctx context.Context) {
	w.mu.Lock()
	var waiting []*request
	for _, r := range w.reqs {
		if r.accepted.IsZero() && r.ended.IsZero() {
			waiting = append(waiting, r)
		}
	}
	w.mu.Unlock()
	_ = parallel(len(waiting), 8, func(i int) error {
		r := waiting[i]
		_ = r.shopper.call(ctx, "POST /help-requests/{id}/cancel", "POST", "/api/v1/help-requests/"+r.id+"/cancel", nil, nil)
		return nil
	})
	w.endDay(ctx)
}

// neverAlertedLogs reads the hand-off log of a few requests still waiting
// that no phone was alerted about, to show what dispatch did with them.
func (w *world) neverAlertedLogs(ctx context.Context, n int) map[string][]map[string]any {
	w.mu.Lock()
	var ids []string
	for _, r := range w.reqs {
		if _, alerted := w.firstPush[r.id]; !alerted && r.accepted.IsZero() && r.ended.IsZero() && len(ids) < n {
			ids = append(ids, r.id)
		}
	}
	w.mu.Unlock()
	out := map[string][]map[string]any{}
	for _, id := range ids {
		var log []map[string]any
		if err := w.admin.call(ctx, "GET /help-requests/{id}/log", "GET", "/api/v1/help-requests/"+id+"/log", nil, &log); err == nil {
			out[id] = log
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// writeIDs writes the id of every request answered 201 to -ids, for checks
// made afterwards from the database.
func (w *world) writeIDs() error {
	if w.o.ids == "" {
		return nil
	}
	w.mu.Lock()
	var b strings.Builder
	for _, r := range w.reqs {
		b.WriteString(r.id + "\n")
	}
	w.mu.Unlock()
	return os.WriteFile(w.o.ids, []byte(b.String()), 0o644)
}
