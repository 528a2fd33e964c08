package holds_test

import (
	"context"
	"testing"
	"time"

	"helpforce/fault"
	"helpforce/holds"
	"helpforce/pg/pgtest"
)

// TestExpiryAcrossRestart: the server stops before a hold's deadline; a new
// one, started after it, expires the hold, releases its stock and tells the
// shopper.
func TestExpiryAcrossRestart(t *testing.T) {
	cfg := holds.Config{TTL: 300 * time.Millisecond}
	s := newShop(t, cfg)
	s.subscribe()
	s.stock("TV-1", "OLED TV", 5)
	stop := s.run(s.k)
	h := s.place(s.shopper, "TV-1", 2)
	stop()

	time.Sleep(500 * time.Millisecond)
	// Past its deadline, the hold already reads expired, though nothing has
	// run to release its stock yet.
	got, err := s.k.Hold(context.Background(), s.shopper, h.ID)
	if err != nil || got.Status != "expired" {
		t.Fatalf("hold reads %q, %v; want expired", got.Status, err)
	}
	if _, held := s.level("TV-1"); held != 2 {
		t.Fatalf("held %d while no worker ran", held)
	}
	_, err = s.k.Pickup(context.Background(), s.staff["sam"], h.ID, h.PickupCode)
	pgtest.WantFault(t, err, fault.KindState, "")

	restarted := holds.New(s.db, quiet, cfg)
	s.run(restarted)
	pgtest.Eventually(t, 5*time.Second, "the stock is released", func() bool {
		_, held := s.level("TV-1")
		return held == 0
	})
	var status string
	if err := s.db.Get(&status, `SELECT status FROM holds WHERE id = $1`, h.ID); err != nil {
		t.Fatal(err)
	}
	if status != "expired" {
		t.Fatalf("stored status %q", status)
	}
	alerts := s.pushes(s.shopper, "request_update")
	if len(alerts) != 1 || alerts[0]["title"] != "Your hold has expired" || alerts[0]["hold_id"] != h.ID {
		t.Fatalf("shopper alerts %v", alerts)
	}
	_, err = s.k.Cancel(context.Background(), s.shopper, h.ID)
	pgtest.WantFault(t, err, fault.KindState, "")
}

// TestExpiryWakesOnNewHold: a running worker, asleep with nothing due,
// expires a hold placed afterwards on time, once, with several replicas.
func TestExpiryWakesOnNewHold(t *testing.T) {
	cfg := holds.Config{TTL: 200 * time.Millisecond, MaxActivePerShopper: 20}
	s := newShop(t, cfg)
	s.subscribe()
	s.stock("TV-1", "OLED TV", 50)
	s.run(s.k)
	s.run(holds.New(s.db, quiet, cfg))
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	for i := 0; i < 10; i++ {
		s.place(s.shopper, "TV-1", 1)
	}
	pgtest.Eventually(t, 9*time.Second, "every hold expires", func() bool {
		_, held := s.level("TV-1")
		return held == 0
	})
	// Well before the worker's 10 s safety net: it slept until the deadline.
	if d := time.Since(start); d > 6*time.Second {
		t.Fatalf("expired after %v; the worker did not wake on the deadline", d)
	}
	var expired int
	if err := s.db.Get(&expired, `SELECT count(*) FROM holds WHERE status = 'expired'`); err != nil {
		t.Fatal(err)
	}
	if n := len(s.pushes(s.shopper, "request_update")); n != 10 || expired != 10 {
		t.Fatalf("%d holds expired, %d alerts; want 10 of each", expired, n)
	}
}
