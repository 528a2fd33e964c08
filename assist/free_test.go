package assist_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"helpforce/assist"
	"helpforce/pg/pgtest"
	"helpforce/stores"
)

// replica is another server's desk on the same database.
func (f *floor) replica() *assist.Desk { return assist.New(f.db, f.places, quiet, assist.Config{}) }

// logReasons lists the reasons of a request's log lines of one kind.
func (f *floor) logReasons(id, kind string) []string {
	f.t.Helper()
	var r []string
	if err := f.db.Select(&r, `SELECT reason FROM request_events WHERE request_id = $1 AND kind = $2 ORDER BY id`, id, kind); err != nil {
		f.t.Fatal(err)
	}
	return r
}

// alertsAbout counts the offer alerts queued for a person about request id.
func (f *floor) alertsAbout(name, id string) int {
	n := 0
	for _, a := range f.pushes(name, "help_request") {
		if a["request_id"] == id {
			n++
		}
	}
	return n
}

// TestFreeAgainTakesTheParkedRequest is the store day's common case: sam
// helps a first shopper; a second asks while nobody else is free, so the
// request waits with the remote team, where no agent is on duty. The moment
// sam finishes, sam is offered it, and taking it brings it back to the floor.
func TestFreeAgainTakesTheParkedRequest(t *testing.T) {
	f := newFloor(t, assist.Config{})
	f.subscribe()
	f.available("sam")
	ctx := context.Background()
	first := f.ask("tv")
	if _, err := f.desk.Accept(ctx, f.staff["sam"], first.ID); err != nil {
		t.Fatal(err)
	}
	second := f.ask("tv")
	if second.Channel != assist.ChannelRemote || len(f.offered(second.ID)) != 0 {
		t.Fatalf("second request: %s, offered to %v", second.Channel, f.offered(second.ID))
	}
	if q, err := f.desk.Queue(ctx, f.staff["lea"]); err != nil || len(q) != 1 || q[0].ID != second.ID {
		t.Fatalf("the floor does not see its parked request: %v %v", q, err)
	}
	other := f.replica() // sam finishes through another server
	if _, err := other.Resolve(ctx, f.staff["sam"], first.ID); err != nil {
		t.Fatal(err)
	}
	if got := f.offered(second.ID); !slices.Equal(got, []string{"sam"}) {
		t.Fatalf("after sam finished, offered to %v", got)
	}
	if r := f.logReasons(second.ID, "offered"); len(r) != 1 || r[0] != "offered when sam became free" {
		t.Fatalf("log reasons %v", r)
	}
	if n := len(f.pushes("sam", "help_request")); n != 2 {
		t.Fatalf("sam got %d alerts, want 2 (one per request)", n)
	}
	got, err := other.Accept(ctx, f.staff["sam"], second.ID)
	if err != nil || got.Channel != assist.ChannelFloor || got.AssignedTo.Name != "sam" {
		t.Fatalf("taking the parked request: %v %+v", err, got)
	}
}

// TestFreeAgainOnePersonOneOffer: setting oneself available offers the
// oldest request one may take, skill first, and never a second while the
// first is open.
func TestFreeAgainOnePersonOneOffer(t *testing.T) {
	f := newFloor(t, assist.Config{OverflowTimeout: time.Hour})
	ctx := context.Background()
	phones := f.ask("phones") // nobody free: both wait with the remote team
	tv := f.ask("tv")
	f.available("sam")
	if err := f.desk.FreeAgain(ctx, f.staff["sam"].UserID); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.offered(tv.ID), []string{"sam"}) || len(f.offered(phones.ID)) != 0 {
		t.Fatalf("sam (tv) offered tv %v, phones %v", f.offered(tv.ID), f.offered(phones.ID))
	}
	if err := f.desk.FreeAgain(ctx, f.staff["sam"].UserID); err != nil {
		t.Fatal(err)
	}
	if len(f.offered(phones.ID)) != 0 {
		t.Fatal("sam holds two offers made because he was free")
	}
	if err := f.desk.Pass(ctx, f.staff["sam"], tv.ID); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.offered(phones.ID), []string{"sam"}) {
		t.Fatalf("after passing, sam was not offered the next request: %v", f.offered(phones.ID))
	}
}

