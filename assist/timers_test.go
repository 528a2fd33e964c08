package assist_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"helpforce/assist"
	"helpforce/pg/pgtest"
)

var fast = assist.Config{OfferTimeout: 300 * time.Millisecond, OverflowTimeout: 900 * time.Millisecond, AbandonAfter: time.Minute}

// TestWavesWidenThenOverflow: nobody answers, so the offer widens to the
// whole store after the offer timeout and reaches the remote team after the
// overflow timeout, each step logged. Those offered earlier keep their
// offer: the floor may still take the request while the remote team has it.
func TestWavesWidenThenOverflow(t *testing.T) {
	f := newFloor(t, fast)
	f.available("sam", "lea", "claire", "remi")
	f.run(f.desk)
	h := f.ask("tv")
	pgtest.Eventually(t, 5*time.Second, "wave 2", func() bool { return slices.Equal(f.offered(h.ID), []string{"claire", "lea", "sam"}) })
	pgtest.Eventually(t, 5*time.Second, "overflow", func() bool { return f.get(h.ID).Channel == assist.ChannelRemote })
	if got := f.offered(h.ID); !slices.Equal(got, []string{"claire", "lea", "remi", "sam"}) {
		t.Fatalf("offers after overflow %v", got)
	}
	want := []string{"created", "offered", "offered", "overflowed", "offered"}
	if got := f.kinds(h.ID); !slices.Equal(got, want) {
		t.Fatalf("log %v, want %v", got, want)
	}
}

// samAlone is a floor where only sam is available, with a device, a break
// after two ignored offers, and the timers running.
func samAlone(t *testing.T, cfg assist.Config) *floor {
	cfg.IgnoreLimit = 2
	f := newFloor(t, cfg)
	f.subscribe()
	f.available("sam")
	f.run(f.desk)
	return f
}

