package pg

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
)

// DueWorker acts on work that falls due at a time kept in the database
// (timers, deadlines). Any replica may run one: Do claims one due item with
// FOR UPDATE SKIP LOCKED and acts on it in the same transaction. Between
// items the worker sleeps until the next one falls due, or until a
// notification on Channel says new work was written anywhere, never on a
// coarse poll; so deadlines that passed while no worker ran are handled as
// soon as one starts.
type DueWorker struct {
	Name    string  // for logs
	Channel Channel // the NOTIFY channel that announces new work
	// Do handles one due item and reports whether there was one.
	Do func(context.Context) (bool, error)
	// Next says how long until the earliest pending item falls due, and
	// whether there is any.
	Next func(context.Context) (time.Duration, bool, error)
	Log  *slog.Logger
	wake chan struct{}
	// until is when the sleeping worker wakes anyway (Unix nanoseconds);
	// zero while it works.
	until atomic.Int64
}

// Until says how long, by the database's clock, until the time the query
// earliest selects: when the first pending item falls due, NULL when none
// is pending. It serves as a DueWorker's Next.
func Until(ctx context.Context, q sqlx.QueryerContext, earliest string) (time.Duration, bool, error) {
	var secs *float64
	err := sqlx.GetContext(ctx, q, &secs, `SELECT extract(epoch FROM (`+earliest+`) - now())::float8`)
	if err != nil || secs == nil {
		return 0, false, err
	}
	return time.Duration(*secs * float64(time.Second)), true, nil
}

// safetyNet bounds a sleep should a notification be lost; retry is the
// pause when an item is due but another transaction holds it, so the
// worker does not spin while it waits.
const (
	safetyNet = 5 * time.Second
	retry     = 250 * time.Millisecond
)

// Start runs the worker until ctx ends.
func (w *DueWorker) Start(ctx context.Context, hub *Hub) error {
	w.wake = make(chan struct{}, 1)
	if err := hub.Handle(w.Channel, w.notified); err != nil {
		return err
	}
	hub.OnReconnect(w.Poke)
	go w.loop(ctx)
	return nil
}

// notified wakes the worker, unless the notification says when the new work
// falls due (epoch seconds) and the worker wakes by then anyway.
func (w *DueWorker) notified(payload string) {
	if due, ok := ParseDuePayload(payload); ok {
		until := w.until.Load()
		if until != 0 && time.Unix(0, until).Before(due) {
			return
		}
	}
	w.Poke()
}

// Poke wakes the worker without blocking.
func (w *DueWorker) Poke() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *DueWorker) loop(ctx context.Context) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		w.until.Store(0)
		for {
			did, err := w.Do(ctx)
			if err != nil && ctx.Err() == nil {
				w.Log.Warn(w.Name+" failed", "err", err)
			}
			if err != nil || !did {
				break
			}
		}
		d := w.sleep(ctx)
		w.until.Store(time.Now().Add(d).UnixNano())
		t.Reset(d)
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		case <-t.C:
		}
	}
}

func (w *DueWorker) sleep(ctx context.Context) time.Duration {
	d, any, err := w.Next(ctx)
	switch {
	case err != nil || !any:
		return safetyNet
	case d <= 0:
		return retry
	}
	return min(d, safetyNet)
}