// TestAgentOnDutyIsAlertedAndReminded: a request waits in the remote queue
// with no agent on duty; an agent who comes on duty is offered it at once,
// and reminded while it still waits, a bounded number of times.
func TestAgentOnDutyIsAlertedAndReminded(t *testing.T) {
	cfg := fast
	cfg.RemindLimit = 2
	f := newFloor(t, cfg)
	f.subscribe()
	other := assist.New(f.db, f.places, quiet, cfg)
	f.run(f.desk)
	f.run(other) // reminders are timers: each fires once, whichever replica claims it
	h := f.ask("tv")
	if h.Channel != assist.ChannelRemote || h.RemoteAvailable {
		t.Fatalf("request %s, remote available %v", h.Channel, h.RemoteAvailable)
	}
	f.available("remi")
	if err := other.FreeAgain(context.Background(), f.staff["remi"].UserID); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.offered(h.ID), []string{"remi"}) || !f.get(h.ID).RemoteAvailable {
		t.Fatalf("remi on duty: offered %v, shopper told remote available %v", f.offered(h.ID), f.get(h.ID).RemoteAvailable)
	}
	pgtest.Eventually(t, 5*time.Second, "two reminders", func() bool { return len(f.pushes("remi", "help_request")) == 3 })
	time.Sleep(4 * fast.OfferTimeout)
	if n := len(f.pushes("remi", "help_request")); n != 3 {
		t.Fatalf("remi got %d alerts, want the offer and 2 reminders", n)
	}
	if r := f.logReasons(h.ID, "reminded"); len(r) != 2 {
		t.Fatalf("reminders logged %v", r)
	}
}