// ignored is how many offers in a row a person let expire, as counted.
func (f *floor) ignored(name string) int {
	f.t.Helper()
	var n int
	if err := f.db.Get(&n, `SELECT ignored_offers FROM users WHERE id = $1`, f.staff[name].UserID); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// TestIgnoringOffersSetsABreak: a person whose alerts reached their phone,
// and who let several requests in a row go to the remote team unanswered,
// no longer counts as available.
func TestIgnoringOffersSetsABreak(t *testing.T) {
	f := samAlone(t, fast)
	for i := 0; i < 2; i++ {
		h := f.ask("tv")
		f.delivered()
		pgtest.Eventually(t, 5*time.Second, "the request overflows", func() bool { return f.get(h.ID).Channel == assist.ChannelRemote })
	}
	pgtest.Eventually(t, 5*time.Second, "sam set on a break", func() bool { return f.status("sam") == "break" })
	if len(f.pushes("sam", "request_update")) != 1 {
		t.Fatal("sam was not told of the break")
	}
}

// TestUndeliveredOffersNeverBench: alerts a push outage kept from a person's
// phone never count against them, however many requests overflow.
func TestUndeliveredOffersNeverBench(t *testing.T) {
	f := samAlone(t, fast)
	for i := 0; i < 3; i++ {
		h := f.ask("tv")
		pgtest.Eventually(t, 5*time.Second, "the request overflows", func() bool { return f.get(h.ID).Channel == assist.ChannelRemote })
	}
	ignored := f.ignored("sam")
	if f.status("sam") != "available" || ignored != 0 {
		t.Fatalf("sam is %s with %d ignored offers, though no alert reached him", f.status("sam"), ignored)
	}
}

func TestAbandon(t *testing.T) {
	f := newFloor(t, assist.Config{AbandonAfter: 300 * time.Millisecond})
	f.subscribe()
	f.run(f.desk)
	h := f.ask("tv") // nobody available anywhere: it waits in the remote queue
	pgtest.Eventually(t, 5*time.Second, "abandoned", func() bool { return f.get(h.ID).Status == assist.StatusAbandoned })
	if k := f.kinds(h.ID); k[len(k)-1] != "abandoned" {
		t.Fatalf("log %v", k)
	}
}

// TestTimersSurviveARestart: the desk that scheduled a wave stops before it
// is due; another one, started later, fires it.
func TestTimersSurviveARestart(t *testing.T) {
	f := newFloor(t, fast)
	f.available("sam", "lea")
	stop := f.run(f.desk)
	h := f.ask("tv")
	stop()
	time.Sleep(400 * time.Millisecond) // past the wave's due time, with nobody running
	if got := f.offered(h.ID); !slices.Equal(got, []string{"sam"}) {
		t.Fatalf("the wave moved while no desk ran: %v", got)
	}
	f.run(assist.New(f.db, f.places, quiet, fast))
	pgtest.Eventually(t, 5*time.Second, "the new desk fires the overdue wave", func() bool {
		return slices.Equal(f.offered(h.ID), []string{"lea", "sam"})
	})
}

// TestReplicasFireEachTimerOnce runs three desks on one database: every
// request widens and overflows exactly once.
func TestReplicasFireEachTimerOnce(t *testing.T) {
	f := newFloor(t, fast)
	f.available("sam", "lea", "claire", "remi")
	for i := 0; i < 3; i++ {
		f.run(assist.New(f.db, f.places, quiet, fast))
	}
	var ids []string
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, _, err := f.people.NewShopper(context.Background(), time.Hour)
			if err != nil {
				t.Errorf("new shopper: %v", err)
				return
			}
			for j := 0; j < 3; j++ {
				h, err := f.desk.Create(context.Background(), assist.Actor{ShopperID: id, Role: "shopper"}, fmt.Sprint(j),
					assist.NewRequest{Department: "tv", PlaceQuery: placeAt(f)})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				ids = append(ids, h.ID)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for _, id := range ids {
		pgtest.Eventually(t, 10*time.Second, "overflow", func() bool { return f.get(id).Channel == assist.ChannelRemote })
	}
	time.Sleep(300 * time.Millisecond)
	for _, id := range ids {
		count := map[string]int{}
		for _, k := range f.kinds(id) {
			count[k]++
		}
		if count["overflowed"] != 1 || count["offered"] != 3 {
			t.Fatalf("request %s: log counts %v", id, count)
		}
	}
	// Reminders to the remote team follow one another; every other kind is
	// written and fired once per request and round.
	var twice int
	if err := f.db.Get(&twice, `SELECT count(*) FROM (SELECT 1 FROM timers WHERE fired_at IS NOT NULL AND kind <> 'remind'
		GROUP BY request_id, kind, generation HAVING count(*) > 1) x`); err != nil {
		t.Fatal(err)
	}
	if twice != 0 {
		t.Fatal("a timer was written twice")
	}
}

// TestWaveTimersWidenNeverEarly: each request's wave timer fires and widens
// the offer to the rest of the store, never before the offer timeout has
// run. How late it fires depends on the machine; BenchmarkWaveTimerLateness
// measures that.
func TestWaveTimersWidenNeverEarly(t *testing.T) {
	f := newFloor(t, fast)
	f.available("sam", "lea")
	f.run(f.desk)
	for range 5 {
		h := f.ask("tv")
		pgtest.Eventually(t, 5*time.Second, "the wave widened to lea", func() bool { return slices.Contains(f.offered(h.ID), "lea") })
		var w struct {
			Early    bool `db:"early"`
			Widening bool `db:"widening_early"`
		}
		if err := f.db.Get(&w, `SELECT t.fired_at < t.due_at AS early,
				o.offered_at < r.created_at + $2 * interval '1 millisecond' AS widening_early
			FROM timers t JOIN help_requests r ON r.id = t.request_id
			JOIN offers o ON o.request_id = r.id JOIN users u ON u.id = o.user_id AND u.name = 'lea'
			WHERE t.request_id = $1 AND t.kind = 'wave'`, h.ID, fast.OfferTimeout.Milliseconds()); err != nil {
			t.Fatal(err)
		}
		if w.Early || w.Widening {
			t.Fatalf("the wave fired before its time: timer early %v, lea offered early %v", w.Early, w.Widening)
		}
		f.settle(h.ID)
	}
}

// BenchmarkWaveTimerLateness reports how long after its due time a wave
// timer fires, as ms-late (the mean over the runs) and ms-late-max.
func BenchmarkWaveTimerLateness(b *testing.B) {
	f := newFloor(b, fast)
	f.available("sam", "lea")
	f.run(f.desk)
	var sum, worst float64
	runs := 0
	for b.Loop() {
		h := f.ask("tv")
		pgtest.Eventually(b, 5*time.Second, "the wave widened to lea", func() bool { return slices.Contains(f.offered(h.ID), "lea") })
		var late float64
		if err := f.db.Get(&late, `SELECT extract(epoch FROM fired_at - due_at) * 1000 FROM timers
			WHERE request_id = $1 AND kind = 'wave'`, h.ID); err != nil {
			b.Fatal(err)
		}
		sum, worst, runs = sum+late, max(worst, late), runs+1
		f.settle(h.ID)
	}
	b.ReportMetric(sum/float64(runs), "ms-late")
	b.ReportMetric(worst, "ms-late-max")
}

// settle closes a request and its offers so the next one starts alone.
func (f *floor) settle(id string) {
	f.db.MustExec(`UPDATE help_requests SET status = 'cancelled', closed_at = now() WHERE id = $1`, id)
	f.db.MustExec(`UPDATE offers SET answer = 'withdrawn' WHERE request_id = $1`, id)
}

// TestAnIgnoredOfferCountsOnce: an offer let expire at the overflow deadline
// stays open, and the request's abandonment does not count it again.
func TestAnIgnoredOfferCountsOnce(t *testing.T) {
	cfg := fast
	cfg.AbandonAfter = 1500 * time.Millisecond
	f := samAlone(t, cfg)
	h := f.ask("tv")
	f.delivered()
	pgtest.Eventually(t, 5*time.Second, "abandoned", func() bool { return f.get(h.ID).Status == assist.StatusAbandoned })
	ignored := f.ignored("sam")
	if ignored != 1 || f.status("sam") != "available" {
		t.Fatalf("one ignored offer counted %d times; sam is %s", ignored, f.status("sam"))
	}
}
