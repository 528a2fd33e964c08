package main

import (
	"context"
	"time"
)

// shiftPlan is when one person's day starts and ends, drawn before the run
// from the seed so that every policy sees the same staffing.
type shiftPlan struct {
	late, early time.Duration // 0: from the start / to the end
}

// planShifts draws, with -churn, who starts late (in the first half) and
// who leaves early (in the second half).
func (w *world) planShifts() []shiftPlan {
	plans := make([]shiftPlan, len(w.bots))
	if w.o.mode != "sim" {
		return plans
	}
	half := float64(w.o.duration / 2)
	for i := range plans {
		if w.plan.Float64() >= w.o.churn {
			continue
		}
		at := time.Duration(w.plan.Float64() * half)
		if w.plan.Float64() < 0.5 {
			plans[i].late = at + 1
		} else {
			plans[i].early = time.Duration(half) + at
		}
	}
	return plans
}

// startDay puts everyone on duty except those who start late.
func (w *world) startDay(ctx context.Context, plans []shiftPlan) error {
	return parallel(len(w.bots), 8, func(i int) error {
		b, p := w.bots[i], plans[i]
		if p.late > 0 {
			w.after(p.late, b.comeOn)
			return nil
		}
		b.comeOn()
		if p.early > 0 {
			w.after(p.early, b.endShift)
		}
		return nil
	})
}

// endDay signs everyone off, so that a later run on the same server offers
// them nothing.
func (w *world) endDay(ctx context.Context) {
	_ = parallel(len(w.bots), 8, func(i int) error {
		w.bots[i].setStatus(ctx, "off")
		return nil
	})
}

// comeOn is the person going available; they count as free once the
// server knows.
func (b *bot) comeOn() {
	b.setStatus(b.w.ctx, "available")
	b.mu.Lock()
	b.onDuty, b.onBreak = true, false
	b.mu.Unlock()
	b.reconsider()
}

// endShift signs off now if free, otherwise once the last request is done.
func (b *bot) endShift() {
	b.mu.Lock()
	busy := len(b.owned)+b.intends > 0
	b.leaving = true
	if !busy {
		b.onDuty = false
	}
	b.mu.Unlock()
	if !busy {
		b.setStatus(b.w.ctx, "off")
	}
}

// afterWork follows a resolved request: the end of the shift, sometimes a
// break, otherwise a look at the alerts that came meanwhile.
func (b *bot) afterWork() {
	b.mu.Lock()
	free := len(b.owned)+b.intends == 0
	leaving := b.leaving
	b.mu.Unlock()
	switch {
	case free && leaving:
		b.endShift()
	case free && b.w.rand() < b.w.o.breakProb:
		b.mu.Lock()
		b.onBreak = true
		b.mu.Unlock()
		b.setStatus(b.w.ctx, "break")
		b.w.after(b.w.pick(b.w.o.breakLen), b.backFromBreak)
	default:
		b.reconsider()
	}
}

// setOnBreak follows the server's own decision to set them on a break
// after several missed alerts: they notice, and come back after a break.
func (b *bot) setOnBreak() {
	b.mu.Lock()
	already := b.onBreak
	b.onBreak = true
	b.mu.Unlock()
	b.w.mu.Lock()
	b.w.benched++
	b.w.mu.Unlock()
	if !already {
		b.w.after(b.w.pick(b.w.o.breakLen), b.backFromBreak)
	}
}

func (b *bot) backFromBreak() {
	b.mu.Lock()
	leaving := b.leaving
	b.mu.Unlock()
	if leaving {
		b.endShift()
		return
	}
	b.comeOn()
}