// TestRemoteByChoice: a shopper inside a store who asks the remote team is
// answered by it; the store is kept among the nearby ones.
func TestRemoteByChoice(t *testing.T) {
	f := newFloor(t, assist.Config{})
	f.available("sam", "remi")
	h, err := f.replica().Create(context.Background(), f.shopper, "", assist.NewRequest{Department: "tv", Remote: true,
		PlaceQuery: stores.PlaceQuery{StoreID: f.store.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if h.Channel != assist.ChannelRemote || h.Store != nil || len(h.Nearby) == 0 || h.Nearby[0].Store.ID != f.store.ID {
		t.Fatalf("remote by choice: %s, store %v, nearby %v", h.Channel, h.Store, h.Nearby)
	}
	if !slices.Equal(f.offered(h.ID), []string{"remi"}) {
		t.Fatalf("offered to %v", f.offered(h.ID))
	}
	if r := f.logReasons(h.ID, "overflowed"); len(r) != 1 || !strings.Contains(r[0], "asked for the remote team") {
		t.Fatalf("log %v", r)
	}
}

// TestWithdrawnOffersNeverBench: offers withdrawn because someone else took
// the request or the shopper cancelled do not count as ignored.
func TestWithdrawnOffersNeverBench(t *testing.T) {
	f := newFloor(t, assist.Config{IgnoreLimit: 1, WaveSize: 2})
	f.subscribe()
	f.available("sam", "max")
	ctx := context.Background()
	desks := []*assist.Desk{f.desk, f.replica()}
	for i := 0; i < 3; i++ {
		h := f.ask("tv")
		f.delivered()
		d := desks[i%2]
		if i%2 == 0 {
			if _, err := d.Accept(ctx, f.staff["sam"], h.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := desks[1].Resolve(ctx, f.staff["sam"], h.ID); err != nil {
				t.Fatal(err)
			}
		} else if _, err := d.Cancel(ctx, f.shopper, h.ID); err != nil {
			t.Fatal(err)
		}
	}
	if f.status("max") != "available" {
		t.Fatalf("max is %s after offers others took or the shopper cancelled", f.status("max"))
	}
}

// TestFloorPolicyNeverOverflows: under the floor-only policy a request
// waits for the first person free on the floor.
func TestFloorPolicyNeverOverflows(t *testing.T) {
	cfg := fast
	cfg.Policy = assist.PolicyFloor
	f := newFloor(t, cfg)
	f.available("remi")
	f.run(f.desk)
	h := f.ask("tv")
	time.Sleep(3 * fast.OverflowTimeout)
	if got := f.get(h.ID); got.Channel != assist.ChannelFloor || len(f.offered(h.ID)) != 0 {
		t.Fatalf("floor policy: %s, offered to %v", got.Channel, f.offered(h.ID))
	}
	f.available("lea")
	if err := f.desk.FreeAgain(context.Background(), f.staff["lea"].UserID); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.offered(h.ID), []string{"lea"}) {
		t.Fatalf("lea free: offered to %v", f.offered(h.ID))
	}
}

// TestBroadcastPolicyOffersEveryone: the broadcast policy offers every free
// member of the store and every available agent at once.
func TestBroadcastPolicyOffersEveryone(t *testing.T) {
	f := newFloor(t, assist.Config{Policy: assist.PolicyBroadcast})
	f.available("sam", "lea", "claire", "remi")
	h := f.ask("tv")
	if got := f.offered(h.ID); !slices.Equal(got, []string{"claire", "lea", "remi", "sam"}) {
		t.Fatalf("broadcast offered to %v", got)
	}
	if _, err := f.desk.Accept(context.Background(), f.staff["lea"], h.ID); err != nil {
		t.Fatalf("the floor could not take a broadcast request: %v", err)
	}
}

// TestSweepCatchesUp: should a replica stop between a commit and its offers,
// the sweep of any replica offers the waiting request to the free person, once,
// however many replicas sweep.
func TestSweepCatchesUp(t *testing.T) {
	cfg := assist.Config{SweepEvery: 100 * time.Millisecond}
	f := newFloor(t, cfg)
	for i := 0; i < 3; i++ {
		f.run(assist.New(f.db, f.places, quiet, cfg))
	}
	h := f.ask("tv") // nobody free: it waits with the remote team
	f.available("sam", "lea")
	pgtest.Eventually(t, 5*time.Second, "the sweep offers it", func() bool { return len(f.offered(h.ID)) == 2 })
	time.Sleep(5 * cfg.SweepEvery)
	if got := f.offered(h.ID); !slices.Equal(got, []string{"lea", "sam"}) {
		t.Fatalf("offered to %v", got)
	}
	if n := len(f.logReasons(h.ID, "offered")); n != 2 {
		t.Fatalf("%d offers logged, want one each", n)
	}
}

// TestClosedStoreGoesRemote: outside opening hours a request goes to the
// remote team at once, for its store, and so does a move to a closed store.
func TestClosedStoreGoesRemote(t *testing.T) {
	f := newFloor(t, assist.Config{})
	f.available("sam", "remi")
	today := time.Now().In(time.UTC).Format("2006-01-02")
	f.db.MustExec(`INSERT INTO store_hour_exceptions (store_id, date) VALUES ($1, $2::date - 1), ($1, $2::date), ($1, $2::date + 1)`,
		f.store.ID, today)
	h, err := f.replica().Create(context.Background(), f.shopper, "", assist.NewRequest{Department: "tv", PlaceQuery: placeAt(f)})
	if err != nil {
		t.Fatal(err)
	}
	if h.Channel != assist.ChannelRemote || h.Store == nil || h.Store.ID != f.store.ID {
		t.Fatalf("closed store: %s, store %v", h.Channel, h.Store)
	}
	if !slices.Equal(f.offered(h.ID), []string{"remi"}) {
		t.Fatalf("offered to %v", f.offered(h.ID))
	}
	if r := f.logReasons(h.ID, "overflowed"); len(r) != 1 || r[0] != "the store is closed" {
		t.Fatalf("log %v", r)
	}
}

// TestFreeAgainRemindsOfAnOfferTakenOver: sam is offered two requests at
// once and takes the first. When sam finishes, the second, which still
// waits, is brought back to mind with its alert again, once, however many
// replicas sweep; lea, offered a request without having taken another
// since, is not reminded of it.
func TestFreeAgainRemindsOfAnOfferTakenOver(t *testing.T) {
	cfg := assist.Config{OverflowTimeout: time.Hour, SweepEvery: 50 * time.Millisecond}
	f := newFloor(t, cfg)
	f.subscribe()
	f.available("sam")
	ctx := context.Background()
	first, second := f.ask("tv"), f.ask("tv")
	if !slices.Equal(f.offered(first.ID), []string{"sam"}) || !slices.Equal(f.offered(second.ID), []string{"sam"}) {
		t.Fatalf("offered %v and %v, want sam both", f.offered(first.ID), f.offered(second.ID))
	}
	if _, err := f.desk.Accept(ctx, f.staff["sam"], first.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(f.pushes("sam", "help_request")); n != 2 {
		t.Fatalf("sam got %d alerts before finishing, want 2", n)
	}
	if _, err := f.replica().Resolve(ctx, f.staff["sam"], first.ID); err != nil {
		t.Fatal(err)
	}
	alerts := f.pushes("sam", "help_request")
	if len(alerts) != 3 || alerts[2]["request_id"] != second.ID || alerts[2]["title"] != "Still waiting: tv — help needed" {
		t.Fatalf("after finishing, sam's alerts: %v; want the second request's again", alerts)
	}
	if r := f.logReasons(second.ID, "reminded"); len(r) != 1 || r[0] != "reminded when sam became free" {
		t.Fatalf("log reasons %v", r)
	}

	f.available("lea")
	third := f.ask("phones")
	if !slices.Contains(f.offered(third.ID), "lea") {
		t.Fatalf("third request offered to %v", f.offered(third.ID))
	}
	f.run(f.desk)
	f.run(assist.New(f.db, f.places, quiet, cfg))
	time.Sleep(10 * cfg.SweepEvery)
	if again := f.alertsAbout("sam", second.ID); again != 2 {
		t.Fatalf("sam was alerted %d times of the second request, want twice: one reminder only", again)
	}
	if n := len(f.pushes("lea", "help_request")); n != 1 {
		t.Fatalf("lea got %d alerts, want 1", n)
	}
}

// TestRemindedOnceByManyAtOnce: however many replicas find at the same
// moment that sam is to be reminded of a request, sam is alerted once.
func TestRemindedOnceByManyAtOnce(t *testing.T) {
	f := newFloor(t, assist.Config{OverflowTimeout: time.Hour})
	f.subscribe()
	f.available("sam")
	ctx := context.Background()
	first, second := f.ask("tv"), f.ask("tv")
	if _, err := f.desk.Accept(ctx, f.staff["sam"], first.ID); err != nil {
		t.Fatal(err)
	}
	// sam is free again without the resolve's own reminder: the request is
	// closed behind the desk's back, as another replica would have.
	f.db.MustExec(`UPDATE help_requests SET status = 'resolved', resolved_at = now() WHERE id = $1`, first.ID)
	if got := f.status("sam"); got != "available" {
		t.Fatalf("sam is %s", got)
	}
	var wg sync.WaitGroup
	for range 16 {
		d := f.replica()
		wg.Go(func() { d.OfferFreed(ctx, f.staff["sam"].UserID) })
	}
	wg.Wait()
	if again := f.alertsAbout("sam", second.ID); again != 2 {
		t.Fatalf("sam was alerted %d times of the second request, want twice: the offer and one reminder", again)
	}
}
