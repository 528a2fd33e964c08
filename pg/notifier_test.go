package pg_test

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/pg"
	"helpforce/pg/pgtest"
)

// heard collects the payloads of one channel.
type heard struct {
	mu       sync.Mutex
	payloads []string
}

func (h *heard) add(p string) { h.mu.Lock(); h.payloads = append(h.payloads, p); h.mu.Unlock() }

func (h *heard) list() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.payloads...)
}

// listening opens a fresh database and collects what its channels hear.
func listening(t *testing.T, channels ...pg.Channel) (*sqlx.DB, map[pg.Channel]*heard) {
	url := pgtest.URL(t)
	got := map[pg.Channel]*heard{}
	pgtest.Listen(t, url, func(_ context.Context, hub *pg.Hub) error {
		for _, ch := range channels {
			h := &heard{}
			got[ch] = h
			if err := hub.Handle(ch, h.add); err != nil {
				return err
			}
		}
		return nil
	})
	db, err := pg.Open(context.Background(), url, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, got
}

func TestNotifierDeliversEveryNotificationAndTheEarliestDueTime(t *testing.T) {
	db, got := listening(t, "t_changed", "t_due")
	n := pg.NewNotifier(db, slog.New(slog.DiscardHandler))
	start := time.Now().Add(time.Hour)
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n.Notify("t_changed", fmt.Sprint("request ", i%100)) // each twice
			n.NotifyDue("t_due", start.Add(time.Duration(i)*time.Second))
		}()
	}
	wg.Wait()
	pgtest.Eventually(t, 10*time.Second, "every distinct notification heard", func() bool {
		seen := map[string]bool{}
		for _, p := range got["t_changed"].list() {
			seen[p] = true
		}
		return len(seen) == 100
	})
	// Due times pending together collapse to the earliest, so the earliest
	// of all is always sent.
	pgtest.Eventually(t, 10*time.Second, "the earliest due time announced", func() bool {
		for _, p := range got["t_due"].list() {
			if secs, _ := strconv.ParseFloat(p, 64); time.Unix(0, int64(secs*1e9)).Sub(start).Abs() < time.Millisecond {
				return true
			}
		}
		return false
	})
	if heard := len(got["t_due"].list()); heard > 200 {
		t.Fatalf("heard %d due times for 200 announced", heard)
	}
}

func TestTriggersStayQuietInATransactionThatNotifiesAfterCommit(t *testing.T) {
	db, got := listening(t, pg.ChanRequests, pg.ChanTimers)
	// ask writes a request and its deadline: in one transaction of two
	// statements, or in one statement, with or without pg.AfterCommit.
	ask := func(oneStatement, after bool) string {
		quiet := "NULL"
		if after {
			quiet = pg.AfterCommit
		}
		write := `WITH q AS (SELECT ` + quiet + ` AS quiet), s AS (INSERT INTO shoppers DEFAULT VALUES RETURNING id),
			r AS (INSERT INTO help_requests (shopper_id, department, channel) SELECT s.id, 'tv', 'remote' FROM s, q RETURNING id)`
		var id string
		err := pg.InTx(context.Background(), db, func(tx *sqlx.Tx) error {
			if !oneStatement {
				if err := tx.Get(&id, write+` SELECT id FROM r`); err != nil {
					return err
				}
				_, err := tx.Exec(`INSERT INTO timers (request_id, kind, due_at) VALUES ($1, 'abandon', now() + interval '1 hour')`, id)
				return err
			}
			return tx.Get(&id, write+`, d AS (INSERT INTO timers (request_id, kind, due_at)
				SELECT id, 'abandon', now() + interval '1 hour' FROM r) SELECT id FROM r`)
		})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	ask(false, true)
	ask(true, true)
	loud := []string{ask(false, false), ask(true, false)}
	pgtest.Eventually(t, 10*time.Second, "notifications", func() bool {
		return len(got[pg.ChanRequests].list()) >= 2 && len(got[pg.ChanTimers].list()) >= 2
	})
	time.Sleep(100 * time.Millisecond) // room for a wrong third
	r := got[pg.ChanRequests].list()
	if len(r) != 2 {
		t.Fatalf("heard %q of requests, want only %q", r, loud)
	}
	// The requests' trigger writes what the listeners read.
	for i, p := range r {
		if c, ok := pg.ParseRequestChange(p); !ok || c.RequestID != loud[i] || c.StoreID != pg.NoStore || !c.QueueMoved {
			t.Fatalf("request payload %q reads as %+v, %v; want request %s without a store, its queue moved", p, c, ok, loud[i])
		}
	}
	d := got[pg.ChanTimers].list()
	if len(d) != 2 {
		t.Fatalf("heard %q of timers, want two", d)
	}
	// The timers' trigger writes the due time as DueWorker reads it.
	for _, p := range d {
		due, ok := pg.ParseDuePayload(p)
		if !ok || due.Before(time.Now().Add(59*time.Minute)) || due.After(time.Now().Add(61*time.Minute)) {
			t.Fatalf("timer payload %q reads as %v, %v; want about an hour from now", p, due, ok)
		}
	}
}
